//! Offline hobby extraction from a learner's free-text answer, in Korean and English.
//!
//! Pipeline: normalise ([`normalize`]) → every lexicon hit ([`lexicon`], `data/lexicon.json`) →
//! longest hit wins where hits nest, look-alikes blocked (그림자 ≠ 그림) → 기타 read as guitar or
//! "etc." ([`korean`]) → negation, contrast and past experience ([`polarity`]) → the best hit; when
//! none is left, an unlisted hobby is read from the phrase before a learning verb ("마술을 배우고",
//! "learn juggling") or from a bare noun answer ("서핑이요") and reported as `other`.
//!
//! To teach it a new word, add the form to `data/lexicon.json`; the rules need no change.

mod english;
mod korean;
mod lexicon;
mod normalize;
mod polarity;
mod vocabulary;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::taxonomy::HobbyId;
use crate::text::Lang;
use lexicon::{Hit, Label, lexicon};
use normalize::Normalized;
use polarity::Candidate;

pub(crate) use lexicon::conflicting_forms;

/// Number of compiled extraction patterns.
pub(crate) fn lexicon_size() -> usize {
    lexicon().len()
}

/// The hobby a sentence names: a taxonomy id or `other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HobbyLabel {
    /// A canonical taxonomy hobby.
    Known(HobbyId),
    /// A hobby outside the taxonomy; the mention says which.
    Other,
}

impl HobbyLabel {
    /// `"guitar"`, …, or `"other"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Known(id) => id.as_str(),
            Self::Other => "other",
        }
    }

    /// Parses an id or `"other"`.
    pub fn parse(s: &str) -> Result<Self, crate::MentorError> {
        if s == "other" {
            Ok(Self::Other)
        } else {
            HobbyId::parse(s).map(Self::Known)
        }
    }
}

impl Serialize for HobbyLabel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HobbyLabel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What a learner's answer says they want to learn.
///
/// `hobby` is `None` when no hobby is named (the mentor asks again). `mention` is the phrase as the
/// learner wrote it: always set for `other` (e.g. "마술"), and for a known hobby the matched word
/// (e.g. "통기타").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extraction {
    /// Taxonomy id, `other`, or none.
    pub hobby: Option<HobbyLabel>,
    /// The learner's words for it.
    pub mention: Option<String>,
}

impl Extraction {
    /// No hobby named.
    pub fn none() -> Self {
        Self {
            hobby: None,
            mention: None,
        }
    }

    /// The taxonomy id, if the hobby is a known one.
    pub fn known(&self) -> Option<HobbyId> {
        match self.hobby {
            Some(HobbyLabel::Known(id)) => Some(id),
            _ => None,
        }
    }

    /// The hobby's display name: the taxonomy name for known hobbies, the mention for `other`.
    pub fn display_name(&self, lang: Lang) -> Option<String> {
        match self.hobby? {
            HobbyLabel::Known(id) => Some(id.name(lang).to_owned()),
            HobbyLabel::Other => self.mention.clone(),
        }
    }

    /// The AI mentor room's title: "기타 AI 멘토" / "guitar AI mentor".
    pub fn room_title(&self, lang: Lang) -> Option<String> {
        let name = self.display_name(lang)?;
        Some(match lang {
            Lang::Ko => format!("{name} AI 멘토"),
            Lang::En => format!("{name} AI mentor"),
        })
    }
}

/// One line of `tutti hobby-extract --jsonl` output: `{"text","hobby","mention"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtractionLine {
    /// The input sentence.
    pub text: String,
    /// Taxonomy id, `"other"`, or null.
    pub hobby: Option<HobbyLabel>,
    /// The learner's words for it.
    pub mention: Option<String>,
}

impl ExtractionLine {
    /// Extracts from `text` and pairs the result with it.
    pub fn from_text(text: &str) -> Self {
        let Extraction { hobby, mention } = extract_hobby(text);
        Self {
            text: text.to_owned(),
            hobby,
            mention,
        }
    }
}

/// Keeps the longest of nested hits, drops blocked look-alikes, sorts by position.
fn resolve(mut hits: Vec<Hit>) -> Vec<Candidate> {
    hits.sort_by_key(|h| (std::cmp::Reverse(h.end - h.start), h.start));
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        // A longer hit hides the hits inside it (한식 요리 hides 요리) unless it is a weaker hint
        // than they are (반찬 만들 must not hide 반찬).
        let nested = kept.iter().any(|k| {
            k.start <= h.start
                && h.end <= k.end
                && (k.label == Label::Block || k.weight >= h.weight)
        });
        if !nested {
            kept.push(h);
        }
    }
    let mut out: Vec<Candidate> = kept
        .into_iter()
        .filter(|h| h.label != Label::Block)
        .map(|h| Candidate {
            label: h.label,
            weight: h.weight,
            start: h.start,
            end: h.end,
            negated: false,
            demoted: false,
            focus: false,
        })
        .collect();
    out.sort_by_key(|c| c.start);
    out
}

fn hobby(id: &str) -> Option<HobbyId> {
    HobbyId::parse(id).ok()
}

/// Drops generic hits when a more specific one of the same family is named
/// ("양식 요리" → western cooking, not cooking; "수채화 그리기" → watercolour, not drawing).
fn drop_subsumed(pool: &mut Vec<&Candidate>) {
    let families: [(&str, &[&str]); 2] = [
        ("cooking", &["korean_cooking", "western_cooking", "baking"]),
        ("drawing", &["watercolor"]),
    ];
    for (generic, specific) in families {
        let (Some(generic), true) = (hobby(generic), true) else {
            continue;
        };
        let has_specific = pool.iter().any(|c| {
            specific
                .iter()
                .any(|s| hobby(s).is_some_and(|id| c.label == Label::Hobby(id)))
        });
        if has_specific {
            pool.retain(|c| c.label != Label::Hobby(generic));
        }
    }
}

/// An unlisted hobby's mention widened to the learner's whole phrase when one surrounds the
/// lexicon word ("fly fishing", not just "fishing").
fn widen_other(n: &Normalized<'_>, candidates: &[Candidate], best: &Candidate) -> (usize, usize) {
    let taken = |s: usize, e: usize| {
        candidates
            .iter()
            .any(|c| c.start != best.start && c.start < e && s < c.end)
    };
    let phrases = [
        korean::intent_noun_phrase(&n.norm, &taken),
        english::intent_noun_phrase(&n.norm, &taken),
        korean::bare_noun_phrase(&n.norm),
        english::bare_noun_phrase(&n.norm),
    ];
    phrases
        .into_iter()
        .flatten()
        .find(|&(s, e)| s <= best.start && best.end <= e && e - s > best.end - best.start)
        .unwrap_or((best.start, best.end))
}

/// Reads which hobby `text` names. Offline, allocation-light, a few microseconds per sentence.
pub fn extract_hobby(text: &str) -> Extraction {
    let n = Normalized::new(text);
    if n.norm.is_empty() {
        return Extraction::none();
    }
    let mut candidates = resolve(lexicon().hits(&n));
    let named_something = !candidates.is_empty();
    let guitar = hobby("guitar");
    candidates.retain(|c| {
        let is_bare_gita =
            guitar.is_some_and(|g| c.label == Label::Hobby(g)) && &n.norm[c.start..c.end] == "기타";
        !(is_bare_gita && korean::gita_means_etc(&n.norm, c.start, c.end))
    });
    polarity::annotate(&n.norm, &mut candidates);

    let mut pool: Vec<&Candidate> = candidates.iter().filter(|c| !c.negated).collect();
    drop_subsumed(&mut pool);
    pool.sort_by_key(|c| {
        (
            c.demoted,
            std::cmp::Reverse(c.weight),
            std::cmp::Reverse(c.focus),
            c.label == Label::Other,
            c.start,
        )
    });
    if let Some(best) = pool.first() {
        return match best.label {
            Label::Hobby(id) => Extraction {
                hobby: Some(HobbyLabel::Known(id)),
                mention: Some(n.original_span(best.start, best.end).to_owned()),
            },
            _ => {
                let (s, e) = widen_other(&n, &candidates, best);
                Extraction {
                    hobby: Some(HobbyLabel::Other),
                    mention: Some(n.original_span(s, e).to_owned()),
                }
            }
        };
    }

    let taken = |s: usize, e: usize| candidates.iter().any(|c| c.start < e && s < c.end);
    // A bare answer that named a (negated or etc.) hobby word is not a new hobby.
    let bare_ok = !named_something;
    let phrase = korean::intent_noun_phrase(&n.norm, &taken)
        .or_else(|| english::intent_noun_phrase(&n.norm, &taken))
        .or_else(|| {
            if bare_ok {
                korean::bare_noun_phrase(&n.norm)
            } else {
                None
            }
        })
        .or_else(|| {
            if bare_ok {
                english::bare_noun_phrase(&n.norm)
            } else {
                None
            }
        });
    match phrase {
        Some((s, e)) => Extraction {
            hobby: Some(HobbyLabel::Other),
            mention: Some(n.original_span(s, e).to_owned()),
        },
        None => Extraction::none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Option<&'static str> {
        extract_hobby(text).hobby.map(HobbyLabel::as_str)
    }

    #[test]
    fn contrast_picks_the_wanted_hobby() {
        assert_eq!(id("요리 말고 베이킹이요"), Some("baking"));
        assert_eq!(id("not piano but drums"), Some("drums"));
        assert_eq!(
            id("피아노는 어릴 때 쳐봤고 이번엔 기타를 배우고 싶어요"),
            Some("guitar")
        );
    }

    #[test]
    fn gita_etc_is_not_guitar() {
        assert_eq!(id("기타 등등"), None);
        assert_eq!(id("기타를배우고싶어요"), Some("guitar"));
    }

    #[test]
    fn other_hobbies_keep_the_learners_words() {
        let e = extract_hobby("마술을 배우고 싶어요");
        assert_eq!(e.hobby, Some(HobbyLabel::Other));
        assert_eq!(e.mention.as_deref(), Some("마술"));
        assert_eq!(e.room_title(Lang::Ko).as_deref(), Some("마술 AI 멘토"));
    }

    #[test]
    fn room_title_uses_the_taxonomy_name() {
        assert_eq!(
            extract_hobby("통기타 치는 법")
                .room_title(Lang::Ko)
                .as_deref(),
            Some("기타 AI 멘토")
        );
    }

    #[test]
    fn wire_shape_is_id_other_or_null() {
        let line = ExtractionLine::from_text("안녕하세요");
        let json = serde_json::to_string(&line).expect("serialises");
        assert_eq!(json, r#"{"text":"안녕하세요","hobby":null,"mention":null}"#);
        let back: ExtractionLine =
            serde_json::from_str(r#"{"text":"x","hobby":"other","mention":"마술"}"#)
                .expect("parses");
        assert_eq!(back.hobby, Some(HobbyLabel::Other));
        assert!(
            serde_json::from_str::<ExtractionLine>(
                r#"{"text":"x","hobby":"guitarr","mention":null}"#
            )
            .is_err()
        );
    }
}

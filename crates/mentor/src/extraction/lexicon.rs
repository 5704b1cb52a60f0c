//! The extraction lexicon (`data/lexicon.json`) compiled into two Aho–Corasick automata.
//!
//! Korean forms are matched on the space-free `compact` text; a space in a lexicon form marks the
//! one place the learner may have put a space, so "한식 요리" matches 한식요리 and 한식 요리 but
//! "요가" never matches across "…해요 가끔". English forms are matched on whole words of `norm`.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use super::normalize::Normalized;
use crate::error::MentorError;
use crate::taxonomy::HobbyId;

const LEXICON_JSON: &str = include_str!("../../data/lexicon.json");

/// Weight of a form that names the hobby outright (피아노, baking).
pub(crate) const STRONG: u8 = 2;
/// Weight of a form that only hints at the hobby (오븐, keys).
pub(crate) const WEAK: u8 = 1;

/// What a lexicon form stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// A taxonomy hobby.
    Hobby(HobbyId),
    /// A hobby outside the taxonomy.
    Other,
    /// A look-alike that must not count (그림자 contains 그림).
    Block,
}

#[derive(Debug, Clone)]
struct Entry {
    label: Label,
    weight: u8,
    /// Byte offsets inside the compact form where a space is allowed (Korean only).
    breaks: Vec<usize>,
}

/// One lexicon hit in `norm` byte coordinates.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub label: Label,
    pub weight: u8,
    pub start: usize,
    pub end: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HobbyForms {
    ko: Vec<String>,
    ko_weak: Vec<String>,
    en: Vec<String>,
    en_weak: Vec<String>,
}

#[derive(Deserialize)]
struct Forms {
    ko: Vec<String>,
    en: Vec<String>,
}

#[derive(Deserialize)]
struct LexiconFile {
    hobbies: BTreeMap<String, HobbyForms>,
    other: Forms,
    block: Forms,
}

#[derive(Debug)]
pub(crate) struct Lexicon {
    ko: AhoCorasick,
    ko_entries: Vec<Entry>,
    en: AhoCorasick,
    en_entries: Vec<Entry>,
}

#[derive(Default)]
struct Builder {
    patterns: Vec<String>,
    entries: Vec<Entry>,
    seen: HashMap<String, usize>,
}

impl Builder {
    /// Adds `pattern`; an already present pattern keeps its first meaning.
    fn add(&mut self, pattern: String, entry: Entry) {
        if pattern.is_empty() || self.seen.contains_key(&pattern) {
            return;
        }
        self.seen.insert(pattern.clone(), self.entries.len());
        self.patterns.push(pattern);
        self.entries.push(entry);
    }

    fn build(self, what: &str) -> Result<(AhoCorasick, Vec<Entry>), MentorError> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&self.patterns)
            .map_err(|e| MentorError::invalid("lexicon", what, e.to_string()))?;
        Ok((ac, self.entries))
    }
}

/// A Korean form → (compact pattern, allowed space offsets).
fn korean_form(form: &str) -> (String, Vec<usize>) {
    let lower = form.to_lowercase();
    let mut compact = String::with_capacity(lower.len());
    let mut breaks = Vec::new();
    for part in lower.split_whitespace() {
        if !compact.is_empty() {
            breaks.push(compact.len());
        }
        compact.push_str(part);
    }
    (compact, breaks)
}

fn english_base(form: &str) -> String {
    Normalized::new(form.trim_end_matches('~')).norm
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Plural, -ing and -ed forms of an English word (good enough for hobby verbs and nouns).
pub(crate) fn inflections(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 {
        return vec![word.to_owned()];
    }
    let last = chars[n - 1];
    let stem_without_last: String = chars[..n - 1].iter().collect();
    let vowel_groups = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| is_vowel(c) && (i == 0 || !is_vowel(chars[i - 1])))
        .count();
    let cvc = n >= 3
        && !is_vowel(last)
        && !matches!(last, 'w' | 'x' | 'y')
        && is_vowel(chars[n - 2])
        && !is_vowel(chars[n - 3])
        && vowel_groups == 1;
    let consonant_y = last == 'y' && !is_vowel(chars[n - 2]);
    let plural = if word.ends_with('s')
        || word.ends_with("sh")
        || word.ends_with("ch")
        || last == 'x'
        || last == 'z'
    {
        format!("{word}es")
    } else if consonant_y {
        format!("{stem_without_last}ies")
    } else {
        format!("{word}s")
    };
    let (ing, ed) = if let Some(stem) = word.strip_suffix("ie") {
        (format!("{stem}ying"), format!("{word}d"))
    } else if last == 'e' && !word.ends_with("ee") && !word.ends_with("oe") && !word.ends_with("ye")
    {
        (format!("{stem_without_last}ing"), format!("{word}d"))
    } else if cvc {
        (format!("{word}{last}ing"), format!("{word}{last}ed"))
    } else if consonant_y {
        (format!("{word}ing"), format!("{stem_without_last}ied"))
    } else {
        (format!("{word}ing"), format!("{word}ed"))
    };
    vec![word.to_owned(), plural, ing, ed]
}

/// All English spellings an entry stands for.
fn english_forms(form: &str) -> Vec<String> {
    let base = english_base(form);
    if !form.ends_with('~') {
        return vec![base];
    }
    match base.rsplit_once(' ') {
        Some((head, last)) => inflections(last)
            .into_iter()
            .map(|w| format!("{head} {w}"))
            .collect(),
        None => inflections(&base),
    }
}

impl Lexicon {
    fn load() -> Result<Self, MentorError> {
        let file: LexiconFile =
            serde_json::from_str(LEXICON_JSON).map_err(|source| MentorError::Json {
                what: "lexicon",
                source,
            })?;
        let mut groups: Vec<(Label, u8, &Vec<String>, &Vec<String>)> = Vec::new();
        for (id, forms) in &file.hobbies {
            let label = Label::Hobby(HobbyId::parse(id)?);
            groups.push((label, STRONG, &forms.ko, &forms.en));
            groups.push((label, WEAK, &forms.ko_weak, &forms.en_weak));
        }
        groups.push((Label::Other, STRONG, &file.other.ko, &file.other.en));
        groups.push((Label::Block, STRONG, &file.block.ko, &file.block.en));
        let mut ko = Builder::default();
        let mut en = Builder::default();
        // Pass 1: every form as written; pass 2: generated inflections, which never override a written form.
        for (label, weight, ko_forms, en_forms) in &groups {
            for form in ko_forms.iter() {
                let (pattern, breaks) = korean_form(form);
                ko.add(
                    pattern,
                    Entry {
                        label: *label,
                        weight: *weight,
                        breaks,
                    },
                );
            }
            for form in en_forms.iter() {
                en.add(
                    english_base(form),
                    Entry {
                        label: *label,
                        weight: *weight,
                        breaks: Vec::new(),
                    },
                );
            }
        }
        for (label, weight, _, en_forms) in &groups {
            for form in en_forms.iter().filter(|f| f.ends_with('~')) {
                for spelling in english_forms(form) {
                    en.add(
                        spelling,
                        Entry {
                            label: *label,
                            weight: *weight,
                            breaks: Vec::new(),
                        },
                    );
                }
            }
        }
        let (ko, ko_entries) = ko.build("korean")?;
        let (en, en_entries) = en.build("english")?;
        Ok(Self {
            ko,
            ko_entries,
            en,
            en_entries,
        })
    }

    /// Every lexicon hit in the sentence, overlapping ones included.
    pub fn hits(&self, text: &Normalized<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for m in self.ko.find_overlapping_iter(text.compact.as_str()) {
            let entry = &self.ko_entries[m.pattern().as_usize()];
            let spaced_ok = text
                .spaces_inside_compact(m.start(), m.end())
                .all(|gap| entry.breaks.contains(&gap));
            if !spaced_ok {
                continue;
            }
            let (start, end) = text.compact_span_to_norm(m.start(), m.end());
            hits.push(Hit {
                label: entry.label,
                weight: entry.weight,
                start,
                end,
            });
        }
        let bytes = text.norm.as_bytes();
        for m in self.en.find_overlapping_iter(text.norm.as_str()) {
            let left_ok = m.start() == 0 || !bytes[m.start() - 1].is_ascii_alphanumeric();
            let right_ok = m.end() == bytes.len() || !bytes[m.end()].is_ascii_alphanumeric();
            if left_ok && right_ok {
                let entry = &self.en_entries[m.pattern().as_usize()];
                hits.push(Hit {
                    label: entry.label,
                    weight: entry.weight,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        hits
    }

    /// Number of (pattern, meaning) pairs, for the report and tests.
    pub fn len(&self) -> usize {
        self.ko_entries.len() + self.en_entries.len()
    }
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| match Lexicon::load() {
    Ok(lexicon) => lexicon,
    // Embedded at compile time and loaded by every test run, so this is a build defect.
    Err(e) => panic!("embedded data/lexicon.json is invalid: {e}"),
});

pub(crate) fn lexicon() -> &'static Lexicon {
    &LEXICON
}

/// Forms listed under two different meanings (a data defect the tests reject).
pub(crate) fn conflicting_forms() -> Result<Vec<String>, MentorError> {
    let file: LexiconFile =
        serde_json::from_str(LEXICON_JSON).map_err(|source| MentorError::Json {
            what: "lexicon",
            source,
        })?;
    let mut meaning: HashMap<String, String> = HashMap::new();
    let mut conflicts = Vec::new();
    let mut note = |form: String, label: &str| match meaning.get(&form) {
        Some(prev) if prev != label => conflicts.push(format!("{form}: {prev} vs {label}")),
        Some(_) => {}
        None => {
            meaning.insert(form, label.to_owned());
        }
    };
    for (id, forms) in &file.hobbies {
        for f in forms.ko.iter().chain(&forms.ko_weak) {
            note(format!("ko:{}", korean_form(f).0), id);
        }
        for f in forms.en.iter().chain(&forms.en_weak) {
            note(format!("en:{}", english_base(f)), id);
        }
    }
    for (section, forms) in [("other", &file.other), ("block", &file.block)] {
        for f in &forms.ko {
            note(format!("ko:{}", korean_form(f).0), section);
        }
        for f in &forms.en {
            note(format!("en:{}", english_base(f)), section);
        }
    }
    Ok(conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflects_hobby_verbs() {
        assert_eq!(
            inflections("swim"),
            ["swim", "swims", "swimming", "swimmed"]
        );
        assert_eq!(inflections("bake")[2], "baking");
        assert_eq!(inflections("knit")[2], "knitting");
        assert_eq!(inflections("strum")[2], "strumming");
        assert_eq!(
            inflections("cook")[2],
            "cooking",
            "a double vowel is not doubled"
        );
        assert_eq!(inflections("sketch")[1], "sketches");
        assert_eq!(
            inflections("garden")[2],
            "gardening",
            "two syllables: no doubling"
        );
    }

    #[test]
    fn lexicon_loads_and_has_no_conflicting_forms() {
        assert!(
            lexicon().len() > 1000,
            "the lexicon should be far larger than the dev set"
        );
        let conflicts = conflicting_forms().expect("lexicon parses");
        assert!(
            conflicts.is_empty(),
            "forms listed with two meanings: {conflicts:?}"
        );
    }

    #[test]
    fn korean_forms_match_with_or_without_their_space_only() {
        let with = Normalized::new("한식 요리");
        let without = Normalized::new("한식요리");
        let across = Normalized::new("재밌어요 가끔");
        let has = |t: &Normalized<'_>, id: &str| {
            lexicon()
                .hits(t)
                .iter()
                .any(|h| h.label == Label::Hobby(HobbyId::parse(id).expect("id")))
        };
        assert!(has(&with, "korean_cooking") && has(&without, "korean_cooking"));
        assert!(
            !has(&across, "yoga"),
            "요가 must not be read across a word boundary"
        );
    }
}

//! Korean rules: 기타 (guitar vs "etc."), particles, and the noun phrase of an unlisted hobby.

use super::vocabulary::{
    Batchim, COPULA_ENDINGS, ETC_FOLLOWERS, INTENT, NOMINALS, PARTICLES, STOP, VERB_ENDINGS,
    VERBISH,
};

fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

fn is_jamo(c: char) -> bool {
    ('\u{3131}'..='\u{318E}').contains(&c) || ('\u{1100}'..='\u{11FF}').contains(&c)
}

fn has_batchim(c: char) -> bool {
    is_syllable(c) && !(c as u32 - 0xAC00).is_multiple_of(28)
}

fn syllables(s: &str) -> usize {
    s.chars().filter(|&c| is_syllable(c)).count()
}

/// Whether the 기타 at `start..end` of `norm` means "etc./other" rather than the guitar.
pub(crate) fn gita_means_etc(norm: &str, start: usize, end: usize) -> bool {
    let after = &norm[end..];
    if after.starts_with([':', ')', '/']) {
        return true;
    }
    let rest = after.strip_prefix(' ').unwrap_or(after);
    if ETC_FOLLOWERS.iter().any(|f| rest.starts_with(f)) {
        return true;
    }
    let before = norm[..start].trim_end();
    let prev = before.rsplit([' ', ',']).next().unwrap_or("");
    prev == "및" || prev.ends_with("외") || before.ends_with('(')
}

/// `token` without one trailing particle (respecting batchim) or nominalised verb.
fn strip_particle(token: &str) -> &str {
    for ending in VERB_ENDINGS {
        if let Some(stem) = token.strip_suffix(ending)
            && syllables(stem) >= 1
        {
            return stem;
        }
    }
    for (particle, batchim) in PARTICLES {
        let Some(stem) = token.strip_suffix(particle) else {
            continue;
        };
        let Some(last) = stem.chars().last() else {
            continue;
        };
        // A one-syllable noun keeps its 이/가 (종이, 요가): too short to tell particle from noun.
        let long_enough = !matches!(*particle, "이" | "가") || syllables(stem) >= 2;
        let fits = long_enough
            && match batchim {
                Batchim::Yes => has_batchim(last),
                Batchim::No => is_syllable(last) && !has_batchim(last),
                Batchim::Any => syllables(stem) >= 2 || !is_syllable(last),
            };
        if fits {
            return stem;
        }
    }
    token
}

fn is_stop(np: &str) -> bool {
    let compact: String = np.chars().filter(|c| !c.is_whitespace()).collect();
    STOP.contains(&compact.as_str())
}

fn is_nounish(word: &str) -> bool {
    let Some(last) = word.chars().last() else {
        return false;
    };
    word.chars()
        .all(|c| is_syllable(c) || c.is_ascii_alphanumeric())
        && word
            .chars()
            .any(|c| is_syllable(c) || c.is_ascii_alphabetic())
        && !(is_syllable(last) && VERBISH.contains(&last))
}

fn is_boundary_punct(c: char) -> bool {
    !(c.is_alphanumeric() || c == ' ')
}

/// The noun phrase (byte range in `norm`) ending right before byte `at`: the last word without its
/// particle, with one plain noun before it kept ("스쿠버 다이빙을" → "스쿠버 다이빙").
fn noun_phrase_before(norm: &str, at: usize) -> Option<(usize, usize)> {
    let head = norm[..at].trim_end();
    let clause_start = head.rfind(is_boundary_punct).map_or(0, |i| {
        i + head[i..].chars().next().map_or(1, char::len_utf8)
    });
    let mut clause = &head[clause_start..];
    // "커피 내리는 법" / "자전거 타는 거": the hobby is the object before the verb, not 법 or 거.
    let nominal = clause.rsplit(' ').next().map(strip_particle);
    if nominal.is_some_and(|w| NOMINALS.contains(&w)) {
        clause = clause[..clause.rfind(' ')?].trim_end();
        if clause
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.ends_with('는') || w.ends_with('을') || w.ends_with('할'))
        {
            clause = clause[..clause.rfind(' ')?].trim_end();
        }
    }
    let last_start = clause.rfind(' ').map_or(0, |i| i + 1);
    let last = &clause[last_start..];
    let core = strip_particle(last);
    if core.is_empty()
        || is_stop(core)
        || !core
            .chars()
            .any(|c| is_syllable(c) || c.is_ascii_alphabetic())
    {
        return None;
    }
    if core.chars().any(is_jamo) || syllables(core) > 12 {
        return None;
    }
    let mut start = clause_start + last_start;
    let end = start + core.len();
    if last_start > 0 {
        let before = clause[..last_start].trim_end();
        let prev_start = before.rfind(' ').map_or(0, |i| i + 1);
        let prev = &before[prev_start..];
        // Only a bare noun joins the phrase ("스쿠버 다이빙"), not one carrying a particle ("운동을").
        if !prev.is_empty() && is_nounish(prev) && strip_particle(prev) == prev && !is_stop(prev) {
            start = clause_start + prev_start;
        }
    }
    Some((start, end))
}

/// Byte ranges (in `norm`) of every learning-intent marker, in order.
fn intent_positions(norm: &str) -> Vec<usize> {
    let mut at: Vec<usize> = INTENT
        .iter()
        .flat_map(|m| norm.match_indices(m).map(|(i, _)| i))
        .collect();
    at.sort_unstable();
    at.dedup();
    at
}

/// An unlisted hobby named before a learning verb ("마술을 배우고 싶어요" → 마술).
pub(crate) fn intent_noun_phrase(
    norm: &str,
    taken: &dyn Fn(usize, usize) -> bool,
) -> Option<(usize, usize)> {
    intent_positions(norm)
        .into_iter()
        .filter_map(|at| noun_phrase_before(norm, at))
        .find(|&(s, e)| !taken(s, e) && !is_verbish_phrase(&norm[s..e]))
}

fn is_verbish_phrase(np: &str) -> bool {
    np.chars()
        .last()
        .is_some_and(|c| is_syllable(c) && VERBISH.contains(&c))
        && syllables(np) <= 1
}

/// A bare answer that is just a noun ("서핑이요", "테니스").
pub(crate) fn bare_noun_phrase(norm: &str) -> Option<(usize, usize)> {
    let trimmed_end = norm
        .trim_end_matches(|c: char| is_boundary_punct(c) || c == ' ')
        .len();
    let body = &norm[..trimmed_end];
    let words: Vec<(usize, &str)> = body
        .split(' ')
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    if words.is_empty()
        || words.len() > 2
        || words.iter().any(|(_, w)| w.chars().any(is_boundary_punct))
    {
        return None;
    }
    let (last_at, last) = words[words.len() - 1];
    let mut core = last;
    for ending in COPULA_ENDINGS {
        if let Some(stem) = last.strip_suffix(ending) {
            let ok = match *ending {
                "이요" | "이에요" | "입니다" => {
                    stem.chars().last().is_some_and(has_batchim)
                }
                _ => stem
                    .chars()
                    .last()
                    .is_some_and(|c| is_syllable(c) && !has_batchim(c)),
            };
            if ok {
                core = stem;
                break;
            }
        }
    }
    if syllables(core) < 2 || !is_nounish(core) || is_stop(core) || !core.chars().any(is_syllable) {
        return None;
    }
    let mut start = last_at;
    if words.len() == 2 {
        let (first_at, first) = words[0];
        if is_nounish(first) && !is_stop(first) {
            start = first_at;
        }
    }
    Some((start, last_at + core.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np(norm: &str) -> Option<&str> {
        intent_noun_phrase(norm, &|_, _| false).map(|(s, e)| &norm[s..e])
    }

    #[test]
    fn strips_particles_by_batchim() {
        assert_eq!(strip_particle("마술을"), "마술");
        assert_eq!(
            strip_particle("종이"),
            "종이",
            "이 after a vowel-final syllable is part of the noun"
        );
        assert_eq!(strip_particle("서핑이"), "서핑");
        assert_eq!(strip_particle("스노보드를"), "스노보드");
        assert_eq!(strip_particle("서핑하기"), "서핑");
    }

    #[test]
    fn finds_the_noun_before_a_learning_verb() {
        assert_eq!(np("마술을 배우고 싶어요"), Some("마술"));
        assert_eq!(
            np("마술을배우고싶어요"),
            Some("마술"),
            "spacing mistakes glue the verb to the noun"
        );
        assert_eq!(
            np("저는 스쿠버 다이빙을 배우고 싶어요"),
            Some("스쿠버 다이빙")
        );
        assert_eq!(np("취미로 마술을 배우고 싶어요"), Some("마술"));
        assert_eq!(np("뭘 배워야 할지 추천해 주세요"), None);
        assert_eq!(np("새로운 걸 배우고 싶어요"), None);
        assert_eq!(np("커피 내리는 법 배우고 싶어요"), Some("커피"));
        assert_eq!(
            np("운동을 시작하고 싶어요"),
            None,
            "운동 is too vague and 시작 is the verb"
        );
    }

    #[test]
    fn bare_answers() {
        let bare = |s: &'static str| bare_noun_phrase(s).map(|(a, b)| &s[a..b]);
        assert_eq!(bare("서핑이요"), Some("서핑"));
        assert_eq!(bare("테니스요!"), Some("테니스"));
        assert_eq!(bare("안녕하세요"), None);
        assert_eq!(bare("잘 모르겠어요"), None);
        assert_eq!(bare("몰라요"), None);
    }

    #[test]
    fn gita_etc_or_guitar() {
        let etc = |s: &str| {
            let at = s.find("기타").expect("기타 in sample");
            gita_means_etc(s, at, at + "기타".len())
        };
        assert!(etc("기타 등등"));
        assert!(etc("기타등등 다 좋아요"));
        assert!(etc("기타 의견은 없습니다"));
        assert!(etc("음악 및 기타"));
        assert!(!etc("기타를 배우고 싶어요"));
        assert!(!etc("기타 치고 싶어"));
        assert!(!etc("기타 연주"));
    }
}

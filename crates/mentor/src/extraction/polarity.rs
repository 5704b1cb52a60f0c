//! Which named hobby the learner actually wants: negation, contrast and past experience.
//!
//! Korean puts the cue after the noun ("요리 말고", "피아노는 쳐봤고"), English before it
//! ("not piano", "instead of running", "I used to play guitar"). Each candidate is marked
//! `negated` (dropped), `demoted` (past or less preferred: used only when nothing else is named)
//! or `focus` (after a contrast such as "이번엔", "but", "now": preferred among equals).

use super::lexicon::Label;
use super::vocabulary::{
    EN_CLAUSE_WORDS, EN_DEMOTE_AFTER, EN_DEMOTE_BEFORE, EN_FOCUS_AFTER, EN_FOCUS_BEFORE,
    EN_INTENSIFIERS, EN_NEGATION_AFTER, EN_NEGATION_BEFORE, EN_NEUTRAL_AFTER_NOT, KO_CHOICE_BEFORE,
    KO_CLAUSE_ENDS, KO_DEMOTE_AFTER, KO_DEMOTE_BEFORE, KO_FOCUS_AFTER, KO_FOCUS_BEFORE,
    KO_NEGATION_AFTER,
};

/// A hobby named in the sentence, with its reading in context.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub label: Label,
    pub weight: u8,
    pub start: usize,
    pub end: usize,
    pub negated: bool,
    pub demoted: bool,
    pub focus: bool,
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n' | '。')
}

fn is_clause_punct(c: char) -> bool {
    matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | '\n' | '。' | '、')
}

/// Words of a text slice: runs of alphanumerics.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

fn find_seq(words: &[&str], seq: &[&str]) -> Option<usize> {
    if seq.is_empty() || words.len() < seq.len() {
        return None;
    }
    (0..=words.len() - seq.len())
        .rev()
        .find(|&i| words[i..i + seq.len()] == *seq)
}

fn has_any_seq(words: &[&str], seqs: &[&[&str]]) -> bool {
    seqs.iter().any(|seq| find_seq(words, seq).is_some())
}

fn starts_with_any_seq(words: &[&str], seqs: &[&[&str]]) -> bool {
    seqs.iter()
        .any(|seq| words.len() >= seq.len() && words[..seq.len()] == **seq)
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The part of `pre` after the last clause boundary (punctuation or a linking word).
fn current_clause(pre: &str) -> Vec<&str> {
    let tail = match pre.rfind(is_clause_punct) {
        Some(at) => &pre[at + 1..],
        None => pre,
    };
    let ws = words(tail);
    match ws.iter().rposition(|w| EN_CLAUSE_WORDS.contains(w)) {
        Some(at) => ws[at + 1..].to_vec(),
        None => ws,
    }
}

/// English negation before the hobby, honouring "not sure", "no experience".
fn english_negated_before(clause: &[&str]) -> bool {
    for trigger in EN_NEGATION_BEFORE {
        let Some(at) = find_seq(clause, trigger) else {
            continue;
        };
        if matches!(trigger, [w] if *w == "not" || *w == "no") {
            let next = clause[at + 1..]
                .iter()
                .find(|w| !EN_INTENSIFIERS.contains(w));
            if next.is_some_and(|w| EN_NEUTRAL_AFTER_NOT.contains(w)) {
                continue;
            }
        }
        return true;
    }
    false
}

/// Korean "안 하고", "안배우고" right after the hobby.
fn korean_an_negation(post: &str) -> bool {
    let tokens: Vec<&str> = post.split_whitespace().collect();
    tokens.iter().enumerate().any(|(i, t)| {
        (*t == "안"
            && tokens.get(i + 1).is_some_and(|n| {
                [
                    "하", "배우", "배울", "치", "칠", "쳐", "할", "될", "되", "돼",
                ]
                .iter()
                .any(|p| n.starts_with(p))
            }))
            || ["안하", "안배우", "안칠", "안치"]
                .iter()
                .any(|p| t.starts_with(p))
    })
}

/// The Korean clause a hobby sits in, looking back: `pre` (spaces removed)
/// after its last clause ending ("이미 잘 치니까" ends before "바이올린을").
fn korean_clause(pre_compact: &str) -> &str {
    KO_CLAUSE_ENDS
        .iter()
        .filter_map(|e| pre_compact.rfind(e).map(|at| at + e.len()))
        .max()
        .map_or(pre_compact, |at| &pre_compact[at..])
}

/// Marks every candidate (sorted by `start`) as negated, demoted or in focus.
pub(crate) fn annotate(norm: &str, candidates: &mut [Candidate]) {
    for i in 0..candidates.len() {
        let (start, end, label) = (candidates[i].start, candidates[i].end, candidates[i].label);
        let prev_end = if i == 0 {
            0
        } else {
            candidates[i - 1].end.min(start)
        };
        let next_other = candidates[i + 1..]
            .iter()
            .find(|c| c.label != label)
            .map_or(norm.len(), |c| c.start.max(end));
        let pre = &norm[prev_end..start];
        let post_all = &norm[end..next_other];
        let post = match post_all.find(is_sentence_end) {
            Some(at) => &post_all[..at],
            None => post_all,
        };
        let pre_compact = compact(pre);
        let post_compact = compact(post);
        let clause = current_clause(pre);
        let post_words = words(post_all);
        let post_clause_words = words(match post_all.find(is_clause_punct) {
            Some(at) => &post_all[..at],
            None => post_all,
        });

        let negated = KO_NEGATION_AFTER.iter().any(|m| post_compact.contains(m))
            || korean_an_negation(post)
            || english_negated_before(&clause)
            || starts_with_any_seq(&post_words, EN_NEGATION_AFTER);
        let post_clause_compact = compact(match post.find(is_clause_punct) {
            Some(at) => &post[..at],
            None => post,
        });
        let demoted = KO_DEMOTE_AFTER.iter().any(|m| post_compact.contains(m))
            || KO_DEMOTE_BEFORE
                .iter()
                .any(|m| korean_clause(&pre_compact).contains(m))
            || has_any_seq(&clause, EN_DEMOTE_BEFORE)
            || has_any_seq(&post_clause_words, EN_DEMOTE_AFTER);
        // a choice offered and this one named from it, or a preference after it
        let sentence_before = compact(&norm[..start]);
        let chosen = KO_CHOICE_BEFORE.iter().any(|m| sentence_before.contains(m))
            && candidates[..i].iter().any(|c| c.label == label);
        let focus = KO_FOCUS_BEFORE.iter().any(|m| pre_compact.contains(m))
            || has_any_seq(&words(pre), EN_FOCUS_BEFORE)
            || KO_FOCUS_AFTER
                .iter()
                .any(|m| post_clause_compact.contains(m))
            || starts_with_any_seq(&post_clause_words, EN_FOCUS_AFTER)
            || chosen
            || (candidates[..i].iter().any(|c| c.label == label)
                && candidates[..i].iter().any(|c| c.label != label)
                && has_any_seq(&words(&norm[..start]), &[&["or"]]));
        let c = &mut candidates[i];
        c.negated = negated;
        c.demoted = demoted;
        c.focus = focus;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_followed_by_sure_is_not_a_negation() {
        assert!(!english_negated_before(&["im", "not", "sure", "maybe"]));
        assert!(!english_negated_before(&[
            "i",
            "have",
            "no",
            "experience",
            "with"
        ]));
        assert!(english_negated_before(&["im", "not", "really", "into"]));
        assert!(english_negated_before(&["instead", "of"]));
    }

    #[test]
    fn clause_starts_after_but_or_a_comma() {
        assert_eq!(
            current_clause("i dont want piano, i want "),
            vec!["i", "want"]
        );
        assert_eq!(current_clause(" but "), Vec::<&str>::new());
    }

    #[test]
    fn korean_an_is_only_a_negation_before_a_verb() {
        assert!(korean_an_negation("는 안 하고 싶어요"));
        assert!(
            !korean_an_negation("방에서 고음이 안 올라가요"),
            "안 + 올라가요 is about the voice, not refusing singing"
        );
        assert!(!korean_an_negation("를 편안하게 치고 싶어요"));
    }
}

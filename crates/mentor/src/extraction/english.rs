//! English rules for a hobby outside the lexicon: the noun phrase after "learn", "interested in", …

use super::vocabulary::{
    EN_BARE_STOP as BARE_STOP, EN_FILLERS as FILLERS, EN_HEAD_STOP as HEAD_STOP,
    EN_INTENT as INTENT, EN_INTENT_AFTER as INTENT_AFTER, EN_INTO_AFTER as INTO_AFTER,
    EN_TAIL_STOP as TAIL_STOP,
};

/// Tokens of `norm` with byte spans; punctuation tokens end phrases.
fn tokens(norm: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in norm.char_indices() {
        let word_char = c.is_alphanumeric() || c == '+';
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, true));
                start = None;
            }
            _ => {}
        }
        if !word_char && c != ' ' {
            out.push((i, i + c.len_utf8(), false));
        }
    }
    if let Some(s) = start {
        out.push((s, norm.len(), true));
    }
    out
}

fn is_ascii_word(w: &str) -> bool {
    w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+')
        && w.bytes().any(|b| b.is_ascii_alphabetic())
}

/// A hobby outside the lexicon named after a learning phrase ("learn juggling" → juggling).
pub(crate) fn intent_noun_phrase(
    norm: &str,
    taken: &dyn Fn(usize, usize) -> bool,
) -> Option<(usize, usize)> {
    let toks = tokens(norm);
    let word = |i: usize| -> &str {
        let (s, e, is_word) = toks[i];
        if is_word { &norm[s..e] } else { "" }
    };
    let n = toks.len();
    for i in 0..n {
        for intent in INTENT {
            let len = intent.len();
            if i + len > n || (0..len).any(|k| word(i + k) != intent[k]) {
                continue;
            }
            if intent == &["into"] && (i == 0 || !INTO_AFTER.contains(&word(i - 1))) {
                continue;
            }
            let mut j = i + len;
            while j < n && FILLERS.contains(&word(j)) {
                j += 1;
            }
            let mut k = j;
            while k < n && k - j < 3 && is_ascii_word(word(k)) && !TAIL_STOP.contains(&word(k)) {
                k += 1;
            }
            if k == j || HEAD_STOP.contains(&word(j)) {
                continue;
            }
            let (s, e) = (toks[j].0, toks[k - 1].1);
            if !taken(s, e) {
                return Some((s, e));
            }
        }
        if INTENT_AFTER.contains(&word(i)) && i > 0 {
            let mut j = i;
            while j > 0
                && i - j < 2
                && is_ascii_word(word(j - 1))
                && !TAIL_STOP.contains(&word(j - 1))
                && !FILLERS.contains(&word(j - 1))
            {
                j -= 1;
            }
            if j < i && !HEAD_STOP.contains(&word(j)) {
                let (s, e) = (toks[j].0, toks[i - 1].1);
                if !taken(s, e) {
                    return Some((s, e));
                }
            }
        }
    }
    None
}

/// A bare English answer that is just a hobby name ("Juggling!", "magic tricks please").
pub(crate) fn bare_noun_phrase(norm: &str) -> Option<(usize, usize)> {
    let words: Vec<(usize, usize)> = tokens(norm)
        .into_iter()
        .filter(|&(_, _, is_word)| is_word)
        .map(|(s, e, _)| (s, e))
        .filter(|&(s, e)| {
            !matches!(
                &norm[s..e],
                "please" | "pls" | "maybe" | "probably" | "definitely"
            )
        })
        .collect();
    if words.is_empty() || words.len() > 3 {
        return None;
    }
    let all_ok = words.iter().all(|&(s, e)| {
        let w = &norm[s..e];
        is_ascii_word(w)
            && w.len() >= 3
            && !BARE_STOP.contains(&w)
            && !HEAD_STOP.contains(&w)
            && !TAIL_STOP.contains(&w)
    });
    all_ok.then(|| (words[0].0, words[words.len() - 1].1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np(norm: &str) -> Option<&str> {
        intent_noun_phrase(norm, &|_, _| false).map(|(s, e)| &norm[s..e])
    }

    #[test]
    fn finds_the_hobby_after_a_learning_phrase() {
        assert_eq!(np("i want to learn juggling"), Some("juggling"));
        assert_eq!(
            np("i want to learn rock climbing this year"),
            Some("rock climbing")
        );
        assert_eq!(np("im interested in woodworking"), Some("woodworking"));
        assert_eq!(np("i want to learn how to make candles"), Some("candles"));
        assert_eq!(np("im looking for surfing lessons"), Some("surfing"));
        assert_eq!(np("i want to learn something new"), None);
        assert_eq!(np("im not sure yet"), None);
    }

    #[test]
    fn bare_answers() {
        let bare = |s: &'static str| bare_noun_phrase(s).map(|(a, b)| &s[a..b]);
        assert_eq!(bare("juggling!"), Some("juggling"));
        assert_eq!(bare("hello!"), None);
        assert_eq!(bare("not sure"), None);
    }
}

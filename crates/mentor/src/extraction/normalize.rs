//! Normalised views of a learner's sentence.
//!
//! `norm` is lower-cased with apostrophes dropped ("don't" → "dont") and whitespace runs collapsed
//! to one space; punctuation stays so clause boundaries survive. `compact` is `norm` without spaces,
//! so Korean terms match whatever the learner's spacing (기타를배우고싶어요). Both keep maps back to
//! the original text so mentions are reported as the learner wrote them.

/// One sentence in the forms the matchers need.
#[derive(Debug)]
pub(crate) struct Normalized<'a> {
    original: &'a str,
    /// Lower-cased, apostrophes dropped, single spaces, trimmed.
    pub norm: String,
    /// Per `norm` byte: byte offset in `original` where the producing char starts.
    start_of: Vec<usize>,
    /// Per `norm` byte: byte offset in `original` just after the producing char.
    end_of: Vec<usize>,
    /// `norm` without spaces.
    pub compact: String,
    /// Per `compact` byte: the byte offset in `norm`.
    compact_to_norm: Vec<usize>,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`')
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}')
}

impl<'a> Normalized<'a> {
    pub fn new(original: &'a str) -> Self {
        let mut norm = String::with_capacity(original.len());
        let mut start_of = Vec::with_capacity(original.len());
        let mut end_of = Vec::with_capacity(original.len());
        let mut pending_space = false;
        for (at, c) in original.char_indices() {
            let end = at + c.len_utf8();
            if is_apostrophe(c) || is_invisible(c) {
                continue;
            }
            if c.is_whitespace() {
                pending_space = !norm.is_empty();
                continue;
            }
            if pending_space {
                norm.push(' ');
                start_of.push(at);
                end_of.push(at);
                pending_space = false;
            }
            for lower in c.to_lowercase() {
                let before = norm.len();
                norm.push(lower);
                for _ in before..norm.len() {
                    start_of.push(at);
                    end_of.push(end);
                }
            }
        }
        let mut compact = String::with_capacity(norm.len());
        let mut compact_to_norm = Vec::with_capacity(norm.len());
        for (at, c) in norm.char_indices() {
            if c == ' ' {
                continue;
            }
            let before = compact.len();
            compact.push(c);
            for k in 0..compact.len() - before {
                compact_to_norm.push(at + k);
            }
        }
        Self {
            original,
            norm,
            start_of,
            end_of,
            compact,
            compact_to_norm,
        }
    }

    /// The `norm` byte range of a `compact` byte range.
    pub fn compact_span_to_norm(&self, start: usize, end: usize) -> (usize, usize) {
        (
            self.compact_to_norm[start],
            self.compact_to_norm[end - 1] + 1,
        )
    }

    /// Byte offsets inside a compact match (relative to its start) where `norm` had a space.
    pub fn spaces_inside_compact(
        &self,
        start: usize,
        end: usize,
    ) -> impl Iterator<Item = usize> + '_ {
        (start + 1..end)
            .filter(move |&i| {
                self.compact.is_char_boundary(i)
                    && self.compact_to_norm[i] != self.compact_to_norm[i - 1] + 1
            })
            .map(move |i| i - start)
    }

    /// The original text behind a `norm` byte range, trimmed.
    pub fn original_span(&self, start: usize, end: usize) -> &'a str {
        if start >= end {
            return "";
        }
        self.original[self.start_of[start]..self.end_of[end - 1]].trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_spacing_case_and_apostrophes() {
        let n = Normalized::new("  I Don’t   like  기타를배우고 ");
        assert_eq!(n.norm, "i dont like 기타를배우고");
        assert_eq!(n.compact, "idontlike기타를배우고");
        let at = n.norm.find("dont").expect("dont is in norm");
        assert_eq!(
            n.original_span(at, at + 4),
            "Don’t",
            "mentions map back to the learner's own spelling"
        );
    }

    #[test]
    fn reports_spaces_inside_a_compact_match() {
        let n = Normalized::new("한식 요리");
        let start = 0;
        let end = n.compact.len();
        let spaces: Vec<usize> = n.spaces_inside_compact(start, end).collect();
        assert_eq!(
            spaces,
            vec!["한식".len()],
            "the space sat between 한식 and 요리"
        );
        assert_eq!(n.compact_span_to_norm(start, end), (0, n.norm.len()));
    }
}

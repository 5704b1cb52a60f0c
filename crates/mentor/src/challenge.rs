//! Curated challenge plans shipped as data (`data/challenges/<hobby>.json`), and the level window
//! they are chosen from.
//!
//! Each hobby's list is ordered by difficulty (1–10). A learner gets the first `n` challenges of
//! the window for their level: beginner the easiest 40 %, intermediate 30–70 %, advanced 60–100 %
//! of the list. Plans an LLM generates for other hobbies must pass [`Challenge::validate`] too.
//! To add a hobby: write its file and list it in [`CHALLENGE_FILES`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::MentorError;
use crate::level_test::Level;
use crate::taxonomy::HobbyId;
use crate::text::Text;

/// Every shipped challenge list: (hobby id, file contents).
pub(crate) const CHALLENGE_FILES: &[(&str, &str)] = &[
    ("guitar", include_str!("../data/challenges/guitar.json")),
    ("piano", include_str!("../data/challenges/piano.json")),
    ("singing", include_str!("../data/challenges/singing.json")),
    ("drums", include_str!("../data/challenges/drums.json")),
    ("violin", include_str!("../data/challenges/violin.json")),
    ("ukulele", include_str!("../data/challenges/ukulele.json")),
    (
        "korean_cooking",
        include_str!("../data/challenges/korean_cooking.json"),
    ),
    ("baking", include_str!("../data/challenges/baking.json")),
    ("drawing", include_str!("../data/challenges/drawing.json")),
    (
        "photography",
        include_str!("../data/challenges/photography.json"),
    ),
    ("yoga", include_str!("../data/challenges/yoga.json")),
    ("chess", include_str!("../data/challenges/chess.json")),
];

/// Minimum curated challenges per hobby.
pub const MIN_CHALLENGES: usize = 10;
/// Difficulty scale: 1 (first day) ..= 10 (hardest curated).
pub const MAX_CHALLENGE_DIFFICULTY: u8 = 10;

/// One challenge plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Challenge {
    /// Stable id, unique across all hobbies (e.g. "guitar-c03"); progress is stored against it.
    pub id: String,
    /// 1 ..= 10; lists are ordered by it.
    pub difficulty: u8,
    /// Short title.
    pub title: Text,
    /// Steps to tick off, in order.
    pub steps: Vec<Text>,
    /// Materials or ingredients (songs, sheet music, flour…); may be empty for pure practice.
    pub materials: Vec<Text>,
    /// Tools and equipment.
    pub tools: Vec<Text>,
    /// How to practise it and what "done" looks like.
    pub method: Text,
    /// Expected time in minutes.
    pub minutes: u32,
}

impl Challenge {
    /// Checks structure: id, difficulty range, both languages in every string, ≥ 2 steps, at
    /// least one tool, a sane time.
    pub fn validate(&self) -> Result<(), MentorError> {
        let bad = |reason: String| Err(MentorError::invalid("challenge", &self.id, reason));
        if self.id.trim().is_empty() {
            return bad("empty id".into());
        }
        if !(1..=MAX_CHALLENGE_DIFFICULTY).contains(&self.difficulty) {
            return bad(format!(
                "difficulty {} is outside 1..={MAX_CHALLENGE_DIFFICULTY}",
                self.difficulty
            ));
        }
        if !self.title.is_complete() || !self.method.is_complete() {
            return bad("title and method need Korean and English".into());
        }
        if self.steps.len() < 2 {
            return bad(format!("{} steps, need at least 2", self.steps.len()));
        }
        if self.tools.is_empty() {
            return bad("no tools listed".into());
        }
        for (what, list) in [
            ("step", &self.steps),
            ("material", &self.materials),
            ("tool", &self.tools),
        ] {
            if let Some(i) = list.iter().position(|t| !t.is_complete()) {
                return bad(format!("{what} {i} lacks Korean or English text"));
            }
        }
        if !(5..=600).contains(&self.minutes) {
            return bad(format!(
                "{} minutes is not a plausible session",
                self.minutes
            ));
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ChallengeFile {
    hobby: HobbyId,
    challenges: Vec<Challenge>,
}

/// Checks a list: every challenge valid, unique ids, non-decreasing difficulty.
pub fn validate_list(owner: &str, list: &[Challenge]) -> Result<(), MentorError> {
    for (i, c) in list.iter().enumerate() {
        c.validate()?;
        if list[..i].iter().any(|p| p.id == c.id) {
            return Err(MentorError::invalid(
                "challenge list",
                owner,
                format!("duplicate id `{}`", c.id),
            ));
        }
        if i > 0 && list[i - 1].difficulty > c.difficulty {
            return Err(MentorError::invalid(
                "challenge list",
                owner,
                format!("`{}` breaks the difficulty order", c.id),
            ));
        }
    }
    Ok(())
}

pub(crate) fn load_challenges() -> Result<BTreeMap<HobbyId, Vec<Challenge>>, MentorError> {
    let mut all = BTreeMap::new();
    for (hobby, json) in CHALLENGE_FILES {
        let file: ChallengeFile =
            serde_json::from_str(json).map_err(|source| MentorError::Json {
                what: "challenge list",
                source,
            })?;
        if file.hobby.as_str() != *hobby {
            return Err(MentorError::invalid(
                "challenge list",
                *hobby,
                format!("file declares hobby `{}`", file.hobby),
            ));
        }
        if file.challenges.len() < MIN_CHALLENGES {
            return Err(MentorError::invalid(
                "challenge list",
                *hobby,
                format!(
                    "{} challenges, need {MIN_CHALLENGES}",
                    file.challenges.len()
                ),
            ));
        }
        validate_list(hobby, &file.challenges)?;
        all.insert(file.hobby, file.challenges);
    }
    let mut seen = std::collections::HashSet::new();
    for c in all.values().flatten() {
        if !seen.insert(c.id.as_str()) {
            return Err(MentorError::invalid(
                "challenge",
                &c.id,
                "id used by two hobbies",
            ));
        }
    }
    Ok(all)
}

static CHALLENGES: LazyLock<BTreeMap<HobbyId, Vec<Challenge>>> =
    LazyLock::new(|| match load_challenges() {
        Ok(all) => all,
        // Embedded at compile time and validated by the tests, so this is a build defect.
        Err(e) => panic!("embedded challenge lists are invalid: {e}"),
    });

/// The whole curated list for `hobby`, ordered by difficulty; `None` for hobbies without one
/// (the LLM generates plans for those).
pub fn curated_challenges(hobby: HobbyId) -> Option<&'static [Challenge]> {
    CHALLENGES.get(&hobby).map(Vec::as_slice)
}

/// The index window `[start, end)` of a `len`-long difficulty-ordered list for `level`:
/// beginner the easiest 40 %, intermediate 30–70 %, advanced 60–100 % (starts rounded down,
/// ends rounded up, so windows overlap and are never empty).
pub fn level_window(len: usize, level: Level) -> (usize, usize) {
    let (from, to) = match level {
        Level::Beginner => (0, 40),
        Level::Intermediate => (30, 70),
        Level::Advanced => (60, 100),
    };
    (len * from / 100, (len * to).div_ceil(100))
}

/// The first `n` curated challenges of `level`'s window, ordered by difficulty. Fewer when the
/// window is smaller than `n`; empty when the hobby has no curated list.
pub fn challenges_for(hobby: HobbyId, level: Level, n: usize) -> Vec<Challenge> {
    let Some(list) = curated_challenges(hobby) else {
        return Vec::new();
    };
    let (start, end) = level_window(list.len(), level);
    let mut window: Vec<Challenge> = list[start..end].to_vec();
    window.sort_by_key(|c| c.difficulty);
    window.truncate(n);
    window
}

/// Finds a curated challenge by id.
pub fn challenge_by_id(id: &str) -> Option<&'static Challenge> {
    CHALLENGES.values().flatten().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_for_ten_challenges() {
        assert_eq!(level_window(10, Level::Beginner), (0, 4));
        assert_eq!(level_window(10, Level::Intermediate), (3, 7));
        assert_eq!(level_window(10, Level::Advanced), (6, 10));
    }

    #[test]
    fn windows_never_empty_and_stay_in_bounds() {
        for len in 1..40 {
            for level in [Level::Beginner, Level::Intermediate, Level::Advanced] {
                let (s, e) = level_window(len, level);
                assert!(s < e && e <= len, "len {len} {level:?} gave {s}..{e}");
            }
        }
    }
}

//! One course and the small types it is made of.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A course's level, the same three levels the level test assigns.
/// On the wire: `beginner`, `intermediate`, `advanced`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// 초급.
    Beginner,
    /// 중급.
    Intermediate,
    /// 고급.
    Advanced,
}

impl Level {
    /// The three levels, easiest first.
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    /// The wire name (`beginner`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    /// The level by its wire name.
    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// The level's name in both languages (초급 / beginner, …).
    pub fn label(self) -> LocalText {
        let ko = match self {
            Level::Beginner => "초급",
            Level::Intermediate => "중급",
            Level::Advanced => "고급",
        };
        LocalText::new(ko, self.as_str())
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text in Korean and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalText {
    /// Korean, the users' first language.
    pub ko: String,
    /// English.
    pub en: String,
}

impl LocalText {
    /// A text from its two translations.
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ko: ko.into(),
            en: en.into(),
        }
    }

    /// The text for a UI locale: Korean for `ko`, `ko-KR`, …; English otherwise.
    pub fn for_locale(&self, locale: &str) -> &str {
        let lang = locale.split(['-', '_']).next().unwrap_or_default();
        if lang.eq_ignore_ascii_case("ko") {
            &self.ko
        } else {
            &self.en
        }
    }
}

/// One course of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Course {
    /// Stable slug (`guitar-b-open-chords`): lower-case ASCII letters, digits
    /// and `-`. Clicks and recommendations refer to courses by it.
    pub id: String,
    /// The taxonomy hobby id (`guitar`, `korean_cooking`, …).
    pub hobby: String,
    /// Who the course is for.
    pub level: Level,
    /// The course title.
    pub title: LocalText,
    /// One or two sentences on what the learner will be able to do.
    pub summary: LocalText,
    /// Number of lessons (≥ 1).
    pub lessons: u32,
    /// Total running time in minutes (≥ 10).
    pub minutes: u32,
    /// A few lower-case keywords.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The instructor's name.
    pub instructor: String,
    /// Ids of courses to take first: same hobby, same or lower level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prerequisites: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_wire_names_are_lower_case() {
        for level in Level::ALL {
            let json = serde_json::to_string(&level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.as_str()));
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert!(
            Level::Beginner < Level::Advanced,
            "levels order easiest first"
        );
    }

    #[test]
    fn locale_picks_korean_only_for_ko() {
        let t = LocalText::new("기타", "guitar");
        assert_eq!(t.for_locale("ko-KR"), "기타");
        assert_eq!(t.for_locale("KO"), "기타");
        assert_eq!(t.for_locale("en-US"), "guitar");
        assert_eq!(
            t.for_locale(""),
            "guitar",
            "unknown locales fall back to English"
        );
    }
}

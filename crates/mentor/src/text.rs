//! Bilingual text: every string a learner sees ships in Korean and English.

use serde::{Deserialize, Serialize};

/// A piece of text in both shipped languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Text {
    /// Korean.
    pub ko: String,
    /// English.
    pub en: String,
}

/// The languages the mentor's data ships in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Lang {
    /// Korean.
    Ko,
    /// English.
    En,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }

    /// Whether both languages hold visible text.
    pub fn is_complete(&self) -> bool {
        !self.ko.trim().is_empty() && !self.en.trim().is_empty()
    }
}

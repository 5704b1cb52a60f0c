//! Level-test question banks shipped as data (`data/levels/<hobby>.json`).
//!
//! Each bank holds at least 10 reviewed questions (Korean and English, four options, the answer
//! key, a difficulty 1–3 and an explanation) and, for instruments and voice, a performance melody.
//! To add a hobby: write its file and list it in [`BANK_FILES`].

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::MentorError;
use crate::performance::PerformancePart;
use crate::taxonomy::HobbyId;
use crate::text::Text;

/// Every shipped bank: (hobby id, file contents).
pub(crate) const BANK_FILES: &[(&str, &str)] = &[
    ("guitar", include_str!("../data/levels/guitar.json")),
    ("piano", include_str!("../data/levels/piano.json")),
    ("singing", include_str!("../data/levels/singing.json")),
    ("drums", include_str!("../data/levels/drums.json")),
    ("violin", include_str!("../data/levels/violin.json")),
    ("ukulele", include_str!("../data/levels/ukulele.json")),
    (
        "korean_cooking",
        include_str!("../data/levels/korean_cooking.json"),
    ),
    ("baking", include_str!("../data/levels/baking.json")),
    ("drawing", include_str!("../data/levels/drawing.json")),
    (
        "photography",
        include_str!("../data/levels/photography.json"),
    ),
    ("yoga", include_str!("../data/levels/yoga.json")),
    ("chess", include_str!("../data/levels/chess.json")),
];

/// Number of options every question has.
pub const OPTIONS_PER_QUESTION: usize = 4;
/// Minimum questions per bank.
pub const MIN_QUESTIONS: usize = 10;
/// Difficulties run from 1 (basics) to this (advanced).
pub const MAX_DIFFICULTY: u8 = 3;

/// One multiple-choice question with its answer key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Stable id, unique across all banks (e.g. "guitar-05").
    pub id: String,
    /// 1 (basics) ..= 3 (advanced).
    pub difficulty: u8,
    /// The question.
    pub prompt: Text,
    /// The four options.
    pub options: Vec<Text>,
    /// Index of the correct option.
    pub answer: usize,
    /// Why the answer is right, shown after grading.
    pub explanation: Text,
}

/// A hobby's question bank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bank {
    /// The hobby.
    pub hobby: HobbyId,
    /// Questions ordered by difficulty.
    pub questions: Vec<Question>,
    /// Melody to play or sing (instruments and voice only).
    pub performance: Option<PerformancePart>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawOptions {
    ko: Vec<String>,
    en: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawQuestion {
    id: String,
    difficulty: u8,
    prompt: Text,
    options: RawOptions,
    answer: usize,
    explanation: Text,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawBank {
    hobby: HobbyId,
    questions: Vec<RawQuestion>,
    #[serde(default)]
    performance: Option<PerformancePart>,
}

impl Question {
    /// Checks structure: both languages everywhere, 4 distinct options, answer in range, difficulty.
    pub fn validate(&self) -> Result<(), MentorError> {
        let bad = |reason: String| Err(MentorError::invalid("question", &self.id, reason));
        if self.id.trim().is_empty() {
            return bad("empty id".into());
        }
        if !(1..=MAX_DIFFICULTY).contains(&self.difficulty) {
            return bad(format!(
                "difficulty {} is outside 1..={MAX_DIFFICULTY}",
                self.difficulty
            ));
        }
        if !self.prompt.is_complete() || !self.explanation.is_complete() {
            return bad("prompt and explanation need Korean and English".into());
        }
        if self.options.len() != OPTIONS_PER_QUESTION {
            return bad(format!(
                "{} options, expected {OPTIONS_PER_QUESTION}",
                self.options.len()
            ));
        }
        if let Some(i) = self.options.iter().position(|o| !o.is_complete()) {
            return bad(format!("option {i} lacks Korean or English text"));
        }
        for (i, a) in self.options.iter().enumerate() {
            if self.options[..i]
                .iter()
                .any(|b| b.ko == a.ko || b.en == a.en)
            {
                return bad(format!("option {i} repeats an earlier option"));
            }
        }
        if self.answer >= self.options.len() {
            return bad(format!("answer index {} is out of range", self.answer));
        }
        Ok(())
    }
}

impl Bank {
    fn parse(expected: &str, json: &str) -> Result<Self, MentorError> {
        let raw: RawBank = serde_json::from_str(json).map_err(|source| MentorError::Json {
            what: "level bank",
            source,
        })?;
        if raw.hobby.as_str() != expected {
            return Err(MentorError::invalid(
                "level bank",
                expected,
                format!("file declares hobby `{}`", raw.hobby),
            ));
        }
        let mut questions = Vec::with_capacity(raw.questions.len());
        for q in raw.questions {
            if q.options.ko.len() != q.options.en.len() {
                return Err(MentorError::invalid(
                    "question",
                    q.id,
                    "Korean and English option counts differ",
                ));
            }
            let options = q
                .options
                .ko
                .into_iter()
                .zip(q.options.en)
                .map(|(ko, en)| Text { ko, en })
                .collect();
            questions.push(Question {
                id: q.id,
                difficulty: q.difficulty,
                prompt: q.prompt,
                options,
                answer: q.answer,
                explanation: q.explanation,
            });
        }
        let bank = Self {
            hobby: raw.hobby,
            questions,
            performance: raw.performance,
        };
        bank.validate()?;
        Ok(bank)
    }

    /// Checks every question, unique ids, ordering by difficulty, the performance part, and that
    /// instruments and voice have a melody while other hobbies have none.
    pub fn validate(&self) -> Result<(), MentorError> {
        let id = self.hobby.as_str();
        if self.questions.len() < MIN_QUESTIONS {
            return Err(MentorError::invalid(
                "level bank",
                id,
                format!("{} questions, need {MIN_QUESTIONS}", self.questions.len()),
            ));
        }
        for (i, q) in self.questions.iter().enumerate() {
            q.validate()?;
            if self.questions[..i].iter().any(|p| p.id == q.id) {
                return Err(MentorError::invalid(
                    "level bank",
                    id,
                    format!("duplicate question id `{}`", q.id),
                ));
            }
            if i > 0 && self.questions[i - 1].difficulty > q.difficulty {
                return Err(MentorError::invalid(
                    "level bank",
                    id,
                    format!("`{}` breaks the difficulty order", q.id),
                ));
            }
        }
        for d in 1..=MAX_DIFFICULTY {
            if !self.questions.iter().any(|q| q.difficulty == d) {
                return Err(MentorError::invalid(
                    "level bank",
                    id,
                    format!("no question of difficulty {d}"),
                ));
            }
        }
        match (&self.performance, self.hobby.info().kind.is_musical()) {
            (Some(p), true) => p.validate(id)?,
            (None, false) => {}
            (None, true) => {
                return Err(MentorError::invalid(
                    "level bank",
                    id,
                    "instruments and voice need a performance part",
                ));
            }
            (Some(_), false) => {
                return Err(MentorError::invalid(
                    "level bank",
                    id,
                    "only instruments and voice have a performance part",
                ));
            }
        }
        Ok(())
    }
}

pub(crate) fn load_banks() -> Result<BTreeMap<HobbyId, Bank>, MentorError> {
    let mut banks = BTreeMap::new();
    for (hobby, json) in BANK_FILES {
        let bank = Bank::parse(hobby, json)?;
        banks.insert(bank.hobby, bank);
    }
    let mut seen = std::collections::HashSet::new();
    for q in banks.values().flat_map(|b| &b.questions) {
        if !seen.insert(q.id.as_str()) {
            return Err(MentorError::invalid(
                "question",
                &q.id,
                "id used in two banks",
            ));
        }
    }
    Ok(banks)
}

static BANKS: LazyLock<BTreeMap<HobbyId, Bank>> = LazyLock::new(|| match load_banks() {
    Ok(banks) => banks,
    // Embedded at compile time and validated by the tests, so this is a build defect.
    Err(e) => panic!("embedded level banks are invalid: {e}"),
});

/// The question bank for `hobby`, if one ships.
pub fn level_bank(hobby: HobbyId) -> Option<&'static Bank> {
    BANKS.get(&hobby)
}

/// Hobbies with a shipped question bank.
pub fn level_test_hobbies() -> impl Iterator<Item = HobbyId> {
    BANKS.keys().copied()
}

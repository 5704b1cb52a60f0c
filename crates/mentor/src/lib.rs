//! The AI mentor's offline knowledge: hobby extraction, level-test banks and curated challenges.
//!
//! Everything here is pure data and code over it — no SQL, no HTTP. The core crate stores rooms,
//! tests and progress; the LLM crate talks to a model. This crate owns:
//! - [`extract_hobby`]: which taxonomy hobby (or `other` + mention) a learner's sentence names.
//!   Extend it by adding forms to `data/lexicon.json` (see `extraction` for the rules).
//! - Level tests ([`level_bank`], [`draw_test`], [`grade_test`]) from `data/levels/<hobby>.json`,
//!   with a [`PerformancePart`] melody for instruments and voice. Add a hobby by adding a file and
//!   listing it in `level::BANK_FILES`.
//! - Curated challenges ([`challenges_for`]) from `data/challenges/<hobby>.json`, listed in
//!   `challenge::CHALLENGE_FILES`.
//! - [`llm_assist`]: the JSON schemas an LLM must answer in and the checks its answers must pass.
//! - [`validate_catalog`]: re-validates every shipped file (used by the tests).
//!
//! `data/taxonomy.json` is a copy of `eval/hobby/taxonomy.json`; keep them equal.

mod catalog;
mod challenge;
mod error;
mod extraction;
mod level;
mod level_test;
pub mod llm_assist;
mod performance;
mod taxonomy;
mod text;

pub use catalog::{CatalogSummary, validate_catalog};
pub use challenge::{
    Challenge, MAX_CHALLENGE_DIFFICULTY, MIN_CHALLENGES, challenge_by_id, challenges_for,
    curated_challenges, level_window, validate_list,
};
pub use error::MentorError;
pub use extraction::{Extraction, ExtractionLine, HobbyLabel, extract_hobby};
pub use level::{
    Bank, MAX_DIFFICULTY, MIN_QUESTIONS, OPTIONS_PER_QUESTION, Question, level_bank,
    level_test_hobbies,
};
pub use level_test::{
    AnswerMark, Level, LevelResult, LevelTest, LevelTestView, QuestionView, TEST_LENGTH, draw_test,
    grade_test,
};
pub use performance::{PerformanceKind, PerformancePart, TargetNote};
pub use taxonomy::{HobbyId, HobbyInfo, HobbyKind};
pub use text::{Lang, Text};

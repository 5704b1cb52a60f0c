//! Community Q&A's IPC types (camelCase, TypeScript via ts-rs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a question list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum QuestionSort {
    /// Newest first.
    #[default]
    Newest,
    /// Questions no person has answered yet, newest first.
    Unanswered,
}

impl QuestionSort {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            QuestionSort::Newest => "newest",
            QuestionSort::Unanswered => "unanswered",
        }
    }
}

/// What to list; absent fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuestionFilter {
    #[serde(default)]
    pub sort: QuestionSort,
    /// Only questions about this hobby id.
    #[serde(default)]
    pub hobby: Option<String>,
    /// Text to find in titles and bodies (any part of a word, Korean too).
    #[serde(default)]
    pub q: Option<String>,
    /// `nextCursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// A question in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuestionSummary {
    pub question_id: String,
    pub asker_id: String,
    /// As the server last reported it; `None` when never seen online.
    pub asker_name: Option<String>,
    pub hobby: String,
    pub title: String,
    /// The body's first 200 characters.
    pub body_preview: String,
    /// Milliseconds since the Unix epoch (the asker's clock).
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub edited_at: Option<i64>,
    /// Answers, AI answers included.
    pub answer_count: u32,
    /// Answers by people.
    pub human_answer_count: u32,
    pub accepted_answer_id: Option<String>,
    /// Asked by this user.
    pub mine: bool,
    /// This user's post with changes the server has not acknowledged yet
    /// (written offline; the sync sends it).
    pub pending: bool,
}

/// A page of questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuestionList {
    pub questions: Vec<QuestionSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// The server could not be reached: these are the questions known on
    /// this device (own questions and threads opened before).
    pub from_cache: bool,
}

/// A question in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuestionView {
    #[serde(flatten)]
    pub summary: QuestionSummary,
    pub body: String,
}

/// The label of an answer written by an AI provider: always shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AiLabelView {
    /// The model that wrote the text.
    pub model: String,
}

/// An answer in a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnswerView {
    pub answer_id: String,
    pub question_id: String,
    pub author_id: String,
    pub author_name: Option<String>,
    pub body: String,
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub edited_at: Option<i64>,
    /// Present when the text came from an AI provider.
    pub ai: Option<AiLabelView>,
    /// The asker accepted it (only a person's answer can be).
    pub accepted: bool,
    /// The asker marked it helpful.
    pub helpful: bool,
    /// Up votes minus down votes.
    #[ts(type = "number")]
    pub score: i64,
    #[ts(type = "number")]
    pub up_votes: i64,
    #[ts(type = "number")]
    pub down_votes: i64,
    /// This user's vote: -1, 0 or 1.
    pub my_vote: i8,
    /// Written by this user.
    pub mine: bool,
    /// See [`QuestionSummary::pending`].
    pub pending: bool,
}

/// A question and its answers: the accepted one first, then by score, then
/// oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThreadView {
    pub question: QuestionView,
    pub answers: Vec<AnswerView>,
    /// The server could not be reached: built from this device's copies
    /// (votes and names as last fetched).
    pub from_cache: bool,
}

/// An answer's votes and helpful mark after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AnswerStatus {
    pub answer_id: String,
    pub helpful: bool,
    #[ts(type = "number")]
    pub score: i64,
    #[ts(type = "number")]
    pub up_votes: i64,
    #[ts(type = "number")]
    pub down_votes: i64,
    pub my_vote: i8,
}

/// A change of a question; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuestionEditInput {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
}

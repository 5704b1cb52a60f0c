//! The community Q&A thread index in storage: the records both backends
//! read and write, and the [`CommunityIndex`] trait every [`Storage`](super::Storage)
//! implements.
//!
//! Questions and answers themselves are Automerge documents; these rows are
//! the server's index of each document's current content (rewritten after
//! every stored change by `sync::community`), plus what only the server
//! holds: votes and "helpful" marks.

use async_trait::async_trait;

use crate::Error;

/// A question as the index holds it (deleted ones included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionRow {
    pub question_id: String,
    pub doc_id: String,
    pub asker_id: String,
    pub hobby: String,
    pub title: String,
    pub body: String,
    /// The asker's clock, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    pub deleted: bool,
    pub accepted_answer_id: Option<String>,
}

/// An answer as the index holds it (deleted ones included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub answer_id: String,
    pub question_id: String,
    pub doc_id: String,
    pub author_id: String,
    pub body: String,
    pub created_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    pub deleted: bool,
    /// The model named by the answer's AI label; `None` for a person's answer.
    pub ai_model: Option<String>,
}

/// The order of a question list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionSort {
    /// Every question, newest first.
    Newest,
    /// Questions no person has answered yet (AI answers do not count), newest first.
    Unanswered,
}

/// Where a page of questions starts: after this (created_at_ms, question_id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionCursor {
    pub created_at_ms: i64,
    pub question_id: String,
}

/// A question list request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionQuery {
    pub sort: QuestionSort,
    pub hobby: Option<String>,
    /// Words to find in titles and bodies (a substring match), already trimmed.
    pub text: Option<String>,
    pub limit: u32,
    pub after: Option<QuestionCursor>,
}

/// A question in a list, with its asker's name and answer counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionSummary {
    pub question: QuestionRow,
    pub asker_name: String,
    /// Answers not deleted.
    pub answer_count: i64,
    /// Answers not deleted and not by AI.
    pub human_answer_count: i64,
}

/// An answer in a thread: the row, its author's name, the asker's "helpful"
/// mark and the votes (with the viewer's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerEntry {
    pub answer: AnswerRow,
    pub author_name: String,
    pub helpful: bool,
    pub up_votes: i64,
    pub down_votes: i64,
    /// The viewer's vote: -1, 0 or 1.
    pub my_vote: i64,
}

/// The community thread index. Each method is one transaction.
#[async_trait]
pub trait CommunityIndex {
    /// Inserts or rewrites a question's row (and its search entry).
    async fn index_question(&self, row: &QuestionRow, now: i64) -> Result<(), Error>;
    /// Inserts or rewrites an answer's row; votes and the helpful mark stay.
    async fn index_answer(&self, row: &AnswerRow, now: i64) -> Result<(), Error>;
    async fn community_question(&self, question_id: &str) -> Result<Option<QuestionRow>, Error>;
    async fn community_answer(&self, answer_id: &str) -> Result<Option<AnswerRow>, Error>;
    /// One question with its asker's name and counts (deleted ones included).
    async fn question_summary(&self, question_id: &str) -> Result<Option<QuestionSummary>, Error>;
    /// Questions not deleted, filtered and ordered as asked.
    async fn list_questions(&self, query: &QuestionQuery) -> Result<Vec<QuestionSummary>, Error>;
    /// The answers (not deleted) of a question, votes as `viewer` sees them,
    /// in no particular order.
    async fn answers_of(&self, question_id: &str, viewer: &str) -> Result<Vec<AnswerEntry>, Error>;
    /// One answer (deleted ones included) as `viewer` sees it.
    async fn answer_entry(
        &self,
        answer_id: &str,
        viewer: &str,
    ) -> Result<Option<AnswerEntry>, Error>;
    /// Sets `user_id`'s vote on an answer: -1 or 1, or 0 to clear it.
    async fn set_vote(
        &self,
        answer_id: &str,
        user_id: &str,
        value: i64,
        now: i64,
    ) -> Result<(), Error>;
    /// Sets the asker's "helpful" mark on an answer.
    async fn set_helpful(&self, answer_id: &str, helpful: bool) -> Result<(), Error>;
}

/// A `LIKE`/`ILIKE` pattern matching `text` anywhere, with `\` escaping.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("바레"), "%바레%");
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}

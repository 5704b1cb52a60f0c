//! The sync server's JSON shapes under `/api/v1/community` (snake_case). The
//! last fetched thread is cached in this shape, so it can be read offline.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AiLabel {
    pub model: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct QuestionSummary {
    pub question_id: String,
    pub document_id: String,
    pub asker_id: String,
    pub asker_name: String,
    pub hobby: String,
    pub title: String,
    pub body_preview: String,
    pub created_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    pub answer_count: i64,
    pub human_answer_count: i64,
    pub accepted_answer_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct QuestionList {
    pub questions: Vec<QuestionSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Question {
    #[serde(flatten)]
    pub summary: QuestionSummary,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Answer {
    pub answer_id: String,
    pub document_id: String,
    pub author_id: String,
    pub author_name: String,
    pub body: String,
    pub created_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    pub ai: Option<AiLabel>,
    pub accepted: bool,
    pub helpful: bool,
    pub score: i64,
    pub up_votes: i64,
    pub down_votes: i64,
    pub my_vote: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Thread {
    pub question: Question,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AnswerStatus {
    pub answer_id: String,
    pub helpful: bool,
    pub score: i64,
    pub up_votes: i64,
    pub down_votes: i64,
    pub my_vote: i64,
}

impl From<AnswerStatus> for super::dto::AnswerStatus {
    fn from(s: AnswerStatus) -> Self {
        Self {
            answer_id: s.answer_id,
            helpful: s.helpful,
            score: s.score,
            up_votes: s.up_votes,
            down_votes: s.down_votes,
            my_vote: vote(s.my_vote),
        }
    }
}

/// A vote as -1, 0 or 1 (anything else the server might say reads as 0).
pub(crate) fn vote(v: i64) -> i8 {
    i8::try_from(v.clamp(-1, 1)).unwrap_or(0)
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub(crate) fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded_as_utf8() {
        assert_eq!(encode_query_value("a-b_c.d~"), "a-b_c.d~");
        assert_eq!(encode_query_value("기 &="), "%EA%B8%B0%20%26%3D");
    }

    #[test]
    fn votes_are_clamped() {
        assert_eq!((vote(-5), vote(0), vote(1), vote(9)), (-1, 0, 1, 1));
    }
}

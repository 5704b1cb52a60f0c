//! The crate's one error type.

/// Everything that can go wrong in the mentor's offline knowledge.
#[derive(Debug, thiserror::Error)]
pub enum MentorError {
    /// The id is not one of the taxonomy's canonical hobby ids.
    #[error("unknown hobby id `{0}`")]
    UnknownHobby(String),
    /// The hobby exists but no level-test bank ships for it.
    #[error("no level-test question bank for hobby `{0}`")]
    NoLevelBank(String),
    /// The hobby exists but no curated challenges ship for it.
    #[error("no curated challenges for hobby `{0}`")]
    NoChallenges(String),
    /// A level test was answered with the wrong number of answers.
    #[error("level test has {expected} questions but {got} answers were given")]
    AnswerCount {
        /// Number of questions in the test.
        expected: usize,
        /// Number of answers given.
        got: usize,
    },
    /// An answer picked an option that does not exist.
    #[error("answer {question} picks option {index}, but the question has {options} options")]
    AnswerOutOfRange {
        /// Zero-based question position in the test.
        question: usize,
        /// The option index given.
        index: usize,
        /// Number of options the question has.
        options: usize,
    },
    /// A performance score outside 0.0..=1.0 (or not a number).
    #[error("performance accuracy must be within 0.0..=1.0, got {0}")]
    PerformanceAccuracy(f32),
    /// Shipped or generated data that breaks the structure rules.
    #[error("invalid {what} `{id}`: {reason}")]
    InvalidData {
        /// Kind of record (question bank, challenge, lexicon, …).
        what: &'static str,
        /// Id of the offending record.
        id: String,
        /// The rule that is broken.
        reason: String,
    },
    /// JSON that does not parse into the expected shape.
    #[error("malformed {what} JSON: {source}")]
    Json {
        /// What was being parsed.
        what: &'static str,
        /// The parser's error.
        #[source]
        source: serde_json::Error,
    },
}

impl MentorError {
    pub(crate) fn invalid(
        what: &'static str,
        id: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self::InvalidData {
            what,
            id: id.into(),
            reason: reason.into(),
        }
    }
}

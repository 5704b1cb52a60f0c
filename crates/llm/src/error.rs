//! The one error type of this crate, with a stable machine-readable [`LlmError::code`].

use std::time::Duration;

/// Everything that can go wrong talking to a chat-completions provider.
///
/// The UI branches on [`LlmError::code`]; the `Display` text is for people and never contains the
/// API key (the client never puts it anywhere but the `Authorization` header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// The provider refused the credentials (HTTP 401 or 403).
    #[error(
        "the AI provider refused the request (HTTP {status}): check the API key in the settings"
    )]
    Unauthorized { status: u16 },

    /// No connection could be made (refused, DNS failure, connect timeout), even after retries.
    #[error("cannot reach the AI provider at {url}: {detail}")]
    Unreachable { url: String, detail: String },

    /// The provider did not answer in time.
    #[error("the AI provider did not answer in time: no {waiting_for} within {after:?}")]
    Timeout {
        /// What was awaited: "response", "response headers" or "next stream chunk".
        waiting_for: &'static str,
        after: Duration,
    },

    /// HTTP 429 persisted after every retry, or the provider asked us to wait longer than allowed.
    #[error("the AI provider is rate limiting requests{}", retry_hint(*.retry_after))]
    RateLimited { retry_after: Option<Duration> },

    /// The provider failed on its side (HTTP 5xx after retries, or an error event mid-stream).
    #[error("the AI provider failed{}: {body}", status_hint(*.status))]
    Server {
        /// `None` when the failure arrived as an error event inside a 200 stream.
        status: Option<u16>,
        /// The provider's error message or the start of its response body.
        body: String,
    },

    /// The provider rejected the request itself (HTTP 4xx other than 401/403/429), e.g. an unknown
    /// model or a context that is too long. Retrying the same request will not help.
    #[error("the AI provider rejected the request (HTTP {status}): {body}")]
    Rejected { status: u16, body: String },

    /// The response did not have the shape of a chat completion.
    #[error("the AI provider sent a malformed response: {what}")]
    Malformed { what: String },

    /// The connection broke while the reply was being received.
    #[error("the connection to the AI provider broke mid-reply: {detail}")]
    Interrupted { detail: String },

    /// The caller cancelled the request.
    #[error("the request was cancelled")]
    Cancelled,

    /// The configuration cannot work (bad base URL, empty model, zero timeout...).
    #[error("invalid AI provider setting `{field}`: {reason}")]
    InvalidConfig { field: &'static str, reason: String },
}

impl LlmError {
    /// A stable identifier for the UI to branch on (never changes with the wording).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized { .. } => "llm_unauthorized",
            Self::Unreachable { .. } => "llm_unreachable",
            Self::Timeout { .. } => "llm_timeout",
            Self::RateLimited { .. } => "llm_rate_limited",
            Self::Server { .. } => "llm_server",
            Self::Rejected { .. } => "llm_rejected",
            Self::Malformed { .. } => "llm_malformed",
            Self::Interrupted { .. } => "llm_interrupted",
            Self::Cancelled => "llm_cancelled",
            Self::InvalidConfig { .. } => "llm_invalid_config",
        }
    }

    /// Every code [`LlmError::code`] returns (the UI has a message for each).
    pub const CODES: &'static [&'static str] = &[
        "llm_unauthorized",
        "llm_unreachable",
        "llm_timeout",
        "llm_rate_limited",
        "llm_server",
        "llm_rejected",
        "llm_malformed",
        "llm_interrupted",
        "llm_cancelled",
        "llm_invalid_config",
    ];

    pub(crate) fn malformed(what: impl Into<String>) -> Self {
        Self::Malformed { what: what.into() }
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(" (it asks to wait {}s)", d.as_secs_f32().ceil()),
        None => String::new(),
    }
}

fn status_hint(status: Option<u16>) -> String {
    match status {
        Some(s) => format!(" (HTTP {s})"),
        None => " mid-reply".to_owned(),
    }
}

/// The start of a response body for an error message: the provider's `error.message` when the
/// body is an OpenAI-style error object, else the first 300 characters of the text.
pub(crate) fn body_excerpt(body: &str) -> String {
    const MAX_CHARS: usize = 300;
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
        let message = value
            .pointer("/error/message")
            .or_else(|| value.get("error").filter(|e| e.is_string()))
            .or_else(|| value.get("message"))
            .and_then(|m| m.as_str());
        if let Some(m) = message {
            return truncate_chars(m.trim(), MAX_CHARS);
        }
    }
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return "(empty body)".to_owned();
    }
    truncate_chars(trimmed, MAX_CHARS)
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_prefixed() {
        let all = [
            LlmError::Unauthorized { status: 401 },
            LlmError::Unreachable {
                url: "u".into(),
                detail: "d".into(),
            },
            LlmError::Timeout {
                waiting_for: "response",
                after: Duration::from_secs(1),
            },
            LlmError::RateLimited { retry_after: None },
            LlmError::Server {
                status: Some(500),
                body: "b".into(),
            },
            LlmError::Rejected {
                status: 400,
                body: "b".into(),
            },
            LlmError::malformed("x"),
            LlmError::Interrupted { detail: "d".into() },
            LlmError::Cancelled,
            LlmError::InvalidConfig {
                field: "model",
                reason: "empty".into(),
            },
        ];
        // No wildcard: a new variant does not compile until it is listed
        // here, in `all` above and in `LlmError::CODES`.
        for e in &all {
            match e {
                LlmError::Unauthorized { .. }
                | LlmError::Unreachable { .. }
                | LlmError::Timeout { .. }
                | LlmError::RateLimited { .. }
                | LlmError::Server { .. }
                | LlmError::Rejected { .. }
                | LlmError::Malformed { .. }
                | LlmError::Interrupted { .. }
                | LlmError::Cancelled
                | LlmError::InvalidConfig { .. } => {}
            }
        }
        let mut codes: Vec<_> = all.iter().map(LlmError::code).collect();
        assert!(codes.iter().all(|c| c.starts_with("llm_")));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes.len(),
            all.len(),
            "every variant needs its own code for the UI"
        );
        let mut listed = LlmError::CODES.to_vec();
        listed.sort_unstable();
        assert_eq!(codes, listed, "LlmError::CODES lists every code");
    }

    #[test]
    fn unauthorized_message_points_at_the_api_key() {
        let text = LlmError::Unauthorized { status: 401 }.to_string();
        assert!(text.contains("API key"), "{text}");
    }

    #[test]
    fn excerpt_prefers_the_openai_error_message() {
        let body = r#"{"error":{"message":"model 'x' not found","type":"invalid_request_error"}}"#;
        assert_eq!(body_excerpt(body), "model 'x' not found");
    }

    #[test]
    fn excerpt_truncates_long_text_on_a_char_boundary() {
        let body = "가".repeat(1000);
        let excerpt = body_excerpt(&body);
        assert_eq!(excerpt.chars().count(), 301, "300 chars plus the ellipsis");
        assert!(excerpt.ends_with('…'));
    }

    #[test]
    fn excerpt_names_an_empty_body() {
        assert_eq!(body_excerpt("  \n"), "(empty body)");
    }
}

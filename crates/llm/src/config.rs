//! Provider settings: base URL, model, API key (redacted), timeouts and the retry budget.

use std::fmt;
use std::time::Duration;

use reqwest::Url;

use crate::LlmError;

/// An API key. Its `Debug` output is redacted and it has no `Display` or `Serialize`, so it
/// cannot end up in logs, error messages or SQLite by accident; [`Secret::expose`] is the one way
/// to read it (the client uses it only for the `Authorization` header).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The key itself. Call only where it is sent to the provider.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// How to reach one OpenAI-compatible chat-completions provider.
///
/// `base_url` may be given as `http://host:port`, `http://host:port/v1` (with or without a
/// trailing slash) or as the full `.../chat/completions` endpoint; see [`chat_completions_url`].
#[derive(Debug, Clone, PartialEq)]
pub struct LlmConfig {
    pub base_url: String,
    pub model: String,
    pub api_key: Option<Secret>,
    /// Time to establish the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Whole request for [`crate::LlmClient::complete`]; time to the response headers when
    /// streaming.
    pub request_timeout: Duration,
    /// Longest silence allowed between two chunks of a streamed reply (keepalive comments count).
    pub stall_timeout: Duration,
    /// Retries after the first attempt on 429, 5xx and connect errors (0 = no retry).
    pub max_retries: u32,
    /// First backoff delay; doubled at every retry, up to `retry_max_delay`.
    pub retry_base_delay: Duration,
    pub retry_max_delay: Duration,
    /// A `Retry-After` longer than this is not waited out: the call fails with `RateLimited`.
    pub max_retry_after: Duration,
    /// Sampling temperature sent with every request (provider default when `None`).
    pub temperature: Option<f32>,
    /// Upper bound on generated tokens sent with every request (provider default when `None`).
    pub max_tokens: Option<u32>,
}

impl LlmConfig {
    /// Settings with the defaults below; add a key with [`LlmConfig::with_api_key`].
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            connect_timeout: Duration::from_secs(10),
            // Small local models on a laptop CPU can take a minute for a long reply.
            request_timeout: Duration::from_secs(180),
            stall_timeout: Duration::from_secs(60),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            temperature: None,
            max_tokens: None,
        }
    }

    /// The same settings with an API key (an empty key means none).
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        let key = key.into();
        self.api_key = (!key.trim().is_empty()).then(|| Secret::new(key.trim().to_owned()));
        self
    }

    /// Checks every field and returns the chat-completions endpoint these settings point at.
    pub fn validate(&self) -> Result<Url, LlmError> {
        if self.model.trim().is_empty() {
            return Err(invalid("model", "is empty"));
        }
        for (field, value) in [
            ("connect_timeout", self.connect_timeout),
            ("request_timeout", self.request_timeout),
            ("stall_timeout", self.stall_timeout),
        ] {
            if value.is_zero() {
                return Err(invalid(field, "must be longer than zero"));
            }
        }
        if let Some(t) = self.temperature
            && !(0.0..=2.0).contains(&t)
        {
            return Err(invalid("temperature", "must be between 0 and 2"));
        }
        if self.max_tokens == Some(0) {
            return Err(invalid("max_tokens", "must be at least 1"));
        }
        if let Some(key) = &self.api_key
            && reqwest::header::HeaderValue::from_str(&format!("Bearer {}", key.expose())).is_err()
        {
            // Say nothing about the key's content: the message may be shown or logged.
            return Err(invalid(
                "api_key",
                "contains characters not allowed in an HTTP header",
            ));
        }
        chat_completions_url(&self.base_url)
    }
}

fn invalid(field: &'static str, reason: impl Into<String>) -> LlmError {
    LlmError::InvalidConfig {
        field,
        reason: reason.into(),
    }
}

/// The `POST` endpoint for a base URL:
///
/// - `http://h:p` or `http://h:p/` → `http://h:p/v1/chat/completions`
/// - `http://h:p/v1` or `.../v1/` (any last segment like `v1`, `v2`, `v1beta`) → `.../v1/chat/completions`
/// - `https://api.example/openai` → `https://api.example/openai/v1/chat/completions`
/// - a URL already ending in `/chat/completions` is used as it is (for unusual providers).
pub fn chat_completions_url(base_url: &str) -> Result<Url, LlmError> {
    let trimmed = base_url.trim();
    if trimmed.is_empty() {
        return Err(invalid("base_url", "is empty"));
    }
    let mut url =
        Url::parse(trimmed).map_err(|e| invalid("base_url", format!("{e}: {trimmed}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(
            "base_url",
            format!("must start with http:// or https://: {trimmed}"),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("base_url", format!("has no host: {trimmed}")));
    }
    if url.fragment().is_some() {
        return Err(invalid(
            "base_url",
            format!("must not contain '#': {trimmed}"),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "base_url",
            "must not contain credentials; put the key in the API key setting",
        ));
    }
    let path = url.path().trim_end_matches('/').to_owned();
    let new_path = if path.ends_with("/chat/completions") {
        path
    } else if path.rsplit('/').next().is_some_and(is_version_segment) {
        format!("{path}/chat/completions")
    } else {
        format!("{path}/v1/chat/completions")
    };
    url.set_path(&new_path);
    Ok(url)
}

/// `v1`, `v2`, `v1beta`, `v1alpha2`...
fn is_version_segment(segment: &str) -> bool {
    let Some(rest) = segment.strip_prefix('v') else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && rest[digits..].chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(base: &str) -> String {
        chat_completions_url(base)
            .map(|u| u.to_string())
            .unwrap_or_else(|e| panic!("{base}: {e}"))
    }

    #[test]
    fn base_url_forms_all_reach_one_endpoint_without_double_v1() {
        for base in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:8080/v1",
            "http://127.0.0.1:8080/v1/",
            "  http://127.0.0.1:8080/v1//  ",
            "http://127.0.0.1:8080/v1/chat/completions",
        ] {
            assert_eq!(
                endpoint(base),
                "http://127.0.0.1:8080/v1/chat/completions",
                "{base}"
            );
        }
    }

    #[test]
    fn provider_paths_are_kept() {
        assert_eq!(
            endpoint("https://api.openai.com/v1"),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            endpoint("https://api.groq.com/openai/v1"),
            "https://api.groq.com/openai/v1/chat/completions"
        );
        assert_eq!(
            endpoint("http://gw.local/llm"),
            "http://gw.local/llm/v1/chat/completions"
        );
        assert_eq!(
            endpoint("https://g.example/v1beta/openai/chat/completions"),
            "https://g.example/v1beta/openai/chat/completions"
        );
        assert_eq!(
            endpoint("http://h/v1beta"),
            "http://h/v1beta/chat/completions"
        );
        assert_eq!(
            endpoint("http://localhost:11434"),
            "http://localhost:11434/v1/chat/completions"
        );
    }

    #[test]
    fn bad_base_urls_name_the_field() {
        for base in [
            "",
            "localhost:8080",
            "ftp://h/v1",
            "http://",
            "http://h/v1#x",
            "http://u:p@h/v1",
        ] {
            match chat_completions_url(base) {
                Err(LlmError::InvalidConfig {
                    field: "base_url", ..
                }) => {}
                other => panic!("{base:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn validate_rejects_empty_model_and_zero_timeouts() {
        let ok = LlmConfig::new("http://h", "m");
        assert!(ok.validate().is_ok());
        let mut c = ok.clone();
        c.model = " ".into();
        assert!(matches!(
            c.validate(),
            Err(LlmError::InvalidConfig { field: "model", .. })
        ));
        let mut c = ok.clone();
        c.stall_timeout = Duration::ZERO;
        assert!(matches!(
            c.validate(),
            Err(LlmError::InvalidConfig {
                field: "stall_timeout",
                ..
            })
        ));
        let c = ok.with_api_key("bad\nkey");
        let err = c.validate().unwrap_err();
        assert!(matches!(
            err,
            LlmError::InvalidConfig {
                field: "api_key",
                ..
            }
        ));
        assert!(
            !err.to_string().contains("bad"),
            "the message must not echo the key"
        );
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let c = LlmConfig::new("http://h", "m").with_api_key("sk-very-secret-123");
        let text = format!("{c:?}");
        assert!(!text.contains("sk-very-secret-123"), "{text}");
        assert!(text.contains("redacted"));
    }

    #[test]
    fn blank_key_means_no_key() {
        assert_eq!(
            LlmConfig::new("http://h", "m").with_api_key("  ").api_key,
            None
        );
    }
}

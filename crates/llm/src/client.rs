//! [`LlmClient`]: sends chat-completion requests with timeouts and bounded retries.
//!
//! Retries happen only before any part of a reply has been accepted: on connect errors, on
//! HTTP 429 (waiting out `Retry-After` when the server sends one) and on transient 5xx. Once a
//! stream has started, a failure is reported, never silently retried (tokens were shown).

use std::time::{Duration, SystemTime};

use reqwest::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Response, StatusCode, Url};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::error::body_excerpt;
use crate::retry::{backoff_delay, is_retryable_status, parse_retry_after};
use crate::wire::{ChatRequest, ResponseFormat, parse_completion};
use crate::{ChatMessage, Completion, JsonSchema, LlmConfig, LlmError, schema};

/// A client for one provider. Cheap to clone (the connection pool is shared); build a new one
/// when the settings change.
#[derive(Debug, Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    config: LlmConfig,
    endpoint: Url,
}

/// Whether the response will be read whole (one deadline) or as a stream (deadline per chunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Whole,
    Stream,
}

impl LlmClient {
    /// Checks the settings and prepares the HTTP client; makes no request.
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let endpoint = config.validate()?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("tutti-llm/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&endpoint) {
            // A local server (Ollama, llama.cpp) must never be sent through a system proxy.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| LlmError::InvalidConfig {
            field: "base_url",
            reason: format!("cannot build an HTTP client: {e}"),
        })?;
        Ok(Self {
            http,
            config,
            endpoint,
        })
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// The URL requests are POSTed to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// One whole reply (no streaming), bounded by `request_timeout`. Dropping the future
    /// abandons the request.
    pub async fn complete(&self, messages: &[ChatMessage]) -> Result<Completion, LlmError> {
        self.complete_with(messages, None).await
    }

    /// A reply constrained to `schema` with `response_format: {type: "json_schema", ...}`,
    /// parsed and checked against the schema's structure (a provider that ignores
    /// `response_format` is caught here). Markdown code fences around the JSON are tolerated.
    pub async fn complete_json(
        &self,
        messages: &[ChatMessage],
        schema: &JsonSchema,
    ) -> Result<Value, LlmError> {
        let completion = self
            .complete_with(messages, Some(ResponseFormat::json_schema(schema)))
            .await?;
        let text = schema::strip_code_fence(&completion.content);
        let value: Value = serde_json::from_str(text).map_err(|e| {
            LlmError::malformed(format!(
                "the reply is not JSON ({e}): {}",
                body_excerpt(text)
            ))
        })?;
        schema::check(&value, &schema.schema).map_err(|why| {
            LlmError::malformed(format!(
                "the reply does not follow the `{}` schema: {why}",
                schema.name
            ))
        })?;
        Ok(value)
    }

    /// Streams a reply, calling `on_token` with each piece of text in order, and returns the
    /// whole completion. `cancel` stops it promptly (between network reads and between tokens)
    /// with [`LlmError::Cancelled`]; no token is delivered after cancellation is seen.
    /// `stall_timeout` bounds the silence between chunks.
    pub async fn stream(
        &self,
        messages: &[ChatMessage],
        cancel: &CancellationToken,
        on_token: impl FnMut(&str),
    ) -> Result<Completion, LlmError> {
        let request = self.request(messages, true, None);
        let response = self.send(&request, Mode::Stream, Some(cancel)).await?;
        crate::reply::read_stream(response, &self.config, cancel, on_token).await
    }

    async fn complete_with(
        &self,
        messages: &[ChatMessage],
        format: Option<ResponseFormat<'_>>,
    ) -> Result<Completion, LlmError> {
        let request = self.request(messages, false, format);
        let response = self.send(&request, Mode::Whole, None).await?;
        let body = response
            .text()
            .await
            .map_err(|e| self.transport_error(&e, Mode::Whole))?;
        let completion = parse_completion(&body)?;
        tracing::debug!(
            chars = completion.content.len(),
            finish_reason = completion.finish_reason.as_deref(),
            "chat completion received"
        );
        Ok(completion)
    }

    fn request<'a>(
        &'a self,
        messages: &'a [ChatMessage],
        stream: bool,
        response_format: Option<ResponseFormat<'a>>,
    ) -> ChatRequest<'a> {
        ChatRequest {
            model: &self.config.model,
            messages,
            stream,
            temperature: self.config.temperature,
            max_tokens: self.config.max_tokens,
            response_format,
        }
    }

    /// POSTs `request` until it gets a 2xx response, an error that retrying cannot fix, or the
    /// retry budget is spent.
    async fn send(
        &self,
        request: &ChatRequest<'_>,
        mode: Mode,
        cancel: Option<&CancellationToken>,
    ) -> Result<Response, LlmError> {
        let never = CancellationToken::new();
        let cancel = cancel.unwrap_or(&never);
        let mut retry = 0u32;
        loop {
            if cancel.is_cancelled() {
                return Err(LlmError::Cancelled);
            }
            tracing::debug!(endpoint = %self.endpoint, model = %self.config.model, retry, "sending chat completion");
            let outcome = tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(LlmError::Cancelled),
                outcome = self.attempt(request, mode) => outcome,
            };
            let (error, wait) = match outcome {
                Attempt::Success(response) => return Ok(response),
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retryable { error, retry_after } => (error, retry_after),
            };
            if retry >= self.config.max_retries {
                tracing::warn!(
                    code = error.code(),
                    retries = retry,
                    "chat completion failed after retries"
                );
                return Err(error);
            }
            let wait = match wait {
                Some(asked) if asked > self.config.max_retry_after => {
                    tracing::warn!(
                        ?asked,
                        "provider asks to wait longer than allowed; giving up"
                    );
                    return Err(LlmError::RateLimited {
                        retry_after: Some(asked),
                    });
                }
                Some(asked) => asked,
                None => backoff_delay(
                    retry,
                    self.config.retry_base_delay,
                    self.config.retry_max_delay,
                ),
            };
            tracing::info!(
                code = error.code(),
                ?wait,
                retry = retry + 1,
                "retrying chat completion"
            );
            tokio::select! {
                biased;
                () = cancel.cancelled() => return Err(LlmError::Cancelled),
                () = tokio::time::sleep(wait) => {}
            }
            retry += 1;
        }
    }

    /// One HTTP exchange up to the response headers (plus the body of an error response).
    async fn attempt(&self, request: &ChatRequest<'_>, mode: Mode) -> Attempt {
        let accept = match mode {
            Mode::Whole => "application/json",
            Mode::Stream => "text/event-stream",
        };
        let mut builder = self
            .http
            .post(self.endpoint.clone())
            .header(ACCEPT, accept)
            .json(request);
        if let Some(key) = &self.config.api_key {
            builder = builder.bearer_auth(key.expose()); // reqwest marks the header sensitive
        }
        let sent = match mode {
            // reqwest's own timeout covers the whole exchange, body included.
            Mode::Whole => builder.timeout(self.config.request_timeout).send().await,
            // Streaming: only the wait for the headers is bounded here; chunks have their own.
            Mode::Stream => {
                match tokio::time::timeout(self.config.request_timeout, builder.send()).await {
                    Ok(sent) => sent,
                    Err(_) => {
                        return Attempt::Fatal(LlmError::Timeout {
                            waiting_for: "response headers",
                            after: self.config.request_timeout,
                        });
                    }
                }
            }
        };
        let response = match sent {
            Ok(response) => response,
            Err(e) if e.is_connect() => {
                return Attempt::Retryable {
                    error: self.unreachable(&e),
                    retry_after: None,
                };
            }
            Err(e) if e.is_timeout() => return Attempt::Fatal(self.transport_error(&e, mode)),
            // Nothing of a reply was received, so another try is safe.
            Err(e) => {
                return Attempt::Retryable {
                    error: self.transport_error(&e, mode),
                    retry_after: None,
                };
            }
        };
        let status = response.status();
        if status.is_success() {
            return Attempt::Success(response);
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        // The error body explains the failure; read it within a short bound.
        let body = match tokio::time::timeout(self.config.stall_timeout, response.text()).await {
            Ok(Ok(text)) => body_excerpt(&text),
            _ => "(body unreadable)".to_owned(),
        };
        tracing::debug!(status = status.as_u16(), %body, "provider answered with an error status");
        let code = status.as_u16();
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Attempt::Fatal(LlmError::Unauthorized { status: code })
            }
            StatusCode::TOO_MANY_REQUESTS => Attempt::Retryable {
                error: LlmError::RateLimited { retry_after },
                retry_after,
            },
            _ if is_retryable_status(code) => Attempt::Retryable {
                error: LlmError::Server {
                    status: Some(code),
                    body,
                },
                retry_after,
            },
            _ if status.is_server_error() => Attempt::Fatal(LlmError::Server {
                status: Some(code),
                body,
            }),
            _ => Attempt::Fatal(LlmError::Rejected { status: code, body }),
        }
    }

    fn unreachable(&self, e: &reqwest::Error) -> LlmError {
        LlmError::Unreachable {
            url: self.endpoint.to_string(),
            detail: root_cause(e),
        }
    }

    fn transport_error(&self, e: &reqwest::Error, mode: Mode) -> LlmError {
        if e.is_timeout() {
            return LlmError::Timeout {
                waiting_for: match mode {
                    Mode::Whole => "response",
                    Mode::Stream => "next stream chunk",
                },
                after: match mode {
                    Mode::Whole => self.config.request_timeout,
                    Mode::Stream => self.config.stall_timeout,
                },
            };
        }
        if e.is_connect() {
            return self.unreachable(e);
        }
        LlmError::Interrupted {
            detail: root_cause(e),
        }
    }
}

enum Attempt {
    Success(Response),
    Fatal(LlmError),
    Retryable {
        error: LlmError,
        retry_after: Option<Duration>,
    },
}

/// The innermost cause ("Connection refused (os error 111)") rather than reqwest's outer
/// "error sending request for url (...)".
pub(crate) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The content type of a response, lower-cased, without parameters.
pub(crate) fn content_type(response: &Response) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_futures_are_send_so_the_desktop_shell_can_spawn_them() {
        fn assert_send<T: Send>(_: &T) {}
        let client = LlmClient::new(LlmConfig::new("http://127.0.0.1:9", "m"))
            .unwrap_or_else(|e| panic!("{e}"));
        let cancel = CancellationToken::new();
        let schema = JsonSchema::new("s", serde_json::json!({}));
        assert_send(&client.complete(&[]));
        assert_send(&client.complete_json(&[], &schema));
        assert_send(&client.stream(&[], &cancel, |_| {}));
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for (url, expected) in [
            ("http://127.0.0.1:1/v1", true),
            ("http://localhost:1/v1", true),
            ("http://[::1]:1/v1", true),
            ("https://api.openai.com/v1", false),
        ] {
            let parsed = Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(is_loopback(&parsed), expected, "{url}");
        }
    }
}

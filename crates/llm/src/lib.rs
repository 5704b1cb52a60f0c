//! OpenAI-compatible chat-completions client: streaming, retries, timeouts, clear errors.
//!
//! This crate owns talking to any server that speaks `POST /v1/chat/completions` (OpenAI,
//! Ollama, llama.cpp's server, vLLM): building the request, reading a whole reply or a
//! Server-Sent-Events stream token by token, JSON-schema-constrained replies, retrying 429/5xx
//! and connect errors with backoff and `Retry-After`, connect/request/stall timeouts,
//! cancellation, and turning every failure into one [`LlmError`] with a stable
//! [`LlmError::code`]. It knows nothing about the mentor, the UI or where the API key is stored:
//! callers build an [`LlmConfig`] (the key from the OS keyring) and an [`LlmClient`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), tutti_llm::LlmError> {
//! use tutti_llm::{ChatMessage, LlmClient, LlmConfig};
//! let client = LlmClient::new(LlmConfig::new("http://127.0.0.1:11434", "llama3.2"))?;
//! let cancel = tokio_util::sync::CancellationToken::new();
//! let reply = client
//!     .stream(&[ChatMessage::user("Hi")], &cancel, |token| { let _ = token; /* to the UI */ })
//!     .await?;
//! # let _ = reply; Ok(()) }
//! ```
//!
//! Layout: `config` (settings, base-URL normalisation), `client` (requests, retries),
//! `reply` (reading a stream), `sse` (sans-IO event-stream decoder), `wire` (the JSON shapes),
//! `retry` (backoff, `Retry-After`), `schema` (checking constrained replies), `error`.
//! To support another provider quirk, extend `wire` (parsing) or `config` (URL forms) and add a
//! case to the loopback-server tests in `tests/llm/`.

mod client;
mod config;
mod error;
mod message;
mod reply;
mod retry;
mod schema;
mod sse;
mod wire;

pub use client::LlmClient;
pub use config::{LlmConfig, Secret, chat_completions_url};
pub use error::LlmError;
pub use message::{ChatMessage, Completion, JsonSchema, Role, Usage};
/// The cancellation handle [`LlmClient::stream`] takes (re-exported so callers need no
/// `tokio-util` dependency of their own).
pub use tokio_util::sync::CancellationToken;

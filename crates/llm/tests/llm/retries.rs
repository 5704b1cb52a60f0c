//! Retries: 429 with and without `Retry-After`, persistent 5xx, and what is never retried.

use std::time::Duration;

use tutti_llm::{CancellationToken, ChatMessage, LlmClient, LlmError};

use crate::server::{FakeProvider, Reply, completion_body, finish_events, token_event};
use crate::{guarded, test_config};

fn rate_limited() -> Reply {
    Reply::status(
        429,
        r#"{"error":{"message":"Rate limit reached","type":"requests"}}"#,
    )
}

#[tokio::test]
async fn rate_limited_then_success_is_retried() {
    let provider = FakeProvider::start(vec![
        rate_limited(),
        rate_limited(),
        Reply::ok_json(completion_body("hello")),
    ])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let reply = guarded(client.complete(&[ChatMessage::user("hi")]))
        .await
        .expect("third try succeeds");
    assert_eq!(reply.content, "hello");
    assert_eq!(provider.requests().len(), 3, "two 429s, then the answer");
}

#[tokio::test]
async fn retry_after_from_the_server_replaces_the_client_backoff() {
    // The client's own backoff is an hour: the call can only finish (inside the guard) if the
    // server's `Retry-After: 0` is what it waited for.
    let provider = FakeProvider::start(vec![
        rate_limited().with_header("retry-after", "0"),
        Reply::ok_json(completion_body("after the wait")),
    ])
    .await;
    let mut config = test_config(&provider.base_url);
    config.retry_base_delay = Duration::from_secs(3600);
    config.retry_max_delay = Duration::from_secs(3600);
    let client = LlmClient::new(config).expect("client");
    let reply = guarded(client.complete(&[ChatMessage::user("hi")]))
        .await
        .expect("retried");
    assert_eq!(reply.content, "after the wait");
    assert_eq!(provider.requests().len(), 2);
}

#[tokio::test]
async fn retry_after_longer_than_allowed_gives_up_at_once() {
    let provider =
        FakeProvider::start(vec![rate_limited().with_header("retry-after", "3600")]).await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
    assert_eq!(
        result,
        Err(LlmError::RateLimited {
            retry_after: Some(Duration::from_secs(3600))
        })
    );
    assert_eq!(
        provider.requests().len(),
        1,
        "waiting an hour is not an option; report it"
    );
}

#[tokio::test]
async fn persistent_rate_limit_ends_as_rate_limited_after_the_budget() {
    let provider = FakeProvider::start(vec![rate_limited()]).await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
    assert_eq!(result, Err(LlmError::RateLimited { retry_after: None }));
    assert_eq!(provider.requests().len(), 3, "first try + max_retries (2)");
}

#[tokio::test]
async fn persistent_500_is_a_server_error_after_bounded_retries() {
    let provider = FakeProvider::start(vec![Reply::status(
        500,
        r#"{"error":{"message":"CUDA out of memory"}}"#,
    )])
    .await;
    let mut config = test_config(&provider.base_url);
    config.max_retries = 3;
    let client = LlmClient::new(config).expect("client");
    let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
    assert_eq!(
        result,
        Err(LlmError::Server {
            status: Some(500),
            body: "CUDA out of memory".into()
        })
    );
    assert_eq!(
        provider.requests().len(),
        4,
        "first try + max_retries (3), then stop"
    );
}

#[tokio::test]
async fn zero_retries_means_one_attempt() {
    let provider = FakeProvider::start(vec![Reply::status(503, "overloaded")]).await;
    let mut config = test_config(&provider.base_url);
    config.max_retries = 0;
    let client = LlmClient::new(config).expect("client");
    let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
    assert_eq!(
        result,
        Err(LlmError::Server {
            status: Some(503),
            body: "overloaded".into()
        })
    );
    assert_eq!(provider.requests().len(), 1);
}

#[tokio::test]
async fn a_stream_is_retried_before_its_first_token() {
    let stream = format!("{}{}", token_event("fine"), finish_events("stop"));
    let provider = FakeProvider::start(vec![
        Reply::status(502, "bad gateway"),
        Reply::Sse {
            chunks: vec![stream.into_bytes()],
            hang: false,
        },
    ])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let mut tokens = Vec::new();
    let reply =
        guarded(
            client.stream(&[ChatMessage::user("hi")], &CancellationToken::new(), |t| {
                tokens.push(t.to_owned());
            }),
        )
        .await
        .expect("second try streams");
    assert_eq!(tokens, ["fine"]);
    assert_eq!(reply.content, "fine");
    assert_eq!(provider.requests().len(), 2);
}

#[tokio::test]
async fn unauthorized_is_not_retried() {
    for status in [401, 403] {
        let provider = FakeProvider::start(vec![Reply::status(
            status,
            r#"{"error":{"message":"Incorrect API key"}}"#,
        )])
        .await;
        let client = LlmClient::new(test_config(&provider.base_url).with_api_key("sk-wrong"))
            .expect("client");
        let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
        let error = result.expect_err("must fail");
        assert_eq!(error, LlmError::Unauthorized { status });
        assert_eq!(error.code(), "llm_unauthorized");
        assert!(
            error.to_string().contains("API key"),
            "the message tells what to fix: {error}"
        );
        assert_eq!(
            provider.requests().len(),
            1,
            "HTTP {status} must not be retried"
        );
    }
}

#[tokio::test]
async fn other_client_errors_are_rejected_without_retry() {
    let provider = FakeProvider::start(vec![Reply::status(
        404,
        r#"{"error":{"message":"model 'nope' not found"}}"#,
    )])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
    assert_eq!(
        result,
        Err(LlmError::Rejected {
            status: 404,
            body: "model 'nope' not found".into()
        })
    );
    assert_eq!(provider.requests().len(), 1);
}

//! Streaming (SSE) replies: token order, odd chunk boundaries, keepalives, cancellation,
//! stalls and broken streams.

use std::time::Duration;

use tutti_llm::{CancellationToken, ChatMessage, LlmClient, LlmError};

use crate::server::{
    FakeProvider, Reply, completion_body, finish_events, split_every, token_event,
};
use crate::{guarded, test_config};

const TOKENS: [&str; 6] = ["안녕", "하세요", "! ", "I'm", " Tutti", ".\n"];

fn full_stream() -> String {
    let mut s = String::from(": keepalive\n\n");
    for (i, token) in TOKENS.iter().enumerate() {
        s.push_str(&token_event(token));
        if i == 2 {
            s.push_str(": ping\r\n\r\n");
        }
    }
    s.push_str(&finish_events("stop"));
    s
}

async fn collect(
    client: &LlmClient,
    cancel: &CancellationToken,
) -> (Vec<String>, Result<tutti_llm::Completion, LlmError>) {
    let mut tokens = Vec::new();
    let result = guarded(client.stream(&[ChatMessage::user("hi")], cancel, |t| {
        tokens.push(t.to_owned())
    }))
    .await;
    (tokens, result)
}

#[tokio::test]
async fn tokens_arrive_in_order_across_odd_chunk_boundaries() {
    // 7-byte pieces cut through JSON, "data:" prefixes and the 3-byte Hangul characters.
    for piece in [1, 7, 64] {
        let provider = FakeProvider::start(vec![Reply::Sse {
            chunks: split_every(full_stream().as_bytes(), piece),
            hang: false,
        }])
        .await;
        let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
        let (tokens, result) = collect(&client, &CancellationToken::new()).await;
        let completion = result.unwrap_or_else(|e| panic!("piece {piece}: {e}"));
        assert_eq!(
            tokens, TOKENS,
            "piece size {piece}: every token once, in order"
        );
        assert_eq!(
            completion.content,
            TOKENS.concat(),
            "the completion is the tokens joined"
        );
        assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
        assert_eq!(completion.model.as_deref(), Some("fake-model"));
        let requests = provider.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(
            requests[0].body["stream"], true,
            "a streamed call must ask for a stream"
        );
        assert_eq!(requests[0].accept.as_deref(), Some("text/event-stream"));
        assert_eq!(
            requests[0].body["messages"][0],
            serde_json::json!({"role": "user", "content": "hi"})
        );
    }
}

#[tokio::test]
async fn cancel_mid_stream_stops_delivery_and_closes_the_connection() {
    let first = format!("{}{}", token_event("one"), token_event("two"));
    let provider = FakeProvider::start(vec![Reply::Sse {
        chunks: vec![first.into_bytes()],
        hang: true,
    }])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let cancel = CancellationToken::new();
    let mut tokens = Vec::new();
    let result = guarded(client.stream(&[ChatMessage::user("hi")], &cancel, |t| {
        tokens.push(t.to_owned());
        cancel.cancel(); // the learner pressed stop while the first token was shown
    }))
    .await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert_eq!(
        tokens,
        ["one"],
        "no token may be delivered after cancellation"
    );
    // The server's body stream was dropped: the client really hung up, it did not just stop reading.
    guarded(provider.stream_body_dropped()).await;
}

#[tokio::test]
async fn cancel_from_another_task_while_waiting_for_chunks() {
    let provider = FakeProvider::start(vec![Reply::Sse {
        chunks: vec![token_event("a").into_bytes()],
        hang: true,
    }])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let cancel = CancellationToken::new();
    let (first_tx, first_rx) = tokio::sync::oneshot::channel();
    let canceller = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            let _ = first_rx.await;
            cancel.cancel();
        })
    };
    let mut first_tx = Some(first_tx);
    let result = guarded(client.stream(&[ChatMessage::user("hi")], &cancel, |_| {
        if let Some(tx) = first_tx.take() {
            let _ = tx.send(());
        }
    }))
    .await;
    assert_eq!(
        result,
        Err(LlmError::Cancelled),
        "the stream was hanging; only cancel can end it"
    );
    canceller.await.expect("canceller task");
}

#[tokio::test]
async fn cancelled_before_start_sends_nothing() {
    let provider = FakeProvider::start(vec![Reply::ok_json(completion_body("x"))]).await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let cancel = CancellationToken::new();
    cancel.cancel();
    let (tokens, result) = collect(&client, &cancel).await;
    assert_eq!(result, Err(LlmError::Cancelled));
    assert!(tokens.is_empty());
    assert!(
        provider.requests().is_empty(),
        "a cancelled call must not reach the provider"
    );
}

#[tokio::test]
async fn stall_after_some_tokens_is_a_timeout() {
    let provider = FakeProvider::start(vec![Reply::Sse {
        chunks: vec![token_event("Hel").into_bytes()],
        hang: true,
    }])
    .await;
    let mut config = test_config(&provider.base_url);
    // Long enough that a busy machine still delivers the first token before it fires.
    config.stall_timeout = Duration::from_millis(1500);
    let client = LlmClient::new(config).expect("client");
    let (tokens, result) = collect(&client, &CancellationToken::new()).await;
    assert_eq!(tokens, ["Hel"], "tokens before the stall were delivered");
    match result {
        Err(LlmError::Timeout {
            waiting_for: "next stream chunk",
            after,
        }) => {
            assert_eq!(after, Duration::from_millis(1500));
        }
        other => panic!("expected a stall timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn headers_then_silence_is_a_timeout() {
    let provider = FakeProvider::start(vec![Reply::HeadersThenSilence {
        content_type: "text/event-stream",
    }])
    .await;
    let mut config = test_config(&provider.base_url);
    config.stall_timeout = Duration::from_millis(300);
    let client = LlmClient::new(config).expect("client");
    let (tokens, result) = collect(&client, &CancellationToken::new()).await;
    assert!(tokens.is_empty());
    assert!(
        matches!(
            result,
            Err(LlmError::Timeout {
                waiting_for: "next stream chunk",
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(provider.requests().len(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn no_headers_at_all_is_a_timeout() {
    let provider = FakeProvider::start(vec![Reply::NoHeaders]).await;
    let mut config = test_config(&provider.base_url);
    config.request_timeout = Duration::from_millis(300);
    let client = LlmClient::new(config).expect("client");
    let (_, result) = collect(&client, &CancellationToken::new()).await;
    assert!(
        matches!(
            result,
            Err(LlmError::Timeout {
                waiting_for: "response headers",
                ..
            })
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn bad_json_in_a_chunk_is_malformed() {
    let stream = format!(
        "{}data: {{\"choices\": [{{\"delta\": \n\n",
        token_event("ok")
    );
    let provider = FakeProvider::start(vec![Reply::Sse {
        chunks: vec![stream.into_bytes()],
        hang: false,
    }])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let (tokens, result) = collect(&client, &CancellationToken::new()).await;
    assert_eq!(tokens, ["ok"]);
    assert!(
        matches!(result, Err(LlmError::Malformed { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn error_event_mid_stream_is_a_server_error() {
    let stream = format!(
        "{}data: {{\"error\": {{\"message\": \"slot unavailable\"}}}}\n\n",
        token_event("a")
    );
    let provider = FakeProvider::start(vec![Reply::Sse {
        chunks: vec![stream.into_bytes()],
        hang: false,
    }])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let (_, result) = collect(&client, &CancellationToken::new()).await;
    assert_eq!(
        result,
        Err(LlmError::Server {
            status: None,
            body: "slot unavailable".into()
        })
    );
}

#[tokio::test]
async fn stream_cut_before_the_end_is_interrupted() {
    let provider = FakeProvider::start(vec![Reply::Sse {
        chunks: vec![token_event("half").into_bytes()],
        hang: false,
    }])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let (tokens, result) = collect(&client, &CancellationToken::new()).await;
    assert_eq!(tokens, ["half"]);
    assert!(
        matches!(result, Err(LlmError::Interrupted { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn server_ignoring_stream_true_still_yields_the_reply() {
    let provider = FakeProvider::start(vec![Reply::ok_json(completion_body("whole reply"))]).await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let (tokens, result) = collect(&client, &CancellationToken::new()).await;
    assert_eq!(tokens, ["whole reply"]);
    assert_eq!(result.map(|c| c.content), Ok("whole reply".to_owned()));
}

//! Whole (non-streamed) replies and the failures around them: malformed bodies, stalls,
//! unreachable hosts, the bearer header and base-URL forms.

use std::time::Duration;

use tutti_llm::{ChatMessage, LlmClient, LlmError};

use crate::server::{FakeProvider, Reply, completion_body};
use crate::{guarded, test_config};

#[tokio::test]
async fn whole_reply_parses_content_and_usage() {
    let provider =
        FakeProvider::start(vec![Reply::ok_json(completion_body("기타를 배워 봐요"))]).await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let reply = guarded(client.complete(&[ChatMessage::system("mentor"), ChatMessage::user("hi")]))
        .await
        .expect("reply");
    assert_eq!(reply.content, "기타를 배워 봐요");
    assert_eq!(reply.usage.map(|u| u.total_tokens), Some(7));
    let request = &provider.requests()[0];
    assert_eq!(request.body["stream"], false);
    assert_eq!(request.body["model"], "test-model");
    assert_eq!(request.body["messages"][0]["role"], "system");
    assert!(
        request.body.get("response_format").is_none(),
        "plain calls are not constrained"
    );
}

#[tokio::test]
async fn malformed_bodies_are_malformed_errors() {
    for body in [
        "{\"choices\": [",
        "<html>502 Bad Gateway</html>",
        r#"{"object":"chat.completion"}"#,
    ] {
        let provider = FakeProvider::start(vec![Reply::ok_json(body)]).await;
        let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
        let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
        match result {
            Err(e @ LlmError::Malformed { .. }) => assert_eq!(e.code(), "llm_malformed"),
            other => panic!("{body}: expected Malformed, got {other:?}"),
        }
        assert_eq!(
            provider.requests().len(),
            1,
            "a malformed 200 is not retried"
        );
    }
}

#[tokio::test]
async fn stalled_whole_reply_is_a_timeout() {
    let provider = FakeProvider::start(vec![Reply::HeadersThenSilence {
        content_type: "application/json",
    }])
    .await;
    let mut config = test_config(&provider.base_url);
    config.request_timeout = Duration::from_millis(300);
    let client = LlmClient::new(config).expect("client");
    let result = guarded(client.complete(&[ChatMessage::user("hi")])).await;
    assert_eq!(
        result,
        Err(LlmError::Timeout {
            waiting_for: "response",
            after: Duration::from_millis(300)
        })
    );
}

#[tokio::test]
async fn unreachable_port_is_unreachable() {
    // A port that was just free: bind, note it, release it. Nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut config = test_config(&format!("http://127.0.0.1:{port}/v1"));
    config.max_retries = 1;
    let client = LlmClient::new(config).expect("client");
    let error = guarded(client.complete(&[ChatMessage::user("hi")]))
        .await
        .expect_err("nothing listens");
    match &error {
        LlmError::Unreachable { url, detail } => {
            assert_eq!(url, &format!("http://127.0.0.1:{port}/v1/chat/completions"));
            assert!(!detail.is_empty());
        }
        other => panic!("expected Unreachable, got {other:?}"),
    }
    assert_eq!(error.code(), "llm_unreachable");
}

#[tokio::test]
async fn bearer_header_only_when_a_key_is_configured() {
    let provider = FakeProvider::start(vec![Reply::ok_json(completion_body("ok"))]).await;
    let keyed = LlmClient::new(test_config(&provider.base_url).with_api_key("sk-test-123"))
        .expect("client");
    let anonymous = LlmClient::new(test_config(&provider.base_url)).expect("client");
    guarded(keyed.complete(&[ChatMessage::user("a")]))
        .await
        .expect("keyed call");
    guarded(anonymous.complete(&[ChatMessage::user("b")]))
        .await
        .expect("anonymous call");
    let requests = provider.requests();
    assert_eq!(
        requests[0].authorization.as_deref(),
        Some("Bearer sk-test-123")
    );
    assert_eq!(
        requests[1].authorization, None,
        "no key, no Authorization header"
    );
    assert!(
        !format!("{keyed:?}").contains("sk-test-123"),
        "Debug of the client must redact the key"
    );
}

#[tokio::test]
async fn every_base_url_form_posts_to_one_path() {
    let provider = FakeProvider::start(vec![Reply::ok_json(completion_body("ok"))]).await;
    let base = &provider.base_url;
    for form in [
        base.clone(),
        format!("{base}/"),
        format!("{base}/v1"),
        format!("{base}/v1/"),
    ] {
        let client = LlmClient::new(test_config(&form)).expect("client");
        guarded(client.complete(&[ChatMessage::user("hi")]))
            .await
            .unwrap_or_else(|e| panic!("{form}: {e}"));
    }
    let paths: Vec<String> = provider.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        vec!["/v1/chat/completions"; 4],
        "no double /v1, no missing /v1"
    );
}

#[tokio::test]
async fn invalid_settings_fail_before_any_request() {
    let error = LlmClient::new(test_config("localhost:8080")).expect_err("no scheme");
    assert!(
        matches!(
            error,
            LlmError::InvalidConfig {
                field: "base_url",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.code(), "llm_invalid_config");
}

//! JSON-schema-constrained replies: the request shape and checking what comes back.

use serde_json::json;
use tutti_llm::{ChatMessage, JsonSchema, LlmClient, LlmError};

use crate::server::{FakeProvider, Reply, completion_body};
use crate::{guarded, test_config};

fn hobby_schema() -> JsonSchema {
    JsonSchema::new(
        "hobby_extraction",
        json!({
            "type": "object",
            "properties": {
                "hobby": {"type": ["string", "null"], "enum": ["guitar", "baking", "other", null]},
                "mention": {"type": ["string", "null"]}
            },
            "required": ["hobby", "mention"],
            "additionalProperties": false
        }),
    )
}

#[tokio::test]
async fn request_carries_response_format_json_schema() {
    let provider = FakeProvider::start(vec![Reply::ok_json(completion_body(
        r#"{"hobby":"baking","mention":"베이킹"}"#,
    ))])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let schema = hobby_schema();
    let value =
        guarded(client.complete_json(&[ChatMessage::user("요리 말고 베이킹이요")], &schema))
            .await
            .expect("json");
    assert_eq!(value, json!({"hobby": "baking", "mention": "베이킹"}));
    let body = &provider.requests()[0].body;
    assert_eq!(body["stream"], false);
    assert_eq!(
        body["response_format"],
        json!({
            "type": "json_schema",
            "json_schema": {"name": "hobby_extraction", "schema": schema.schema, "strict": true}
        }),
        "OpenAI's structured-output shape, which llama.cpp, vLLM and Ollama also accept"
    );
}

#[tokio::test]
async fn fenced_json_is_accepted() {
    let provider = FakeProvider::start(vec![Reply::ok_json(completion_body(
        "```json\n{\"hobby\":\"guitar\",\"mention\":\"기타\"}\n```",
    ))])
    .await;
    let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
    let value = guarded(client.complete_json(&[ChatMessage::user("기타")], &hobby_schema()))
        .await
        .expect("json");
    assert_eq!(value["hobby"], "guitar");
}

#[tokio::test]
async fn replies_that_are_not_json_or_break_the_schema_are_malformed() {
    for (reply, needle) in [
        ("I think the hobby is guitar!", "not JSON"),
        (r#"{"hobby":"golf","mention":null}"#, "not one of"),
        (
            r#"{"hobby":"guitar"}"#,
            "missing required property `mention`",
        ),
        (r#"["guitar"]"#, "should be object"),
    ] {
        let provider = FakeProvider::start(vec![Reply::ok_json(completion_body(reply))]).await;
        let client = LlmClient::new(test_config(&provider.base_url)).expect("client");
        match guarded(client.complete_json(&[ChatMessage::user("x")], &hobby_schema())).await {
            Err(LlmError::Malformed { what }) => assert!(what.contains(needle), "{reply}: {what}"),
            other => panic!("{reply}: expected Malformed, got {other:?}"),
        }
    }
}

//! The OpenAI chat-completions wire format: the request body and parsing of replies and chunks.
//!
//! Parsing is lenient where providers differ (missing `model`, `usage`, extra fields) and strict
//! where a reply would be meaningless (no `choices`, no message content).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{ChatMessage, Completion, JsonSchema, LlmError, Usage};

#[derive(Debug, Serialize)]
pub(crate) struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: &'a [ChatMessage],
    pub stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat<'a>>,
}

/// `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`.
#[derive(Debug, Serialize)]
pub(crate) struct ResponseFormat<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub json_schema: JsonSchemaFormat<'a>,
}

#[derive(Debug, Serialize)]
pub(crate) struct JsonSchemaFormat<'a> {
    pub name: &'a str,
    pub schema: &'a Value,
    pub strict: bool,
}

impl<'a> ResponseFormat<'a> {
    pub fn json_schema(schema: &'a JsonSchema) -> Self {
        Self {
            kind: "json_schema",
            json_schema: JsonSchemaFormat {
                name: &schema.name,
                schema: &schema.schema,
                strict: schema.strict,
            },
        }
    }
}

#[derive(Debug, Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u32,
    #[serde(default)]
    completion_tokens: u32,
    #[serde(default)]
    total_tokens: u32,
}

impl From<WireUsage> for Usage {
    fn from(u: WireUsage) -> Self {
        Self {
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
            total_tokens: u.total_tokens,
        }
    }
}

#[derive(Debug, Deserialize)]
struct WireResponse {
    model: Option<String>,
    choices: Option<Vec<WireChoice>>,
    usage: Option<WireUsage>,
}

#[derive(Debug, Deserialize)]
struct WireChoice {
    message: Option<WireMessage>,
    delta: Option<WireMessage>,
    finish_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireMessage {
    content: Option<String>,
    refusal: Option<String>,
}

/// What one streamed chunk adds to the reply.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ChunkDelta {
    pub content: Option<String>,
    pub finish_reason: Option<String>,
    pub model: Option<String>,
    pub usage: Option<Usage>,
}

/// Parses a non-streaming response body.
pub(crate) fn parse_completion(body: &str) -> Result<Completion, LlmError> {
    let value = parse_json(body, "response body")?;
    let reply: WireResponse = serde_json::from_value(value)
        .map_err(|e| LlmError::malformed(format!("response is not a chat completion: {e}")))?;
    let choice = reply
        .choices
        .and_then(|c| c.into_iter().next())
        .ok_or_else(|| LlmError::malformed("response has no `choices`"))?;
    let message = choice
        .message
        .ok_or_else(|| LlmError::malformed("`choices[0]` has no `message`"))?;
    let content = message
        .content
        .or(message.refusal)
        .ok_or_else(|| LlmError::malformed("`choices[0].message` has no `content`"))?;
    Ok(Completion {
        content,
        finish_reason: choice.finish_reason,
        model: reply.model,
        usage: reply.usage.map(Usage::from),
    })
}

/// Parses the JSON of one `data:` event of a stream (not `[DONE]`).
pub(crate) fn parse_chunk(data: &str) -> Result<ChunkDelta, LlmError> {
    let value = parse_json(data, "stream chunk")?;
    let chunk: WireResponse = serde_json::from_value(value)
        .map_err(|e| LlmError::malformed(format!("stream chunk is not a completion chunk: {e}")))?;
    let Some(choices) = chunk.choices else {
        return Err(LlmError::malformed("stream chunk has no `choices`"));
    };
    // A chunk with empty `choices` is legal: OpenAI's final usage-only chunk.
    let (content, finish_reason) = match choices.into_iter().next() {
        Some(choice) => (
            choice
                .delta
                .or(choice.message)
                .and_then(|d| d.content.or(d.refusal)),
            choice.finish_reason,
        ),
        None => (None, None),
    };
    Ok(ChunkDelta {
        content,
        finish_reason,
        model: chunk.model,
        usage: chunk.usage.map(Usage::from),
    })
}

/// JSON, or `Malformed`; an OpenAI-style `{"error": ...}` object becomes a `Server` error.
fn parse_json(text: &str, what: &str) -> Result<Value, LlmError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        LlmError::malformed(format!(
            "{what} is not JSON ({e}): {}",
            crate::error::body_excerpt(text)
        ))
    })?;
    if value.get("error").is_some_and(|e| !e.is_null()) {
        return Err(LlmError::Server {
            status: None,
            body: crate::error::body_excerpt(text),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn request_body_has_the_openai_shape() {
        let messages = [ChatMessage::system("s"), ChatMessage::user("u")];
        let schema = JsonSchema::new("hobby", serde_json::json!({"type": "object"}));
        let body = serde_json::to_value(ChatRequest {
            model: "m",
            messages: &messages,
            stream: false,
            temperature: None,
            max_tokens: Some(7),
            response_format: Some(ResponseFormat::json_schema(&schema)),
        })
        .unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({
                "model": "m",
                "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}],
                "stream": false,
                "max_tokens": 7,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "hobby", "schema": {"type": "object"}, "strict": true}
                }
            })
        );
        assert_eq!(Role::Assistant.as_str(), "assistant");
    }

    #[test]
    fn completion_with_usage_parses() {
        let body = r#"{"id":"x","model":"smol","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#;
        let c = parse_completion(body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.content, "hi");
        assert_eq!(c.finish_reason.as_deref(), Some("stop"));
        assert_eq!(c.model.as_deref(), Some("smol"));
        assert_eq!(c.usage.map(|u| u.total_tokens), Some(4));
    }

    #[test]
    fn missing_pieces_are_malformed_and_say_which() {
        for (body, needle) in [
            ("not json", "not JSON"),
            (r#"{"choices":[]}"#, "no `choices`"),
            (r#"{"object":"list"}"#, "no `choices`"),
            (r#"{"choices":[{"finish_reason":"stop"}]}"#, "no `message`"),
            (
                r#"{"choices":[{"message":{"role":"assistant"}}]}"#,
                "no `content`",
            ),
            (r#"{"choices":"x"}"#, "not a chat completion"),
        ] {
            match parse_completion(body) {
                Err(LlmError::Malformed { what }) => {
                    assert!(what.contains(needle), "{body}: {what}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn error_object_in_a_200_is_a_server_error() {
        let err = parse_chunk(r#"{"error":{"message":"out of memory"}}"#).unwrap_err();
        assert_eq!(
            err,
            LlmError::Server {
                status: None,
                body: "out of memory".into()
            }
        );
    }

    #[test]
    fn chunks_parse_delta_finish_and_usage_only() {
        let d = parse_chunk(
            r#"{"choices":[{"index":0,"delta":{"content":"He"},"finish_reason":null}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(d.content.as_deref(), Some("He"));
        let d = parse_chunk(r#"{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#)
            .unwrap_or_default();
        assert_eq!(
            (d.content, d.finish_reason.as_deref()),
            (None, Some("length"))
        );
        let d = parse_chunk(
            r#"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#,
        )
        .unwrap_or_default();
        assert_eq!(d.usage.map(|u| u.completion_tokens), Some(2));
        assert!(matches!(
            parse_chunk("{\"choices\":[{\"delta\":"),
            Err(LlmError::Malformed { .. })
        ));
    }
}

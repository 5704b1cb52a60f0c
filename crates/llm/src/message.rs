//! The caller-facing conversation types: messages in, a completion out.

use serde::{Deserialize, Serialize};

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

/// One message of the conversation sent to the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// The model's whole reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    /// The reply text (for a stream: every token concatenated in order).
    pub content: String,
    /// Why the model stopped: `"stop"`, `"length"`, ... as the provider reported it.
    pub finish_reason: Option<String>,
    /// The model name the provider reported, if any.
    pub model: Option<String>,
    /// Token counts, when the provider reported them.
    pub usage: Option<Usage>,
}

/// Token counts of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub total_tokens: u32,
}

/// A JSON Schema the reply of [`crate::LlmClient::complete_json`] must follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JsonSchema {
    /// A short identifier (`[a-zA-Z0-9_-]`, as OpenAI requires), e.g. `"hobby_extraction"`.
    pub name: String,
    /// The schema itself (`{"type": "object", "properties": ..., "required": ...}`).
    pub schema: serde_json::Value,
    /// Ask the provider for strict adherence (OpenAI's `strict: true`).
    pub strict: bool,
}

impl JsonSchema {
    /// A strict schema.
    pub fn new(name: impl Into<String>, schema: serde_json::Value) -> Self {
        Self {
            name: name.into(),
            schema,
            strict: true,
        }
    }
}

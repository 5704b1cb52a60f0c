//! What an LLM may contribute, and the checks its answers must pass before they are used.
//!
//! This crate does no HTTP: the LLM crate sends these schemas as `response_format` and hands the
//! reply text back here. Anything outside the rules is rejected with a [`MentorError`] naming
//! what is wrong, so the caller can retry or fall back to the offline answer.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::challenge::{Challenge, validate_list};
use crate::error::MentorError;
use crate::extraction::{Extraction, HobbyLabel};
use crate::taxonomy::HobbyId;
use crate::text::Text;

/// JSON Schema for a hobby-extraction reply: `{"hobby": <id>|"other"|null, "mention": string|null}`.
pub fn hobby_extraction_schema() -> Value {
    let mut ids: Vec<Value> = HobbyId::all().map(|id| Value::from(id.as_str())).collect();
    ids.push(Value::from("other"));
    ids.push(Value::Null);
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["hobby", "mention"],
        "properties": {
            "hobby": { "enum": ids },
            "mention": { "type": ["string", "null"], "description": "the hobby exactly as written in the text" }
        }
    })
}

#[derive(Deserialize)]
struct LlmExtraction {
    hobby: Option<String>,
    mention: Option<String>,
}

/// Accepts an LLM's extraction reply for `text` only if the hobby is a taxonomy id, null, or
/// `other` with a mention that occurs in `text` (case-insensitive).
pub fn accept_llm_extraction(text: &str, reply: &str) -> Result<Extraction, MentorError> {
    let bad = |reason: String| MentorError::invalid("LLM extraction", text, reason);
    let parsed: LlmExtraction =
        serde_json::from_str(reply).map_err(|source| MentorError::Json {
            what: "LLM extraction",
            source,
        })?;
    let Some(hobby) = parsed.hobby else {
        return Ok(Extraction::none());
    };
    let label = HobbyLabel::parse(&hobby)
        .map_err(|_| bad(format!("`{hobby}` is neither a taxonomy id nor `other`")))?;
    let mention = parsed
        .mention
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty());
    if label == HobbyLabel::Other {
        let Some(m) = &mention else {
            return Err(bad("`other` needs a mention".into()));
        };
        if !text.to_lowercase().contains(&m.to_lowercase()) {
            return Err(bad(format!("mention `{m}` does not occur in the text")));
        }
    }
    Ok(Extraction {
        hobby: Some(label),
        mention,
    })
}

/// JSON Schema for LLM-generated challenge plans (for hobbies without a curated list).
pub fn challenge_plan_schema() -> Value {
    let text = json!({
        "type": "object", "additionalProperties": false, "required": ["ko", "en"],
        "properties": { "ko": { "type": "string", "minLength": 1 }, "en": { "type": "string", "minLength": 1 } }
    });
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["challenges"],
        "properties": {
            "challenges": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object", "additionalProperties": false,
                    "required": ["difficulty", "title", "steps", "materials", "tools", "method", "minutes"],
                    "properties": {
                        "difficulty": { "type": "integer", "minimum": 1, "maximum": 10 },
                        "title": text,
                        "steps": { "type": "array", "minItems": 2, "items": text },
                        "materials": { "type": "array", "items": text },
                        "tools": { "type": "array", "minItems": 1, "items": text },
                        "method": text,
                        "minutes": { "type": "integer", "minimum": 5, "maximum": 600 }
                    }
                }
            }
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratedPlan {
    difficulty: u8,
    title: Text,
    steps: Vec<Text>,
    materials: Vec<Text>,
    tools: Vec<Text>,
    method: Text,
    minutes: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneratedPlans {
    challenges: Vec<GeneratedPlan>,
}

/// Parses and validates LLM-generated plans into [`Challenge`]s ordered by difficulty, with ids
/// `<id_prefix>-1`, `<id_prefix>-2`, …; any malformed plan rejects the whole reply.
pub fn parse_generated_challenges(
    id_prefix: &str,
    reply: &str,
) -> Result<Vec<Challenge>, MentorError> {
    let plans: GeneratedPlans =
        serde_json::from_str(reply).map_err(|source| MentorError::Json {
            what: "generated challenges",
            source,
        })?;
    if plans.challenges.is_empty() {
        return Err(MentorError::invalid(
            "generated challenges",
            id_prefix,
            "no challenges",
        ));
    }
    let mut list: Vec<Challenge> = plans
        .challenges
        .into_iter()
        .map(|p| Challenge {
            id: String::new(),
            difficulty: p.difficulty,
            title: p.title,
            steps: p.steps,
            materials: p.materials,
            tools: p.tools,
            method: p.method,
            minutes: p.minutes,
        })
        .collect();
    list.sort_by_key(|c| c.difficulty);
    for (i, c) in list.iter_mut().enumerate() {
        c.id = format!("{id_prefix}-{}", i + 1);
    }
    validate_list(id_prefix, &list)?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_taxonomy_or_grounded_other() {
        let text = "마술을 배우고 싶어요";
        assert_eq!(
            accept_llm_extraction(text, r#"{"hobby":"other","mention":"마술"}"#)
                .expect("grounded")
                .hobby,
            Some(HobbyLabel::Other)
        );
        assert!(
            accept_llm_extraction(text, r#"{"hobby":"other","mention":"서핑"}"#).is_err(),
            "mention not in text"
        );
        assert!(
            accept_llm_extraction(text, r#"{"hobby":"magic","mention":"마술"}"#).is_err(),
            "not a taxonomy id"
        );
        assert!(accept_llm_extraction(text, "not json").is_err());
        assert_eq!(
            accept_llm_extraction("안녕", r#"{"hobby":null,"mention":null}"#).expect("null ok"),
            Extraction::none()
        );
    }

    #[test]
    fn schema_lists_every_id_plus_other_and_null() {
        let schema = hobby_extraction_schema();
        let ids = schema["properties"]["hobby"]["enum"]
            .as_array()
            .expect("enum");
        assert_eq!(ids.len(), HobbyId::all().count() + 2);
    }
}

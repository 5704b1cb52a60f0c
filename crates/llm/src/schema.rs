//! A small structural JSON Schema check for constrained replies.
//!
//! Providers that honour `response_format: json_schema` already constrain generation, but many
//! OpenAI-compatible servers ignore it; this check catches replies that are JSON of the wrong
//! shape. It covers the keywords structured-output schemas use: `type`, `enum`, `const`,
//! `properties`, `required`, `additionalProperties: false`, `items`, `minItems`, `maxItems`.
//! Other keywords are accepted without checking (callers validate meaning into their own types).
//! Markdown code fences around a JSON reply (common when `response_format` is ignored) are
//! stripped first.

use serde_json::{Map, Value};

/// `Ok` when `value` fits `schema`, else the JSON path of the first mismatch and why.
pub(crate) fn check(value: &Value, schema: &Value) -> Result<(), String> {
    check_at(value, schema, "$")
}

fn check_at(value: &Value, schema: &Value, path: &str) -> Result<(), String> {
    let Some(schema) = schema.as_object() else {
        return Ok(()); // `true` or an unusual schema: nothing to check
    };
    if let Some(expected) = schema.get("type") {
        let allowed: Vec<&str> = match expected {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !allowed.is_empty() && !allowed.iter().any(|t| has_type(value, t)) {
            return Err(format!(
                "{path} should be {}, got {}",
                allowed.join(" or "),
                type_name(value)
            ));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        return Err(format!(
            "{path} = {value} is not one of {}",
            Value::Array(options.clone())
        ));
    }
    if let Some(constant) = schema.get("const")
        && constant != value
    {
        return Err(format!("{path} = {value} should be {constant}"));
    }
    match value {
        Value::Object(object) => check_object(object, schema, path),
        Value::Array(items) => check_array(items, schema, path),
        _ => Ok(()),
    }
}

fn check_object(
    object: &Map<String, Value>,
    schema: &Map<String, Value>,
    path: &str,
) -> Result<(), String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = name.as_str()
            && !object.contains_key(name)
        {
            return Err(format!("{path} is missing required property `{name}`"));
        }
    }
    for (name, item) in object {
        match properties.and_then(|p| p.get(name)) {
            Some(sub) => check_at(item, sub, &format!("{path}.{name}"))?,
            None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                return Err(format!("{path} has unexpected property `{name}`"));
            }
            None => {}
        }
    }
    Ok(())
}

fn check_array(items: &[Value], schema: &Map<String, Value>, path: &str) -> Result<(), String> {
    let len = items.len() as u64;
    if let Some(min) = schema.get("minItems").and_then(Value::as_u64)
        && len < min
    {
        return Err(format!("{path} has {len} items, fewer than {min}"));
    }
    if let Some(max) = schema.get("maxItems").and_then(Value::as_u64)
        && len > max
    {
        return Err(format!("{path} has {len} items, more than {max}"));
    }
    if let Some(item_schema) = schema.get("items") {
        for (i, item) in items.iter().enumerate() {
            check_at(item, item_schema, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

/// `"```json\n{..}\n```"` → `"{..}"`; anything else is returned trimmed.
pub(crate) fn strip_code_fence(text: &str) -> &str {
    let trimmed = text.trim();
    let Some(inner) = trimmed
        .strip_prefix("```")
        .and_then(|t| t.strip_suffix("```"))
    else {
        return trimmed;
    };
    let inner = inner.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    inner.trim()
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true, // an unknown type name: do not reject what we cannot judge
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hobby_schema() -> Value {
        json!({
            "type": "object",
            "properties": {
                "hobby": {"type": ["string", "null"], "enum": ["guitar", "cooking", null]},
                "mention": {"type": "string"},
                "steps": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}}
            },
            "required": ["hobby"],
            "additionalProperties": false
        })
    }

    #[test]
    fn fitting_values_pass() {
        for v in [
            json!({"hobby": "guitar"}),
            json!({"hobby": null, "mention": "x"}),
            json!({"hobby": "cooking", "steps": [1, 2.0]}),
        ] {
            assert_eq!(check(&v, &hobby_schema()), Ok(()), "{v}");
        }
    }

    #[test]
    fn mismatches_name_the_path() {
        for (v, needle) in [
            (json!([]), "$ should be object"),
            (json!({}), "missing required property `hobby`"),
            (json!({"hobby": "golf"}), "$.hobby = \"golf\" is not one of"),
            (
                json!({"hobby": "guitar", "x": 1}),
                "unexpected property `x`",
            ),
            (json!({"hobby": "guitar", "steps": []}), "fewer than 1"),
            (
                json!({"hobby": "guitar", "steps": [1, 2, 3, 4]}),
                "more than 3",
            ),
            (
                json!({"hobby": "guitar", "steps": [1.5]}),
                "$.steps[0] should be integer",
            ),
            (json!({"hobby": 3}), "$.hobby should be string or null"),
        ] {
            match check(&v, &hobby_schema()) {
                Err(why) => assert!(why.contains(needle), "{v}: {why}"),
                Ok(()) => panic!("{v} should not fit"),
            }
        }
    }

    #[test]
    fn code_fences_are_stripped() {
        assert_eq!(strip_code_fence("```json\n{\"a\":1}\n```"), "{\"a\":1}");
        assert_eq!(strip_code_fence("```\n[1]\n```"), "[1]");
        assert_eq!(strip_code_fence("  {\"a\":1} "), "{\"a\":1}");
    }

    #[test]
    fn const_and_permissive_schemas() {
        assert!(check(&json!("a"), &json!({"const": "b"})).is_err());
        assert_eq!(check(&json!({"any": 1}), &json!(true)), Ok(()));
        assert_eq!(check(&json!(1), &json!({"type": "uuid"})), Ok(()));
    }
}

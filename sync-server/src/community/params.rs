//! The query of `GET /community/questions`, checked field by field.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::error::ApiError;
use crate::storage::{QuestionCursor, QuestionQuery, QuestionSort};

/// Questions per page unless `limit` says otherwise.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;
const MAX_QUERY_CHARS: usize = 200;

/// The query of `GET /community/questions`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// `newest` (default) or `unanswered` (no answer by a person yet, newest first).
    pub sort: Option<String>,
    /// Only questions about this hobby id.
    pub hobby: Option<String>,
    /// Text to find in titles and bodies (any substring, e.g. a Korean word
    /// inside a sentence); at most 200 characters.
    pub q: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn parse_cursor(text: &str) -> Option<QuestionCursor> {
    let (ms, id) = text.split_once(':')?;
    let valid_id = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    Some(QuestionCursor {
        created_at_ms: ms.parse().ok()?,
        question_id: valid_id.then(|| id.to_owned())?,
    })
}

/// Checks the list parameters, naming the field at fault.
pub fn parse_list_params(p: ListParams) -> Result<QuestionQuery, ApiError> {
    let sort = match p.sort.as_deref().map(str::trim) {
        None | Some("" | "newest") => QuestionSort::Newest,
        Some("unanswered") => QuestionSort::Unanswered,
        Some(other) => {
            return Err(ApiError::invalid_field(
                "sort",
                format!("sort must be `newest` or `unanswered`, not `{other}`"),
            ));
        }
    };
    let limit = match p.limit.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::invalid_field(
                    "limit",
                    format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
                )
            })?,
    };
    let text = p.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    if let Some(q) = &text
        && q.chars().count() > MAX_QUERY_CHARS
    {
        return Err(ApiError::invalid_field(
            "q",
            format!("the search text is longer than {MAX_QUERY_CHARS} characters"),
        ));
    }
    let hobby = p
        .hobby
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    if hobby.as_ref().is_some_and(|h| h.chars().count() > 64) {
        return Err(ApiError::invalid_field(
            "hobby",
            "a hobby id is at most 64 characters",
        ));
    }
    let after = match p.cursor.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(parse_cursor(text).ok_or_else(|| {
            ApiError::invalid_field("cursor", "cursor must be a `next_cursor` from this list")
        })?),
    };
    Ok(QuestionQuery {
        sort,
        hobby,
        text,
        limit,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let mut p = ListParams::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "sort" => p.sort = v,
                "hobby" => p.hobby = v,
                "q" => p.q = v,
                "limit" => p.limit = v,
                _ => p.cursor = v,
            }
        }
        p
    }

    #[test]
    fn list_parameters_default_and_validate() {
        let q = parse_list_params(params(&[])).expect("defaults");
        assert_eq!(
            (q.sort, q.limit, q.text, q.after),
            (QuestionSort::Newest, 20, None, None)
        );
        let q = parse_list_params(params(&[("q", "  바레코드 "), ("cursor", "17:q-1")]))
            .expect("trimmed");
        assert_eq!(q.text.as_deref(), Some("바레코드"));
        assert_eq!(
            q.after,
            Some(QuestionCursor {
                created_at_ms: 17,
                question_id: "q-1".into()
            })
        );
        for (field, value) in [
            ("sort", "oldest"),
            ("limit", "0"),
            ("limit", "101"),
            ("limit", "ten"),
            ("cursor", "nonsense"),
            ("cursor", "12:bad id"),
        ] {
            let e = parse_list_params(params(&[(field, value)])).expect_err(value);
            assert_eq!(e.body.field.as_deref(), Some(field), "{value}");
        }
        let long = "가".repeat(201);
        let e = parse_list_params(params(&[("q", &long)])).expect_err("long q");
        assert_eq!(e.body.field.as_deref(), Some("q"));
    }
}

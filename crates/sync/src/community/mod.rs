//! Community Q&A documents: a question is its asker's document, each answer is
//! its author's document. Both are public (any signed-in user reads them) and
//! written only by their owner; the server keeps the thread index.
//!
//! ```text
//! question: { type: "communityQuestion", questionId, askerId, hobby, title, body,
//!             createdAt, editedAt /* ms or null */, deleted, acceptedAnswer /* answerId or null */ }
//! answer:   { type: "communityAnswer", questionId, answerId, authorId, body,
//!             createdAt, editedAt, deleted, ai /* absent, null or { model } */ }
//! ```
//!
//! Strings are Automerge text objects (as automerge-js writes plain strings);
//! the readers accept scalar strings too. Times are milliseconds since the
//! Unix epoch, as the writer's clock saw them.
//!
//! Document ids are derived ([`question_document_id`], [`answer_document_id`])
//! from the ids and the owner, so the server believes a new document's claim
//! only when its id matches, and every peer computes a thread's document ids.
//!
//! What a document is stays fixed after creation: [`check_document`] compares
//! the current content with the [`DocKind`] stored at creation (ids, owner,
//! hobby, and the AI label of an answer: an AI answer stays labelled with its
//! model) and validates the fields, so the server can refuse a change that
//! breaks any of it. Whether `acceptedAnswer` names a human answer needs the
//! other documents of the thread, so the server checks that against its index.

pub mod ai;
mod answer;
mod question;

use automerge::{ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};

use crate::acl::{DocKind, UserId};
use crate::chat::{read_millis, read_string, schema};
use crate::document_id::DocumentId;
use crate::error::ProtocolError;

pub use answer::{
    AiLabel, Answer, NewAnswer, create_answer, delete_answer, edit_answer, read_answer,
    verify_answer_document,
};
pub use question::{
    NewQuestion, Question, QuestionEdit, create_question, delete_question, edit_question,
    read_question, set_accepted_answer, verify_question_document,
};

/// Longest question title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest question or answer body, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Longest hobby id, question id or answer id, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Longest AI model name, in characters.
pub const MAX_MODEL_CHARS: usize = 200;

/// The `type` of a question document.
pub const QUESTION_TYPE: &str = "communityQuestion";
/// The `type` of an answer document.
pub const ANSWER_TYPE: &str = "communityAnswer";

/// The id of `asker`'s document for question `question_id`.
pub fn question_document_id(question_id: &str, asker_id: &UserId) -> DocumentId {
    DocumentId::derived("community-question/v1", &[question_id, asker_id.as_str()])
}

/// The id of `author`'s document for answer `answer_id` to question `question_id`.
pub fn answer_document_id(question_id: &str, answer_id: &str, author_id: &UserId) -> DocumentId {
    DocumentId::derived(
        "community-answer/v1",
        &[question_id, answer_id, author_id.as_str()],
    )
}

/// A fresh random id for a question or answer (32 hex digits).
pub fn new_post_id() -> String {
    DocumentId::random()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks a question or answer id: 1–64 ASCII letters, digits, `-` or `_`.
pub fn validate_post_id(field: &str, id: &str) -> Result<(), ProtocolError> {
    if id.is_empty() || id.len() > MAX_ID_CHARS {
        return Err(schema(
            field,
            format!("must be 1–{MAX_ID_CHARS} characters"),
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(schema(
            field,
            "may contain only ASCII letters, digits, `-` and `_`",
        ));
    }
    Ok(())
}

/// Checks a text field: not blank, at most `max` characters.
pub fn validate_text(field: &str, value: &str, max: usize) -> Result<(), ProtocolError> {
    if value.trim().is_empty() {
        return Err(schema(field, "must not be empty or blank"));
    }
    let chars = value.chars().count();
    if chars > max {
        return Err(schema(
            field,
            format!("is {chars} characters, longer than {max}"),
        ));
    }
    Ok(())
}

/// Checks a question title (1–200 characters, not blank).
pub fn validate_title(title: &str) -> Result<(), ProtocolError> {
    validate_text("title", title, MAX_TITLE_CHARS)
}

/// Checks a question or answer body (1–20 000 characters, not blank).
pub fn validate_body(body: &str) -> Result<(), ProtocolError> {
    validate_text("body", body, MAX_BODY_CHARS)
}

/// Checks a hobby id (1–64 characters, not blank).
pub fn validate_hobby(hobby: &str) -> Result<(), ProtocolError> {
    validate_text("hobby", hobby, MAX_ID_CHARS)
}

/// A community document's content, as [`check_document`] read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommunityDoc {
    Question(Question),
    Answer(Answer),
}

/// Checks that `doc`, stored as a document of `kind` owned by `owner`, still
/// is what it was created as (same ids, owner, hobby, AI label) and that every
/// field is valid. Returns its content. A kind that is not a community kind is
/// a schema error.
pub fn check_document<D: ReadDoc>(
    doc: &D,
    owner: &UserId,
    kind: &DocKind,
) -> Result<CommunityDoc, ProtocolError> {
    let fixed = |field: &str, was: &str, now: &str| -> Result<(), ProtocolError> {
        if was == now {
            Ok(())
        } else {
            Err(schema(
                field,
                format!("is fixed at creation (`{was}`), cannot become `{now}`"),
            ))
        }
    };
    match kind {
        DocKind::CommunityQuestion { question_id, hobby } => {
            let q = read_question(doc)?;
            fixed("questionId", question_id, &q.question_id)?;
            fixed("askerId", owner.as_str(), q.asker_id.as_str())?;
            fixed("hobby", hobby, &q.hobby)?;
            Ok(CommunityDoc::Question(q))
        }
        DocKind::CommunityAnswer {
            question_id,
            answer_id,
            ai_model,
        } => {
            let a = read_answer(doc)?;
            fixed("questionId", question_id, &a.question_id)?;
            fixed("answerId", answer_id, &a.answer_id)?;
            fixed("authorId", owner.as_str(), a.author_id.as_str())?;
            let now_model = a.ai.as_ref().map(|ai| ai.model.as_str());
            if now_model != ai_model.as_deref() {
                return Err(schema(
                    "ai",
                    format!(
                        "the AI label is fixed at creation ({}), cannot become {}",
                        ai_model.as_deref().unwrap_or("not AI"),
                        now_model.unwrap_or("not AI")
                    ),
                ));
            }
            Ok(CommunityDoc::Answer(a))
        }
        other => Err(schema(
            "type",
            format!("a {other:?} document is not a community document"),
        )),
    }
}

/// The root `type` of a document, if it has a string one.
pub fn document_type<D: ReadDoc>(doc: &D) -> Option<String> {
    read_string(doc, &ROOT, "type").ok()
}

fn expect_type<D: ReadDoc>(doc: &D, expected: &str) -> Result<(), ProtocolError> {
    let found = read_string(doc, &ROOT, "type")?;
    if found != expected {
        return Err(schema(
            "type",
            format!("expected `{expected}`, found `{found}`"),
        ));
    }
    Ok(())
}

/// Milliseconds, or `None` when the field is absent or null.
fn read_optional_millis<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<Option<i64>, ProtocolError> {
    match doc.get(obj, key)? {
        None => Ok(None),
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Null) => Ok(None),
        Some(_) => read_millis(doc, obj, key).map(Some),
    }
}

/// A string, or `None` when the field is absent or null.
fn read_optional_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<Option<String>, ProtocolError> {
    match doc.get(obj, key)? {
        None => Ok(None),
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Null) => Ok(None),
        Some(_) => read_string(doc, obj, key).map(Some),
    }
}

/// A boolean; absent or null reads as `false`.
fn read_flag<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<bool, ProtocolError> {
    match doc.get(obj, key)? {
        None => Ok(false),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Boolean(b) => Ok(*b),
            ScalarValue::Null => Ok(false),
            other => Err(schema(key, format!("expected a boolean, found {other}"))),
        },
        Some((Value::Object(t), _)) => Err(schema(key, format!("expected a boolean, found a {t}"))),
    }
}

/// Replaces a string field, editing the text object in place when there is one.
fn set_text(
    doc: &mut automerge::AutoCommit,
    obj: &ObjId,
    key: &str,
    value: &str,
) -> Result<(), ProtocolError> {
    use automerge::transaction::Transactable;
    match doc.get(obj, key)? {
        Some((Value::Object(ObjType::Text), text)) => Ok(doc.update_text(&text, value)?),
        _ => crate::chat::put_text(doc, obj, key, value),
    }
}

#[cfg(test)]
mod tests;

//! The answer document: create, read, edit, delete. An answer whose text came
//! from an AI provider carries `ai: { model }` from its creation on.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

use super::{
    ANSWER_TYPE, MAX_MODEL_CHARS, answer_document_id, expect_type, read_flag, read_optional_millis,
    set_text, validate_body, validate_post_id, validate_text,
};
use crate::acl::UserId;
use crate::chat::{put_text, read_millis, read_string, schema};
use crate::document_id::DocumentId;
use crate::error::ProtocolError;

/// The label of an answer written by an AI provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AiLabel {
    /// The model that wrote the text, as the provider named it.
    pub model: String,
}

/// What a new answer says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAnswer {
    pub question_id: String,
    pub answer_id: String,
    pub author_id: UserId,
    pub body: String,
    pub created_at: i64,
    /// Set when the text came from an AI provider.
    pub ai: Option<AiLabel>,
}

/// An answer as its document holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub question_id: String,
    pub answer_id: String,
    pub author_id: UserId,
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted: bool,
    pub ai: Option<AiLabel>,
}

/// A new answer document (validated), committed as one change.
pub fn create_answer(new: &NewAnswer) -> Result<AutoCommit, ProtocolError> {
    validate_post_id("questionId", &new.question_id)?;
    validate_post_id("answerId", &new.answer_id)?;
    validate_body(&new.body)?;
    if let Some(ai) = &new.ai {
        validate_text("ai.model", &ai.model, MAX_MODEL_CHARS)?;
    }
    let mut doc = AutoCommit::new();
    put_text(&mut doc, &ROOT, "type", ANSWER_TYPE)?;
    put_text(&mut doc, &ROOT, "questionId", &new.question_id)?;
    put_text(&mut doc, &ROOT, "answerId", &new.answer_id)?;
    put_text(&mut doc, &ROOT, "authorId", new.author_id.as_str())?;
    put_text(&mut doc, &ROOT, "body", &new.body)?;
    doc.put(ROOT, "createdAt", ScalarValue::Int(new.created_at))?;
    doc.put(ROOT, "editedAt", ScalarValue::Null)?;
    doc.put(ROOT, "deleted", false)?;
    match &new.ai {
        Some(ai) => {
            let label = doc.put_object(ROOT, "ai", ObjType::Map)?;
            put_text(&mut doc, &label, "model", &ai.model)?;
        }
        None => doc.put(ROOT, "ai", ScalarValue::Null)?,
    }
    doc.commit();
    Ok(doc)
}

fn read_ai<D: ReadDoc>(doc: &D) -> Result<Option<AiLabel>, ProtocolError> {
    match doc.get(ROOT, "ai")? {
        None => Ok(None),
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Null) => Ok(None),
        Some((Value::Object(ObjType::Map), label)) => {
            let model =
                read_string(doc, &label, "model").map_err(|e| schema("ai.model", e.to_string()))?;
            validate_text("ai.model", &model, MAX_MODEL_CHARS)?;
            Ok(Some(AiLabel { model }))
        }
        Some(_) => Err(schema("ai", "expected null or a map with `model`")),
    }
}

/// Reads and validates an answer document.
pub fn read_answer<D: ReadDoc>(doc: &D) -> Result<Answer, ProtocolError> {
    expect_type(doc, ANSWER_TYPE)?;
    let a = Answer {
        question_id: read_string(doc, &ROOT, "questionId")?,
        answer_id: read_string(doc, &ROOT, "answerId")?,
        author_id: UserId::new(read_string(doc, &ROOT, "authorId")?),
        body: read_string(doc, &ROOT, "body")?,
        created_at: read_millis(doc, &ROOT, "createdAt")?,
        edited_at: read_optional_millis(doc, &ROOT, "editedAt")?,
        deleted: read_flag(doc, &ROOT, "deleted")?,
        ai: read_ai(doc)?,
    };
    validate_post_id("questionId", &a.question_id)?;
    validate_post_id("answerId", &a.answer_id)?;
    if a.author_id.as_str().is_empty() {
        return Err(schema("authorId", "must not be empty"));
    }
    validate_body(&a.body)?;
    Ok(a)
}

/// Reads an answer and checks that `document_id` is the id its question id,
/// answer id and author imply.
pub fn verify_answer_document<D: ReadDoc>(
    doc: &D,
    document_id: &DocumentId,
) -> Result<Answer, ProtocolError> {
    let a = read_answer(doc)?;
    let expected = answer_document_id(&a.question_id, &a.answer_id, &a.author_id);
    if expected != *document_id {
        return Err(schema(
            "questionId/answerId/authorId",
            format!("the answer belongs to document {expected}, not {document_id}"),
        ));
    }
    Ok(a)
}

/// Replaces the body (validated) and stamps `editedAt`.
pub fn edit_answer(doc: &mut AutoCommit, body: &str, now: i64) -> Result<(), ProtocolError> {
    read_answer(doc)?;
    validate_body(body)?;
    set_text(doc, &ROOT, "body", body)?;
    doc.put(ROOT, "editedAt", ScalarValue::Int(now))?;
    doc.commit();
    Ok(())
}

/// Marks the answer deleted (its document stays; the index hides it).
pub fn delete_answer(doc: &mut AutoCommit, now: i64) -> Result<(), ProtocolError> {
    read_answer(doc)?;
    doc.put(ROOT, "deleted", true)?;
    doc.put(ROOT, "editedAt", ScalarValue::Int(now))?;
    doc.commit();
    Ok(())
}

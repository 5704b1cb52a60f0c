//! The question document: create, read, edit, delete, accept an answer.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc, ScalarValue};
use serde::{Deserialize, Serialize};

use super::{
    QUESTION_TYPE, expect_type, question_document_id, read_flag, read_optional_millis,
    read_optional_string, set_text, validate_body, validate_hobby, validate_post_id,
    validate_title,
};
use crate::acl::UserId;
use crate::chat::{put_text, read_millis, read_string, schema};
use crate::document_id::DocumentId;
use crate::error::ProtocolError;

/// What a new question says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewQuestion {
    pub question_id: String,
    pub asker_id: UserId,
    pub hobby: String,
    pub title: String,
    pub body: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// A question as its document holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    pub question_id: String,
    pub asker_id: UserId,
    pub hobby: String,
    pub title: String,
    pub body: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub deleted: bool,
    /// The answer the asker accepted (a human answer; the server checks).
    pub accepted_answer: Option<String>,
}

/// A change of a question's text; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionEdit {
    pub title: Option<String>,
    pub body: Option<String>,
}

/// A new question document (validated), committed as one change.
pub fn create_question(new: &NewQuestion) -> Result<AutoCommit, ProtocolError> {
    validate_post_id("questionId", &new.question_id)?;
    validate_hobby(&new.hobby)?;
    validate_title(&new.title)?;
    validate_body(&new.body)?;
    let mut doc = AutoCommit::new();
    put_text(&mut doc, &ROOT, "type", QUESTION_TYPE)?;
    put_text(&mut doc, &ROOT, "questionId", &new.question_id)?;
    put_text(&mut doc, &ROOT, "askerId", new.asker_id.as_str())?;
    put_text(&mut doc, &ROOT, "hobby", &new.hobby)?;
    put_text(&mut doc, &ROOT, "title", &new.title)?;
    put_text(&mut doc, &ROOT, "body", &new.body)?;
    doc.put(ROOT, "createdAt", ScalarValue::Int(new.created_at))?;
    doc.put(ROOT, "editedAt", ScalarValue::Null)?;
    doc.put(ROOT, "deleted", false)?;
    doc.put(ROOT, "acceptedAnswer", ScalarValue::Null)?;
    doc.commit();
    Ok(doc)
}

/// Reads and validates a question document.
pub fn read_question<D: ReadDoc>(doc: &D) -> Result<Question, ProtocolError> {
    expect_type(doc, QUESTION_TYPE)?;
    let q = Question {
        question_id: read_string(doc, &ROOT, "questionId")?,
        asker_id: UserId::new(read_string(doc, &ROOT, "askerId")?),
        hobby: read_string(doc, &ROOT, "hobby")?,
        title: read_string(doc, &ROOT, "title")?,
        body: read_string(doc, &ROOT, "body")?,
        created_at: read_millis(doc, &ROOT, "createdAt")?,
        edited_at: read_optional_millis(doc, &ROOT, "editedAt")?,
        deleted: read_flag(doc, &ROOT, "deleted")?,
        accepted_answer: read_optional_string(doc, &ROOT, "acceptedAnswer")?,
    };
    validate_post_id("questionId", &q.question_id)?;
    if q.asker_id.as_str().is_empty() {
        return Err(schema("askerId", "must not be empty"));
    }
    validate_hobby(&q.hobby)?;
    validate_title(&q.title)?;
    validate_body(&q.body)?;
    if let Some(answer) = &q.accepted_answer {
        validate_post_id("acceptedAnswer", answer)?;
    }
    Ok(q)
}

/// Reads a question and checks that `document_id` is the id its question id
/// and asker imply.
pub fn verify_question_document<D: ReadDoc>(
    doc: &D,
    document_id: &DocumentId,
) -> Result<Question, ProtocolError> {
    let q = read_question(doc)?;
    let expected = question_document_id(&q.question_id, &q.asker_id);
    if expected != *document_id {
        return Err(schema(
            "questionId/askerId",
            format!("the question belongs to document {expected}, not {document_id}"),
        ));
    }
    Ok(q)
}

/// Edits the title and/or body (validated) and stamps `editedAt`.
pub fn edit_question(
    doc: &mut AutoCommit,
    edit: &QuestionEdit,
    now: i64,
) -> Result<(), ProtocolError> {
    read_question(doc)?;
    if let Some(title) = &edit.title {
        validate_title(title)?;
    }
    if let Some(body) = &edit.body {
        validate_body(body)?;
    }
    if let Some(title) = &edit.title {
        set_text(doc, &ROOT, "title", title)?;
    }
    if let Some(body) = &edit.body {
        set_text(doc, &ROOT, "body", body)?;
    }
    doc.put(ROOT, "editedAt", ScalarValue::Int(now))?;
    doc.commit();
    Ok(())
}

/// Marks the question deleted (its document stays; the index hides it).
pub fn delete_question(doc: &mut AutoCommit, now: i64) -> Result<(), ProtocolError> {
    read_question(doc)?;
    doc.put(ROOT, "deleted", true)?;
    doc.put(ROOT, "editedAt", ScalarValue::Int(now))?;
    doc.commit();
    Ok(())
}

/// Accepts `answer_id` (or clears the acceptance with `None`). Only a human
/// answer may be accepted: the server refuses a change naming an AI answer.
pub fn set_accepted_answer(
    doc: &mut AutoCommit,
    answer_id: Option<&str>,
) -> Result<(), ProtocolError> {
    read_question(doc)?;
    match answer_id {
        Some(id) => {
            validate_post_id("acceptedAnswer", id)?;
            put_text(doc, &ROOT, "acceptedAnswer", id)?;
        }
        None => {
            doc.put(ROOT, "acceptedAnswer", ScalarValue::Null)?;
        }
    }
    doc.commit();
    Ok(())
}

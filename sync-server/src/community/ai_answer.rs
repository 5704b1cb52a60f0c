//! `POST /community/questions/{question_id}/ai-answer`: the asker asks the
//! server's community assistant ([`crate::assistant`]) to answer.
//!
//! The provider is asked first, with nothing written; then, under the
//! question's lock, the request checks again that the question is still open
//! and not yet answered by the assistant, and writes the answer document as
//! the assistant's through the path an uploaded answer takes
//! ([`sync::community::create_post`]). A repeated request (the app retries
//! after a lost response) gets the assistant's existing answer.

use std::sync::Arc;
use tutti_sync::ServerErrorCode;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use tutti_sync::UserId;
use tutti_sync::community::{
    AiLabel, NewAnswer, Question, answer_document_id, create_answer, new_post_id, validate_post_id,
};

use super::{AnswerView, answer_view};
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::ApiPath;
use crate::assistant::{ASSISTANT_USER_ID, Assistant, Reply};
use crate::storage::QuestionRow;
use crate::{AppState, Error, sync};

fn question_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ServerErrorCode::QuestionNotFound,
        "there is no such question",
    )
}

/// The question, which must exist, be open, and have been asked by `caller`.
async fn asked_question(
    state: &AppState,
    caller: &str,
    question_id: &str,
) -> Result<QuestionRow, ApiError> {
    let question = state
        .storage
        .community_question(question_id)
        .await?
        .ok_or_else(question_not_found)?;
    if question.deleted {
        return Err(ApiError::conflict(
            ServerErrorCode::QuestionDeleted,
            "the question was deleted",
        ));
    }
    if question.asker_id != caller {
        return Err(ApiError::forbidden(
            ServerErrorCode::NotAsker,
            "only the asker asks the community assistant to answer",
        ));
    }
    Ok(question)
}

/// The assistant's answer to `question` that is not deleted, if any.
async fn existing_answer(
    state: &AppState,
    question: &QuestionRow,
    viewer: &str,
) -> Result<Option<AnswerView>, ApiError> {
    let answers = state
        .storage
        .answers_of(&question.question_id, viewer)
        .await?;
    Ok(answers
        .into_iter()
        .find(|e| e.answer.author_id == ASSISTANT_USER_ID && !e.answer.deleted)
        .map(|e| answer_view(e, question.accepted_answer_id.as_deref())))
}

fn prompt_question(row: &QuestionRow) -> Question {
    Question {
        question_id: row.question_id.clone(),
        asker_id: UserId::new(row.asker_id.clone()),
        hobby: row.hobby.clone(),
        title: row.title.clone(),
        body: row.body.clone(),
        created_at: row.created_at_ms,
        edited_at: row.edited_at_ms,
        deleted: row.deleted,
        accepted_answer: row.accepted_answer_id.clone(),
    }
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// The community assistant answers the caller's question (once: a repeated
/// request returns the same answer). The answer is the assistant's document,
/// labelled `ai: {model}`, synced and listed like any answer; it can be
/// marked helpful but never accepted.
#[utoipa::path(post, path = "/api/v1/community/questions/{question_id}/ai-answer",
    tag = "community",
    security(("bearer" = [])),
    params(("question_id" = String, Path, description = "The question's id")),
    responses(
        (status = 201, description = "The assistant's new answer", body = AnswerView),
        (status = 200, description = "The assistant had answered already: that answer", body = AnswerView),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller did not ask the question (`not_asker`)", body = ErrorBody),
        (status = 404, description = "No such question (`question_not_found`)", body = ErrorBody),
        (status = 409, description = "The question was deleted (`question_deleted`)", body = ErrorBody),
        (status = 502, description = "The AI provider failed or replied with nothing; the message \
            says what went wrong (`assistant_failed`). Nothing was stored", body = ErrorBody),
        (status = 503, description = "This server has no community assistant \
            (`assistant_not_configured`)", body = ErrorBody),
    ))]
pub(super) async fn ai_answer(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(question_id): ApiPath<String>,
) -> Result<(StatusCode, Json<AnswerView>), ApiError> {
    let assistant = state.assistant.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ServerErrorCode::AssistantNotConfigured,
            "this server has no community assistant",
        )
    })?;
    validate_post_id("question_id", &question_id).map_err(|_| question_not_found())?;
    let question = asked_question(&state, &caller.user_id, &question_id).await?;
    if let Some(existing) = existing_answer(&state, &question, &caller.user_id).await? {
        return Ok((StatusCode::OK, Json(existing)));
    }
    let reply = assistant.answer(&prompt_question(&question)).await?;
    // The write runs to its end even when the client goes away meanwhile, so
    // a document is never stored without its index row.
    tokio::spawn(write(state, assistant, caller.user_id, question_id, reply))
        .await
        .map_err(|e| Error::StorageTask(e.to_string()))?
}

/// Under the question's lock: checks again, then stores the answer.
async fn write(
    state: AppState,
    assistant: Arc<Assistant>,
    caller: String,
    question_id: String,
    reply: Reply,
) -> Result<(StatusCode, Json<AnswerView>), ApiError> {
    let _lock = assistant.lock(&question_id).await;
    let question = asked_question(&state, &caller, &question_id).await?;
    if let Some(existing) = existing_answer(&state, &question, &caller).await? {
        return Ok((StatusCode::OK, Json(existing)));
    }
    let author = UserId::new(ASSISTANT_USER_ID);
    let answer_id = new_post_id();
    let mut doc = create_answer(&NewAnswer {
        question_id: question_id.clone(),
        answer_id: answer_id.clone(),
        author_id: author.clone(),
        body: reply.body,
        created_at: now_ms(),
        ai: Some(AiLabel { model: reply.model }),
    })
    .map_err(|e| Error::AssistantFailed(format!("the reply does not make an answer: {e}")))?;
    let document_id = answer_document_id(&question_id, &answer_id, &author);
    let created = sync::community::create_post(
        &state.sync,
        state.storage.as_ref(),
        document_id,
        doc.document(),
    )
    .await?;
    if let Err(reason) = created {
        // the question changed under us (deleted by another device of the
        // asker): say so; anything else is the server's fault
        asked_question(&state, &caller, &question_id).await?;
        tracing::error!(%document_id, %reason, "the assistant's answer was refused");
        return Err(ApiError::internal());
    }
    let entry = state
        .storage
        .answer_entry(&answer_id, &caller)
        .await?
        .ok_or_else(|| {
            Error::CorruptRow(format!("answer {answer_id} was stored but not indexed"))
        })?;
    tracing::info!(%question_id, %answer_id, "the community assistant answered");
    Ok((
        StatusCode::CREATED,
        Json(answer_view(entry, question.accepted_answer_id.as_deref())),
    ))
}

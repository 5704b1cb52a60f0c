//! Community Q&A under `/api/v1/community`: the thread index the server keeps
//! from the question and answer documents (which are posted, edited, deleted
//! and accepted over `/sync`, see `sync::community`), and what only the server
//! holds: up/down votes (one per user per answer) and the asker's "helpful"
//! marks; and the asker's request for an answer by the server's community
//! assistant ([`ai_answer`]). Every route needs a signed-in user.

use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tutti_sync::ServerErrorCode;
use utoipa::ToSchema;

pub use params::{ListParams, parse_list_params};

pub(crate) mod ai_answer;
mod params;

use crate::AppState;
use crate::accounts::now;
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::{ApiJson, ApiPath, ApiQuery};
use crate::storage::{AnswerEntry, QuestionSummary};

const PREVIEW_CHARS: usize = 200;

/// The label of an answer written by an AI provider.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AiLabelView {
    /// The model that wrote it.
    pub model: String,
}

/// A question in a list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionSummaryView {
    pub question_id: String,
    /// The Automerge document to sync for the whole question.
    pub document_id: String,
    pub asker_id: String,
    pub asker_name: String,
    pub hobby: String,
    pub title: String,
    /// The body's first 200 characters.
    pub body_preview: String,
    /// The asker's clock, milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    /// Answers, AI answers included.
    pub answer_count: i64,
    /// Answers by people.
    pub human_answer_count: i64,
    pub accepted_answer_id: Option<String>,
}

/// A page of questions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionList {
    pub questions: Vec<QuestionSummaryView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A question in full.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QuestionView {
    #[serde(flatten)]
    pub summary: QuestionSummaryView,
    pub body: String,
}

/// An answer in a thread.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerView {
    pub answer_id: String,
    /// The Automerge document of this answer.
    pub document_id: String,
    pub author_id: String,
    pub author_name: String,
    pub body: String,
    pub created_at_ms: i64,
    pub edited_at_ms: Option<i64>,
    /// Present when the text came from an AI provider.
    pub ai: Option<AiLabelView>,
    /// The asker accepted this answer (only a person's answer can be).
    pub accepted: bool,
    /// The asker marked it helpful.
    pub helpful: bool,
    /// Up votes minus down votes.
    pub score: i64,
    pub up_votes: i64,
    pub down_votes: i64,
    /// The caller's vote: -1, 0 or 1.
    pub my_vote: i64,
}

/// A question and its answers: the accepted one first, then by score
/// (highest first), then oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ThreadView {
    pub question: QuestionView,
    pub answers: Vec<AnswerView>,
}

/// `value`: 1 (up), -1 (down) or 0 (take the vote back).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VoteRequest {
    pub value: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HelpfulRequest {
    pub helpful: bool,
}

/// An answer's votes (or helpful mark) after a change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AnswerStatus {
    pub answer_id: String,
    pub helpful: bool,
    pub score: i64,
    pub up_votes: i64,
    pub down_votes: i64,
    pub my_vote: i64,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/community/questions", get(list_questions))
        .route("/community/questions/{question_id}", get(thread))
        .route(
            "/community/questions/{question_id}/ai-answer",
            post(ai_answer::ai_answer),
        )
        .route("/community/answers/{answer_id}/vote", put(vote))
        .route("/community/answers/{answer_id}/helpful", put(helpful))
}

fn preview(body: &str) -> String {
    body.chars().take(PREVIEW_CHARS).collect()
}

fn summary_view(s: QuestionSummary) -> QuestionSummaryView {
    let q = s.question;
    QuestionSummaryView {
        body_preview: preview(&q.body),
        question_id: q.question_id,
        document_id: q.doc_id,
        asker_id: q.asker_id,
        asker_name: s.asker_name,
        hobby: q.hobby,
        title: q.title,
        created_at_ms: q.created_at_ms,
        edited_at_ms: q.edited_at_ms,
        answer_count: s.answer_count,
        human_answer_count: s.human_answer_count,
        accepted_answer_id: q.accepted_answer_id,
    }
}

fn answer_view(e: AnswerEntry, accepted_id: Option<&str>) -> AnswerView {
    let a = e.answer;
    AnswerView {
        // an AI answer is never shown as accepted, whatever a document says
        accepted: a.ai_model.is_none() && accepted_id == Some(a.answer_id.as_str()),
        ai: a.ai_model.map(|model| AiLabelView { model }),
        answer_id: a.answer_id,
        document_id: a.doc_id,
        author_id: a.author_id,
        author_name: e.author_name,
        body: a.body,
        created_at_ms: a.created_at_ms,
        edited_at_ms: a.edited_at_ms,
        helpful: e.helpful,
        score: e.up_votes - e.down_votes,
        up_votes: e.up_votes,
        down_votes: e.down_votes,
        my_vote: e.my_vote,
    }
}

fn status(e: &AnswerEntry) -> AnswerStatus {
    AnswerStatus {
        answer_id: e.answer.answer_id.clone(),
        helpful: e.helpful,
        score: e.up_votes - e.down_votes,
        up_votes: e.up_votes,
        down_votes: e.down_votes,
        my_vote: e.my_vote,
    }
}

/// Lists questions: newest or unanswered, by hobby, with full-text search.
#[utoipa::path(get, path = "/api/v1/community/questions", tag = "community",
    security(("bearer" = [])),
    params(ListParams),
    responses(
        (status = 200, description = "A page of questions, newest first", body = QuestionList),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 422, description = "A bad parameter (`invalid_field`, `field` names it)", body = ErrorBody),
    ))]
async fn list_questions(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<QuestionList>, ApiError> {
    let query = parse_list_params(params)?;
    let rows = state.storage.list_questions(&query).await?;
    let full = rows.len() == query.limit as usize;
    let next_cursor = rows
        .last()
        .filter(|_| full)
        .map(|s| format!("{}:{}", s.question.created_at_ms, s.question.question_id));
    Ok(Json(QuestionList {
        questions: rows.into_iter().map(summary_view).collect(),
        next_cursor,
    }))
}

/// A question with its answers.
#[utoipa::path(get, path = "/api/v1/community/questions/{question_id}", tag = "community",
    security(("bearer" = [])),
    params(("question_id" = String, Path, description = "The question's id")),
    responses(
        (status = 200, description = "The thread", body = ThreadView),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 404, description = "No such question, or it was deleted (`not_found`)", body = ErrorBody),
    ))]
async fn thread(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(question_id): ApiPath<String>,
) -> Result<Json<ThreadView>, ApiError> {
    let summary = state
        .storage
        .question_summary(&question_id)
        .await?
        .filter(|s| !s.question.deleted)
        .ok_or_else(|| ApiError::not_found("question"))?;
    let accepted = summary.question.accepted_answer_id.clone();
    let mut answers: Vec<AnswerView> = state
        .storage
        .answers_of(&question_id, &caller.user_id)
        .await?
        .into_iter()
        .map(|e| answer_view(e, accepted.as_deref()))
        .collect();
    answers.sort_by(|a, b| {
        (b.accepted, b.score, a.created_at_ms, &a.answer_id).cmp(&(
            a.accepted,
            a.score,
            b.created_at_ms,
            &b.answer_id,
        ))
    });
    let body = summary.question.body.clone();
    let mut question = summary_view(summary);
    if !answers.iter().any(|a| a.accepted) {
        question.accepted_answer_id = None;
    }
    Ok(Json(ThreadView {
        question: QuestionView {
            summary: question,
            body,
        },
        answers,
    }))
}

/// The answer, which must exist and not be deleted.
async fn live_answer(
    state: &AppState,
    answer_id: &str,
    viewer: &str,
) -> Result<AnswerEntry, ApiError> {
    state
        .storage
        .answer_entry(answer_id, viewer)
        .await?
        .filter(|e| !e.answer.deleted)
        .ok_or_else(|| ApiError::not_found("answer"))
}

/// Votes an answer up (1) or down (-1), or takes the vote back (0). One vote
/// per user per answer; nobody votes on their own answer.
#[utoipa::path(put, path = "/api/v1/community/answers/{answer_id}/vote", tag = "community",
    security(("bearer" = [])),
    params(("answer_id" = String, Path, description = "The answer's id")),
    request_body = VoteRequest,
    responses(
        (status = 200, description = "The answer's votes now", body = AnswerStatus),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller wrote the answer (`own_answer`)", body = ErrorBody),
        (status = 404, description = "No such answer (`not_found`)", body = ErrorBody),
        (status = 422, description = "`value` is not 1, -1 or 0 (`invalid_field`)", body = ErrorBody),
    ))]
async fn vote(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(answer_id): ApiPath<String>,
    ApiJson(request): ApiJson<VoteRequest>,
) -> Result<Json<AnswerStatus>, ApiError> {
    if !matches!(request.value, -1..=1) {
        return Err(ApiError::invalid_field(
            "value",
            "value must be 1 (up), -1 (down) or 0 (take the vote back)",
        ));
    }
    let answer = live_answer(&state, &answer_id, &caller.user_id).await?;
    if answer.answer.author_id == caller.user_id {
        return Err(ApiError::forbidden(
            ServerErrorCode::OwnAnswer,
            "you cannot vote on your own answer",
        ));
    }
    state
        .storage
        .set_vote(&answer_id, &caller.user_id, request.value, now())
        .await?;
    let answer = live_answer(&state, &answer_id, &caller.user_id).await?;
    Ok(Json(status(&answer)))
}

/// The asker marks an answer (a person's or an AI's) helpful, or unmarks it.
#[utoipa::path(put, path = "/api/v1/community/answers/{answer_id}/helpful", tag = "community",
    security(("bearer" = [])),
    params(("answer_id" = String, Path, description = "The answer's id")),
    request_body = HelpfulRequest,
    responses(
        (status = 200, description = "The answer's status now", body = AnswerStatus),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller did not ask the question (`not_asker`)", body = ErrorBody),
        (status = 404, description = "No such answer (`not_found`)", body = ErrorBody),
        (status = 422, description = "`helpful` is missing or not a boolean", body = ErrorBody),
    ))]
async fn helpful(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(answer_id): ApiPath<String>,
    ApiJson(request): ApiJson<HelpfulRequest>,
) -> Result<Json<AnswerStatus>, ApiError> {
    let answer = live_answer(&state, &answer_id, &caller.user_id).await?;
    let question = state
        .storage
        .community_question(&answer.answer.question_id)
        .await?
        .ok_or_else(|| ApiError::not_found("question"))?;
    if question.asker_id != caller.user_id {
        return Err(ApiError::forbidden(
            ServerErrorCode::NotAsker,
            "only the asker marks answers helpful",
        ));
    }
    state
        .storage
        .set_helpful(&answer_id, request.helpful)
        .await?;
    let answer = live_answer(&state, &answer_id, &caller.user_id).await?;
    Ok(Json(status(&answer)))
}

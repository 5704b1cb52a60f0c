//! Mentor recommendations and matches under `/api/v1/matches`: a mentee asks
//! for recommendations and requests a mentor; the mentor accepts or declines;
//! capacity (accepted matches) is checked inside the storage transaction.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tutti_sync::ServerErrorCode;
use utoipa::ToSchema;

use crate::accounts::{now, rfc3339};
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::{ApiJson, ApiPath};
use crate::matching::{self, Reason};
use crate::storage::{MatchRecord, MatchStatus, NewMatch, SurveyRecord};
use crate::survey::{MentorListing, mentor_listing};
use crate::{AppState, tokens};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecommendationView {
    pub mentor: MentorListing,
    /// 0–100, higher is a better fit.
    pub score: u32,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Recommendations {
    /// At most 3, best first.
    pub recommendations: Vec<RecommendationView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchRequest {
    pub mentor_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchRole {
    Mentor,
    Mentee,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchView {
    pub id: String,
    pub mentor_id: String,
    pub mentor_name: String,
    pub mentee_id: String,
    pub mentee_name: String,
    pub hobby: String,
    pub status: MatchStatus,
    /// The caller's side of this match.
    pub my_role: MatchRole,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MatchList {
    /// Newest first.
    pub matches: Vec<MatchView>,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/matches", get(list).post(request))
        .route("/matches/recommendations", get(recommendations))
        .route("/matches/{id}/accept", post(accept))
        .route("/matches/{id}/decline", post(decline))
}

fn view(m: MatchRecord, caller: &str) -> MatchView {
    let my_role = if m.mentor_id == caller {
        MatchRole::Mentor
    } else {
        MatchRole::Mentee
    };
    MatchView {
        id: m.id,
        mentor_id: m.mentor_id,
        mentor_name: m.mentor_name,
        mentee_id: m.mentee_id,
        mentee_name: m.mentee_name,
        hobby: m.hobby,
        status: m.status,
        my_role,
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
    }
}

/// The caller's survey, which must be a mentee's.
async fn mentee_survey(state: &AppState, caller: &Caller) -> Result<SurveyRecord, ApiError> {
    let survey = state
        .storage
        .survey(&caller.user_id)
        .await?
        .ok_or_else(|| {
            ApiError::conflict(
                ServerErrorCode::SurveyRequired,
                "fill in the survey (PUT /api/v1/survey) first",
            )
        })?;
    if survey.role != "mentee" {
        return Err(ApiError::forbidden(
            ServerErrorCode::NotAMentee,
            "only mentees get recommendations and request mentors",
        ));
    }
    Ok(survey)
}

#[utoipa::path(get, path = "/api/v1/matches/recommendations", tag = "matches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Top 3 mentors with reasons", body = Recommendations),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller is a mentor (`not_a_mentee`)", body = ErrorBody),
        (status = 409, description = "No survey yet (`survey_required`)", body = ErrorBody),
    ))]
async fn recommendations(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Recommendations>, ApiError> {
    let mentee = mentee_survey(&state, &caller).await?;
    let mentors = state.storage.mentors(Some(&mentee.hobby)).await?;
    let open: Vec<String> = state
        .storage
        .matches_for_user(&caller.user_id)
        .await?
        .into_iter()
        .filter(|m| m.status != MatchStatus::Declined)
        .map(|m| m.mentor_id)
        .collect();
    let recommendations = matching::recommend(&mentee, &mentors, &open)
        .into_iter()
        .map(|r| {
            Ok(RecommendationView {
                mentor: mentor_listing(&r.mentor)?,
                score: r.score,
                reasons: r.reasons,
            })
        })
        .collect::<Result<Vec<_>, crate::Error>>()?;
    Ok(Json(Recommendations { recommendations }))
}

#[utoipa::path(post, path = "/api/v1/matches", tag = "matches",
    security(("bearer" = [])),
    request_body = MatchRequest,
    responses(
        (status = 201, description = "Requested; the match is pending", body = MatchView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller is a mentor (`not_a_mentee`)", body = ErrorBody),
        (status = 404, description = "No such mentor", body = ErrorBody),
        (status = 409, description = "`survey_required`, `hobby_mismatch`, `mentor_level_too_low`, `match_exists` or `mentor_at_capacity`", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid", body = ErrorBody),
    ))]
async fn request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<MatchRequest>,
) -> Result<(StatusCode, Json<MatchView>), ApiError> {
    let mentor_id = req.mentor_id.trim();
    if mentor_id.is_empty() {
        return Err(ApiError::invalid_field(
            "mentor_id",
            "mentor_id is required",
        ));
    }
    if mentor_id == caller.user_id {
        return Err(ApiError::invalid_field(
            "mentor_id",
            "you cannot be your own mentor",
        ));
    }
    let mentee = mentee_survey(&state, &caller).await?;
    let mentor = state
        .storage
        .survey(mentor_id)
        .await?
        .filter(|s| s.role == "mentor")
        .ok_or_else(|| ApiError::not_found("mentor"))?;
    if mentor.hobby != mentee.hobby {
        return Err(ApiError::conflict(
            ServerErrorCode::HobbyMismatch,
            "this mentor teaches another hobby",
        ));
    }
    if mentor.level <= mentee.level {
        return Err(ApiError::conflict(
            ServerErrorCode::MentorLevelTooLow,
            "a mentor's level must be above yours",
        ));
    }
    let record = state
        .storage
        .create_match(&NewMatch {
            id: tokens::new_id(),
            mentor_id: mentor.user_id,
            mentee_id: caller.user_id.clone(),
            hobby: mentee.hobby,
            created_at: now(),
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view(record, &caller.user_id))))
}

async fn decide(
    state: AppState,
    caller: Caller,
    id: String,
    decision: MatchStatus,
) -> Result<Json<MatchView>, ApiError> {
    let current = state
        .storage
        .match_by_id(&id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    if current.mentor_id != caller.user_id {
        return Err(if current.mentee_id == caller.user_id {
            ApiError::forbidden(
                ServerErrorCode::NotMatchMentor,
                "only the mentor accepts or declines a request",
            )
        } else {
            ApiError::forbidden(ServerErrorCode::NotMatchParty, "this match is not yours")
        });
    }
    let record = state
        .storage
        .decide_match(&id, &caller.user_id, decision, now())
        .await?;
    Ok(Json(view(record, &caller.user_id)))
}

#[utoipa::path(post, path = "/api/v1/matches/{id}/accept", tag = "matches",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Match id")),
    responses(
        (status = 200, description = "Accepted", body = MatchView),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "Not this match's mentor (`not_match_mentor`, `not_match_party`)", body = ErrorBody),
        (status = 404, description = "No such match", body = ErrorBody),
        (status = 409, description = "`match_not_pending` or `mentor_at_capacity`", body = ErrorBody),
    ))]
async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<MatchView>, ApiError> {
    decide(state, caller, id, MatchStatus::Accepted).await
}

#[utoipa::path(post, path = "/api/v1/matches/{id}/decline", tag = "matches",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Match id")),
    responses(
        (status = 200, description = "Declined", body = MatchView),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 403, description = "Not this match's mentor (`not_match_mentor`, `not_match_party`)", body = ErrorBody),
        (status = 404, description = "No such match", body = ErrorBody),
        (status = 409, description = "`match_not_pending`", body = ErrorBody),
    ))]
async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<MatchView>, ApiError> {
    decide(state, caller, id, MatchStatus::Declined).await
}

#[utoipa::path(get, path = "/api/v1/matches", tag = "matches",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's matches as mentor or mentee, newest first", body = MatchList),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
    ))]
async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<MatchList>, ApiError> {
    let matches = state
        .storage
        .matches_for_user(&caller.user_id)
        .await?
        .into_iter()
        .map(|m| view(m, &caller.user_id))
        .collect();
    Ok(Json(MatchList { matches }))
}

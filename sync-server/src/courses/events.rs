//! `/api/v1/course-events`: a learner's course views and clicks.
//!
//! `POST` checks a batch as a whole and stores it under the learner's
//! pseudonym (the app uploads only with their consent). `DELETE` withdraws
//! everything the learner shared: every event of their pseudonym goes in one
//! transaction, and the trainer's next pass retrains without them (the
//! delete moves the events' watermark). Shared events also expire on their
//! own after `--course-event-retention-days` (see `training`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tutti_courses::Catalogue;
use tutti_sync::ServerErrorCode;
use utoipa::ToSchema;

use crate::AppState;
use crate::accounts::now;
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::ApiJson;
use crate::storage::{CourseEventKind, NewCourseEvent};

/// Events in one request, at most.
pub const MAX_EVENTS: usize = 1000;
/// The body limit of this route: 1000 events with long course ids.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Events before 2024-01-01T00:00:00Z are refused (Tutti did not exist).
pub const EARLIEST_EVENT_MS: i64 = 1_704_067_200_000;
/// How far ahead of the server's clock an app's clock may be.
pub const MAX_CLOCK_SKEW_MS: i64 = 24 * 60 * 60 * 1000;

/// What the learner did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Opened the course's page.
    View,
    /// Acted on the course (started it, saved it).
    Click,
}

/// One view or click.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseEventInput {
    /// A course id of the catalogue.
    #[schema(example = "guitar-b-open-chords")]
    pub course_id: String,
    pub kind: EventKind,
    /// When it happened on the app's clock, milliseconds since the Unix
    /// epoch; from 2024 up to one day ahead of the server's clock.
    pub at: i64,
}

/// A batch of events (at most 1000).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseEventsRequest {
    pub events: Vec<CourseEventInput>,
}

/// What was stored.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseEventsAccepted {
    /// Events stored now.
    pub accepted: u64,
    /// Events already stored before (same course, kind and time): an upload
    /// retried after a lost response.
    pub duplicates: u64,
}

/// What was deleted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseEventsDeleted {
    /// Events of the caller deleted now (0 when none were stored, e.g. a
    /// second delete).
    pub deleted: u64,
}

/// Checks every event, naming the first bad one's field
/// (`events[3].course_id`); nothing is stored unless all pass.
pub fn validate(
    request: &CourseEventsRequest,
    catalogue: &Catalogue,
    now_ms: i64,
) -> Result<Vec<NewCourseEvent>, ApiError> {
    if request.events.len() > MAX_EVENTS {
        return Err(ApiError::invalid_field(
            "events",
            format!(
                "at most {MAX_EVENTS} events per request, got {}; send the rest in another",
                request.events.len()
            ),
        ));
    }
    let latest = now_ms.saturating_add(MAX_CLOCK_SKEW_MS);
    request
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if catalogue.get(&e.course_id).is_none() {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ServerErrorCode::UnknownCourse,
                    format!("no course `{}` in the catalogue", e.course_id),
                )
                .with_field(format!("events[{i}].course_id")));
            }
            if !(EARLIEST_EVENT_MS..=latest).contains(&e.at) {
                return Err(ApiError::invalid_field(
                    &format!("events[{i}].at"),
                    "`at` must be milliseconds since the Unix epoch, from 2024 \
                     to no later than a day ahead of the server's clock",
                ));
            }
            Ok(NewCourseEvent {
                course_id: e.course_id.clone(),
                kind: match e.kind {
                    EventKind::View => CourseEventKind::View,
                    EventKind::Click => CourseEventKind::Click,
                },
                at_ms: e.at,
            })
        })
        .collect()
}

/// Records the caller's course views and clicks for the recommender. They are
/// stored under a pseudonym (an HMAC of the user id), never the user id. The
/// app uploads only with the learner's consent.
#[utoipa::path(post, path = "/api/v1/course-events", tag = "courses",
    security(("bearer" = [])),
    request_body = CourseEventsRequest,
    responses(
        (status = 202, description = "Stored (retrained into the models later)", body = CourseEventsAccepted),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 413, description = "The body is larger than 256 KiB (`body_too_large`)", body = ErrorBody),
        (status = 422, description = "A bad event; `field` names it, e.g. `events[3].course_id` \
            (`unknown_course`), `events[0].kind`, `events[2].at`, or `events` for more than 1000; \
            nothing was stored", body = ErrorBody),
    ))]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<CourseEventsRequest>,
) -> Result<(StatusCode, Json<CourseEventsAccepted>), ApiError> {
    let events = validate(&request, Catalogue::bundled(), super::now_ms())?;
    let pseudonym = state
        .recommender
        .key(&state)
        .await?
        .pseudonym(&caller.user_id);
    let accepted = if events.is_empty() {
        0
    } else {
        state
            .storage
            .record_course_events(&pseudonym, &events, now())
            .await?
    };
    Ok((
        StatusCode::ACCEPTED,
        Json(CourseEventsAccepted {
            accepted,
            duplicates: events.len() as u64 - accepted,
        }),
    ))
}

/// Deletes every course event the caller shared, at once and in one
/// transaction; the recommender's models stop reflecting them at the
/// training task's next pass. Deleting again is harmless (`deleted: 0`).
#[utoipa::path(delete, path = "/api/v1/course-events", tag = "courses",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Deleted; `deleted` counts the events", body = CourseEventsDeleted),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
    ))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CourseEventsDeleted>, ApiError> {
    let pseudonym = state
        .recommender
        .key(&state)
        .await?
        .pseudonym(&caller.user_id);
    let deleted = state.storage.delete_course_events(&pseudonym).await?;
    // the count only: neither the pseudonym nor the user id goes to the log
    tracing::info!(deleted, "a learner deleted their shared course events");
    Ok(Json(CourseEventsDeleted { deleted }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_750_000_000_000;

    fn event(course_id: &str, at: i64) -> CourseEventInput {
        CourseEventInput {
            course_id: course_id.into(),
            kind: EventKind::Click,
            at,
        }
    }

    #[test]
    fn the_first_bad_event_is_named_by_index() {
        let catalogue = Catalogue::bundled();
        let known = catalogue.courses()[0].id.clone();
        let ok = CourseEventsRequest {
            events: vec![event(&known, NOW), event(&known, NOW + MAX_CLOCK_SKEW_MS)],
        };
        assert_eq!(validate(&ok, catalogue, NOW).unwrap().len(), 2);
        for (bad, field) in [
            (event("no-such-course", NOW), "events[1].course_id"),
            (event(&known, EARLIEST_EVENT_MS - 1), "events[1].at"),
            (event(&known, NOW + MAX_CLOCK_SKEW_MS + 1), "events[1].at"),
        ] {
            let request = CourseEventsRequest {
                events: vec![event(&known, NOW), bad],
            };
            let e = validate(&request, catalogue, NOW).unwrap_err();
            assert_eq!(e.body.field.as_deref(), Some(field));
            assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let too_many = CourseEventsRequest {
            events: vec![event(&known, NOW); MAX_EVENTS + 1],
        };
        let e = validate(&too_many, catalogue, NOW).unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("events"));
    }
}

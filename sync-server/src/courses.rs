//! Courses and their recommendations under `/api/v1`: the catalogue
//! (`tutti-courses`' bundled one, public, cached by `ETag`), the learners'
//! view and click events (`events`, stored under a pseudonym, see
//! `pseudonym`), and each hobby's item-to-item model (`training`, served
//! for the app to rank courses locally and offline).
//!
//! What a learner shared stays theirs to take back: `DELETE
//! /api/v1/course-events` deletes all of it, and the training task deletes
//! events received more than `--course-event-retention-days` ago; either
//! way the next training pass leaves them out of the models.
//!
//! Cold start: a hobby nobody has events for has no model (`404 no_model`);
//! the app then lists the catalogue's courses at the learner's level. Once a
//! model exists, `tutti_recommend::popular` over it covers learners with no
//! history of their own.

pub mod events;
pub mod pseudonym;
pub mod training;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tutti_courses::{Catalogue, Course, Level};
use tutti_recommend::ItemModel;
use tutti_sync::ServerErrorCode;
use utoipa::{IntoParams, ToSchema};

pub use training::{
    CourseModels, HobbyModel, Recommender, TrainingPass, retention_cutoff_ms, train_models,
    train_periodically,
};

use crate::AppState;
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::ApiQuery;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/courses", get(catalogue))
        .route("/courses/model", get(model))
        .route(
            "/course-events",
            post(events::record)
                .layer(DefaultBodyLimit::max(events::MAX_BODY_BYTES))
                .delete(events::withdraw),
        )
}

/// Now on the server's clock, milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks
/// for this header; `*` matches anything).
fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = bare(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == ours)
}

/// A `200` JSON body, or `304` when the client has this version, with the
/// `ETag` and `Cache-Control: no-cache` (revalidate before use) either way.
fn cached_json<T: Serialize>(
    headers: &HeaderMap,
    etag: &str,
    body: impl FnOnce() -> T,
) -> Response {
    let mut response = if not_modified(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(body()).into_response()
    };
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The hobby id of a query, which must be in the taxonomy.
fn known_hobby(hobby: &str) -> Result<&'static str, ApiError> {
    tutti_courses::hobby(hobby.trim())
        .map(|h| h.id.as_str())
        .ok_or_else(|| {
            ApiError::invalid_field("hobby", format!("`{hobby}` is not a known hobby id"))
        })
}

/// Filters of the catalogue.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CatalogueParams {
    /// Only this hobby's courses (a taxonomy hobby id, e.g. `guitar`).
    pub hobby: Option<String>,
    /// Only courses at this level: `beginner`, `intermediate` or `advanced`.
    pub level: Option<String>,
}

/// The text of a course in Korean and English.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LocalTextDoc {
    pub ko: String,
    pub en: String,
}

/// A course, as `tutti-courses` serialises it (camelCase).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CourseDoc {
    /// Stable slug; events and models refer to courses by it.
    pub id: String,
    /// Taxonomy hobby id.
    pub hobby: String,
    #[schema(example = "beginner")]
    /// `beginner`, `intermediate` or `advanced`.
    pub level: String,
    pub title: LocalTextDoc,
    pub summary: LocalTextDoc,
    pub lessons: u32,
    pub minutes: u32,
    pub tags: Vec<String>,
    pub instructor: String,
    /// Ids of courses to take first (absent when none).
    pub prerequisites: Option<Vec<String>>,
}

/// The catalogue (or the filtered part of it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueView<'a> {
    /// The whole catalogue's content version (SHA-256 hex), also the `ETag`.
    pub version: &'a str,
    #[schema(value_type = Vec<CourseDoc>)]
    pub courses: Vec<&'a Course>,
}

/// The course catalogue, for browsing and for the app's offline cache.
/// Public: no sign-in needed. Send `If-None-Match` with the `ETag` to get
/// `304` while the catalogue is unchanged.
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses",
    params(CatalogueParams,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a cached copy")),
    responses(
        (status = 200, description = "The courses, easiest first within a hobby, with `ETag: \"<version>\"`",
            body = CatalogueView),
        (status = 304, description = "The cached copy is current"),
        (status = 422, description = "Unknown `hobby` or `level` (`invalid_field`, `field` names it)",
            body = ErrorBody),
    ))]
async fn catalogue(
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<CatalogueParams>,
) -> Result<Response, ApiError> {
    let catalogue = Catalogue::bundled();
    let hobby = match params.hobby.as_deref().filter(|h| !h.trim().is_empty()) {
        Some(h) => Some(known_hobby(h)?),
        None => None,
    };
    let level = match params
        .level
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        Some(l) => Some(Level::parse(l).ok_or_else(|| {
            ApiError::invalid_field(
                "level",
                format!("level must be beginner, intermediate or advanced, not `{l}`"),
            )
        })?),
        None => None,
    };
    let etag = format!("\"{}\"", catalogue.version());
    Ok(cached_json(&headers, &etag, || CatalogueView {
        version: catalogue.version(),
        courses: match hobby {
            Some(h) => catalogue.by_hobby_level(h, level),
            None => catalogue
                .courses()
                .iter()
                .filter(|c| level.is_none_or(|l| c.level == l))
                .collect(),
        },
    }))
}

/// The hobby whose model to fetch.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelParams {
    /// A taxonomy hobby id, e.g. `guitar`.
    pub hobby: Option<String>,
}

/// One hobby's recommendation model.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HobbyModelView {
    pub hobby: String,
    /// The catalogue version the `items` list belongs to.
    pub catalogue_version: String,
    /// When the server trained the model, milliseconds since the Unix epoch.
    pub trained_at: i64,
    /// The hobby's course ids in catalogue order: the model's item `k` is `items[k]`.
    pub items: Vec<String>,
    /// A `tutti_recommend::ItemModel` (its own camelCase serde shape:
    /// `version`, `params`, `items`, `popularity`, `neighbourOffsets`,
    /// `neighbourItems`, `neighbourScores`); courses nobody has used are not in it.
    #[schema(value_type = Object)]
    pub model: ItemModel,
}

/// A hobby's item-to-item model, for ranking courses on the device from the
/// learner's own events. `ETag`/`If-None-Match` as for the catalogue.
#[utoipa::path(get, path = "/api/v1/courses/model", tag = "courses",
    security(("bearer" = [])),
    params(ModelParams,
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a cached copy")),
    responses(
        (status = 200, description = "The hobby's model", body = HobbyModelView),
        (status = 304, description = "The cached copy is current"),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 404, description = "No learner has events for this hobby yet (`no_model`): \
            list the catalogue's courses at the learner's level instead", body = ErrorBody),
        (status = 422, description = "`hobby` missing or unknown (`field`: `hobby`)", body = ErrorBody),
    ))]
async fn model(
    State(state): State<AppState>,
    _caller: Caller,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ModelParams>,
) -> Result<Response, ApiError> {
    let Some(hobby) = params.hobby.as_deref().filter(|h| !h.trim().is_empty()) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ServerErrorCode::MissingField,
            "give the hobby: ?hobby=<hobby id>",
        )
        .with_field("hobby"));
    };
    let hobby = known_hobby(hobby)?;
    let no_model = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ServerErrorCode::NoModel,
            format!("no recommendations for `{hobby}` yet; fall back to popular courses"),
        )
    };
    let models = state.recommender.current().ok_or_else(no_model)?;
    let trained = models.hobbies.get(hobby).ok_or_else(no_model)?;
    // Weak: instances that trained on the same events serve equal models,
    // though their `trained_at` differs.
    let etag = format!(
        "W/\"{}-{}-{}-{}\"",
        &models.catalogue_version[..models.catalogue_version.len().min(16)],
        models.watermark.count,
        models.watermark.max_id,
        models.watermark.generation
    );
    Ok(cached_json(&headers, &etag, || HobbyModelView {
        hobby: hobby.to_owned(),
        catalogue_version: models.catalogue_version.clone(),
        trained_at: models.trained_at_ms,
        items: trained.items.clone(),
        model: trained.model.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_if_none_match(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn if_none_match_uses_weak_comparison_and_lists() {
        assert!(not_modified(&with_if_none_match("\"abc\""), "\"abc\""));
        assert!(not_modified(&with_if_none_match("W/\"abc\""), "\"abc\""));
        assert!(not_modified(
            &with_if_none_match("\"x\", \"abc\""),
            "\"abc\""
        ));
        assert!(not_modified(&with_if_none_match("*"), "\"abc\""));
        assert!(not_modified(&with_if_none_match("\"m-1\""), "W/\"m-1\""));
        assert!(!not_modified(&with_if_none_match("\"abd\""), "\"abc\""));
        assert!(!not_modified(&HeaderMap::new(), "\"abc\""));
    }
}

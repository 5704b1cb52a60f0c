//! HTTP plumbing shared by the route modules: the `/api/v1` router with its
//! body limit and JSON fallbacks, the error shape, extractors, bearer auth and
//! the OpenAPI document.

pub mod auth;
pub mod error;
pub mod json;
pub mod openapi;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::get;
use tutti_sync::ServerErrorCode;

use crate::{AppState, accounts, community, courses, matches, sessions, survey};
use error::ApiError;

/// Every `/api/v1` route.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .merge(accounts::router())
        .merge(sessions::router())
        .merge(survey::router())
        .merge(matches::router())
        .merge(community::router())
        .merge(courses::router())
        .route("/openapi.json", get(openapi::serve_openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
}

/// JSON 404 for unknown paths.
pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ServerErrorCode::RouteNotFound,
        "no such route",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ServerErrorCode::MethodNotAllowed,
        "this route does not take that method",
    )
}

//! `GET /health`: liveness for load balancers and the desktop's sync status.

use axum::{Json, Router, routing::get};
use serde::Serialize;

use crate::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    status: String,
    version: String,
}

#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "The server is up", body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

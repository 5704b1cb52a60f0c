//! `GET /health`: liveness for load balancers and the desktop's sync status.

use axum::{Json, Router, routing::get};
use serde::Serialize;

use crate::AppState;

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

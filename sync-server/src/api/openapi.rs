//! The OpenAPI 3 document of every route, served at `GET /api/v1/openapi.json`.
//! A new route's handler gets a `#[utoipa::path]` and is listed in `paths` here.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{accounts, community, courses, health, matches, sessions, survey, sync};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tutti sync server",
        description = "Accounts, survey, mentor directory, matching, community Q&A and course \
            recommendations for Tutti. \
            Every error is `{code, message, field}` JSON; clients branch on `code`."
    ),
    paths(
        health::health,
        accounts::signup,
        sessions::login,
        sessions::refresh,
        sessions::logout,
        accounts::me,
        survey::put_survey,
        survey::get_survey,
        survey::mentors,
        matches::recommendations,
        matches::request,
        matches::accept,
        matches::decline,
        matches::list,
        community::list_questions,
        community::thread,
        community::vote,
        community::helpful,
        community::ai_answer::ai_answer,
        courses::catalogue,
        courses::model,
        courses::events::record,
        courses::events::withdraw,
        serve_openapi,
        sync::upgrade,
    ),
    components(schemas(crate::api::error::ErrorBody)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Sign up and the signed-in account"),
        (name = "sessions", description = "Sign in, token refresh, sign out"),
        (name = "survey", description = "The survey and the mentor directory"),
        (name = "matches", description = "Recommendations and mentor–mentee matches"),
        (name = "community", description = "Community Q&A: the thread index of the question and \
            answer documents synced at /sync, votes and helpful marks"),
        (name = "courses", description = "The course catalogue, learners' pseudonymous course \
            events, and each hobby's recommendation model for ranking on the device"),
        (name = "server", description = "Health and this document"),
        (name = "sync", description = "Automerge repo sync over WebSocket (binary CBOR frames)"),
    )
)]
struct ApiDoc;

/// The OpenAPI document as JSON.
pub fn openapi_json() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or_default()
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "server",
    responses((status = 200, description = "This OpenAPI 3 document", content_type = "application/json")))]
pub async fn serve_openapi() -> Json<serde_json::Value> {
    Json(openapi_json())
}

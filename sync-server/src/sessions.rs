//! Sessions under `/api/v1/sessions`: sign in (with throttling of failed
//! attempts per email and client address), refresh-token rotation (a replayed
//! refresh token revokes its whole session) and logout.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tutti_sync::ServerErrorCode;
use utoipa::ToSchema;

use crate::accounts::{blocking, normalize_email, now};
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::{ApiJson, ClientAddr};
use crate::storage::{IssuedTokens, NewSession, RefreshOutcome};
use crate::{AppState, Error, tokens};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A fresh token pair.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub user_id: String,
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Single use: exchange at `/api/v1/sessions/refresh` for a new pair.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Always `Bearer`.
    pub token_type: String,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sessions", post(login).delete(logout))
        .route("/sessions/refresh", post(refresh))
}

/// A new token pair: the tokens for the client, their hashes for the store.
fn issue(state: &AppState) -> Result<(String, String, IssuedTokens), Error> {
    let (access, refresh) = (tokens::generate()?, tokens::generate()?);
    let t = now();
    let ttl = |secs: u64| t.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX));
    let issued = IssuedTokens {
        access_hash: tokens::hash(&access),
        access_expires_at: ttl(state.config.access_token_ttl_secs),
        refresh_hash: tokens::hash(&refresh),
        refresh_expires_at: ttl(state.config.refresh_token_ttl_secs),
    };
    Ok((access, refresh, issued))
}

fn token_response(
    state: &AppState,
    user_id: String,
    access: String,
    refresh: String,
) -> TokenResponse {
    TokenResponse {
        user_id,
        access_token: access,
        refresh_token: refresh,
        expires_in: state.config.access_token_ttl_secs,
        token_type: "Bearer".to_owned(),
    }
}

#[utoipa::path(post, path = "/api/v1/sessions", tag = "sessions",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Wrong email or password (`invalid_credentials`)", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid", body = ErrorBody),
        (status = 429, description = "Too many failed attempts for this email from this address; see Retry-After (`too_many_attempts`)", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let email = normalize_email(&req.email)?;
    if req.password.is_empty() {
        return Err(ApiError::invalid_field("password", "password is required"));
    }
    let key = format!("{email}|{addr}");
    let window = i64::try_from(state.config.login_failure_window_secs).unwrap_or(i64::MAX);
    let t = now();
    let failures = state.storage.login_failures(&key, t - window).await?;
    if failures.count >= state.config.login_max_failures {
        let oldest = failures.oldest.unwrap_or(t);
        let retry = (oldest + window - t).max(1);
        tracing::warn!(%addr, "login throttled");
        return Err(ApiError::too_many_requests(
            u64::try_from(retry).unwrap_or(1),
        ));
    }
    let user = state.storage.user_by_email(&email).await?;
    let hasher = state.passwords.clone();
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let password = req.password;
    let ok = blocking(move || hasher.verify(&password, stored.as_deref())).await?;
    let Some(user) = user.filter(|_| ok) else {
        state
            .storage
            .record_login_failure(&key, t, t - window)
            .await?;
        return Err(ApiError::unauthorized(
            ServerErrorCode::InvalidCredentials,
            "wrong email or password",
        ));
    };
    state.storage.clear_login_failures(&key).await?;
    let (access, refresh, issued) = issue(&state)?;
    state
        .storage
        .create_session(&NewSession {
            id: tokens::new_id(),
            user_id: user.id.clone(),
            created_at: t,
            tokens: issued,
        })
        .await?;
    Ok(Json(token_response(&state, user.id, access, refresh)))
}

#[utoipa::path(post, path = "/api/v1/sessions/refresh", tag = "sessions",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair; the presented refresh token is used up", body = TokenResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Unknown or expired (`invalid_refresh_token`), or replayed, which revokes the session (`refresh_token_reused`)", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid", body = ErrorBody),
    ))]
async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    if req.refresh_token.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "refresh_token",
            "refresh_token is required",
        ));
    }
    let (access, refresh, issued) = issue(&state)?;
    let outcome = state
        .storage
        .rotate_refresh_token(&tokens::hash(req.refresh_token.trim()), &issued, now())
        .await?;
    match outcome {
        RefreshOutcome::Rotated { user_id, .. } => {
            Ok(Json(token_response(&state, user_id, access, refresh)))
        }
        RefreshOutcome::Reused => {
            tracing::warn!("a used refresh token was replayed; its session is revoked");
            Err(ApiError::unauthorized(
                ServerErrorCode::RefreshTokenReused,
                "this refresh token was already used; the session is revoked, sign in again",
            ))
        }
        RefreshOutcome::Invalid => Err(ApiError::unauthorized(
            ServerErrorCode::InvalidRefreshToken,
            "the refresh token is invalid or expired",
        )),
    }
}

#[utoipa::path(delete, path = "/api/v1/sessions", tag = "sessions",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out: the session's tokens no longer work"),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
    ))]
async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    state
        .storage
        .revoke_session(&caller.session_id, now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

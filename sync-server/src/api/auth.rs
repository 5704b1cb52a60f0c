//! Bearer authentication: [`Caller`] resolves `Authorization: Bearer <token>`
//! to the signed-in user and session, or rejects with 401.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use tutti_sync::ServerErrorCode;

use super::error::ApiError;
use crate::{AppState, tokens};

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub session_id: String,
}

/// The token of an `Authorization: Bearer …` header (scheme case-insensitive).
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer_token(parts) else {
            return Err(ApiError::unauthorized(
                ServerErrorCode::Unauthenticated,
                "sign in and send Authorization: Bearer <access token>",
            ));
        };
        let session = state
            .storage
            .session_by_access_token(&tokens::hash(token), crate::accounts::now())
            .await?
            .ok_or_else(|| {
                ApiError::unauthorized(
                    ServerErrorCode::InvalidToken,
                    "the access token is invalid or expired",
                )
            })?;
        Ok(Caller {
            user_id: session.user_id,
            session_id: session.session_id,
        })
    }
}

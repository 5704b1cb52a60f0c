//! The one error shape every API response uses: `{code, message, field}` with
//! a 4xx/5xx status. Clients branch on `code`; `field` names the request field
//! at fault, when there is one.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tutti_sync::ServerErrorCode;

use crate::Error;

/// The JSON body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid_field`, `email_taken`
    /// (every code is a [`ServerErrorCode`]).
    #[schema(example = "invalid_field")]
    pub code: String,
    /// Human-readable explanation (English).
    pub message: String,
    /// The request field at fault, if any.
    #[schema(example = "email")]
    pub field: Option<String>,
}

/// An error response: status, body, and for 429 a `Retry-After`.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ServerErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.as_str().to_owned(),
                message: message.into(),
                field: None,
            },
            retry_after_secs: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.body.field = Some(field.into());
        self
    }

    /// 422 for a field whose value is not acceptable.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ServerErrorCode::InvalidField,
            message,
        )
        .with_field(field)
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ServerErrorCode::NotFound,
            format!("no such {what}"),
        )
    }

    pub fn forbidden(code: ServerErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn conflict(code: ServerErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, code, message)
    }

    pub fn unauthorized(code: ServerErrorCode, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ServerErrorCode::TooManyAttempts,
            format!("too many failed logins; try again in {retry_after_secs} s"),
        );
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    /// 500; the cause is logged where it happened, never sent.
    pub(crate) fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ServerErrorCode::Internal,
            "internal server error",
        )
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::EmailTaken => {
                ApiError::conflict(ServerErrorCode::EmailTaken, e.to_string()).with_field("email")
            }
            Error::MatchExists => ApiError::conflict(ServerErrorCode::MatchExists, e.to_string()),
            Error::MentorAtCapacity => {
                ApiError::conflict(ServerErrorCode::MentorAtCapacity, e.to_string())
            }
            Error::MatchNotPending { .. } => {
                ApiError::conflict(ServerErrorCode::MatchNotPending, e.to_string())
            }
            Error::NotMatchMentor => {
                ApiError::forbidden(ServerErrorCode::NotMatchMentor, e.to_string())
            }
            Error::NotFound { what } => ApiError::not_found(what),
            Error::DocumentExists => {
                ApiError::conflict(ServerErrorCode::DocumentExists, e.to_string())
            }
            Error::AssistantFailed(message) => ApiError::new(
                StatusCode::BAD_GATEWAY,
                ServerErrorCode::AssistantFailed,
                message,
            ),
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

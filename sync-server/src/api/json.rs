//! Request extractors whose rejections are [`ApiError`]s, so axum's plain-text
//! rejections never reach a client: [`ApiJson`] (content type, size limit,
//! syntax, and the failing field's name), [`ApiQuery`], [`ApiPath`], and
//! [`ClientAddr`].

use std::net::SocketAddr;
use tutti_sync::ServerErrorCode;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{StatusCode, header, request::Parts};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON request body.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

fn is_json(parts_content_type: Option<&str>) -> bool {
    let Some(ct) = parts_content_type else {
        return false;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// "missing field `email`" → "email" (serde's fixed wording).
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

/// Parses a body as `T`, naming the field that failed. The syntax is checked
/// first (400), then the shape (422), so a wrong type is never mistaken for
/// broken JSON (serde_json reports some type errors as syntax errors).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| malformed(&e))?;
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let prefix = if path == "." { None } else { Some(path) };
        if let Some(name) = missing_field(&message) {
            let field = match prefix {
                Some(p) => format!("{p}.{name}"),
                None => name.to_owned(),
            };
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ServerErrorCode::MissingField,
                message,
            )
            .with_field(field)
        } else if let Some(field) = prefix {
            ApiError::invalid_field(&field, message)
        } else {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ServerErrorCode::InvalidBody,
                message,
            )
        }
    })
}

fn malformed(e: &serde_json::Error) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ServerErrorCode::MalformedJson,
        format!("the body is not valid JSON: {e}"),
    )
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        if !is_json(content_type) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ServerErrorCode::UnsupportedMediaType,
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ServerErrorCode::BodyTooLarge,
                    "the request body is larger than the server accepts",
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ServerErrorCode::UnreadableBody,
                    format!("cannot read the request body: {}", rejection.body_text()),
                )
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// A query string.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|r| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ServerErrorCode::InvalidQuery,
                    r.body_text(),
                )
            })
    }
}

/// Path parameters.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|r| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ServerErrorCode::InvalidPath,
                    r.body_text(),
                )
            })
    }
}

/// The client's address (the TCP peer), or "unknown" without connect info.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string())
                .unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        level: u8,
    }

    #[test]
    fn syntax_errors_are_malformed_json() {
        let e = parse_json::<Body>(b"{\"email\": ").unwrap_err();
        assert_eq!(
            (e.status, e.body.code.as_str()),
            (StatusCode::BAD_REQUEST, "malformed_json")
        );
        let e = parse_json::<Body>(b"{\"email\":\"a\",\"level\":1} trailing").unwrap_err();
        assert_eq!(e.body.code, "malformed_json");
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let e = parse_json::<Body>(br#"{"email": 5, "level": 1}"#).unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.body.field.as_deref(), Some("email"));
        let e = parse_json::<Body>(br#"{"email": "a", "level": 300}"#).unwrap_err();
        assert_eq!(e.body.field.as_deref(), Some("level"));
    }

    #[test]
    fn a_wrong_type_for_an_enum_is_a_field_error_not_a_syntax_error() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Role {
            Mentor,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct WithEnum {
            role: Role,
        }
        let e = parse_json::<WithEnum>(br#"{"role": 1}"#).unwrap_err();
        assert_eq!(
            (e.status, e.body.field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("role"))
        );
    }

    #[test]
    fn a_missing_field_is_named() {
        let e = parse_json::<Body>(br#"{"level": 1}"#).unwrap_err();
        assert_eq!(e.body.code, "missing_field");
        assert_eq!(e.body.field.as_deref(), Some("email"));
    }

    #[test]
    fn json_content_types() {
        assert!(is_json(Some("application/json")));
        assert!(is_json(Some("Application/JSON; charset=utf-8")));
        assert!(is_json(Some("application/problem+json")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(None));
    }
}

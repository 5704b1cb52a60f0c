//! Accounts under `/api/v1`: sign up (validated fields, argon2id hash) and
//! `me`; the shared field validators and time helpers. Sessions are in
//! `sessions`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::ApiJson;
use crate::storage::NewUser;
use crate::{AppState, Error, tokens};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
}

/// RFC 3339 (UTC) of a Unix time, for responses.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// A person's gender as the survey and account know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "female" => Some(Gender::Female),
            "male" => Some(Gender::Male),
            "other" => Some(Gender::Other),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignupRequest {
    #[schema(example = "minji@example.com")]
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    /// Display name, 1 to 50 characters.
    #[schema(example = "김민지")]
    pub name: String,
    pub gender: Gender,
    /// `YYYY-MM-DD`, in the past, not before 1900.
    #[schema(example = "1998-04-21")]
    pub birthdate: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SignupResponse {
    pub user_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeResponse {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub gender: String,
    pub birthdate: String,
    /// RFC 3339.
    pub created_at: String,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", post(signup))
        .route("/me", get(me))
}

/// Trims and lower-cases an email, or names what is wrong with it.
pub(crate) fn normalize_email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim();
    let bad = |why: &str| ApiError::invalid_field("email", format!("email {why}"));
    if email.is_empty() {
        return Err(bad("is required"));
    }
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("is not a valid address"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(bad("needs an @"));
    };
    let domain_ok = !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty());
    if local.is_empty() || local.len() > 64 || !domain_ok {
        return Err(bad("is not a valid address"));
    }
    Ok(email.to_lowercase())
}

fn validate_password(password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if n < 8 {
        return Err(ApiError::invalid_field(
            "password",
            "password must have at least 8 characters",
        ));
    }
    if n > 128 {
        return Err(ApiError::invalid_field(
            "password",
            "password must have at most 128 characters",
        ));
    }
    if password.trim().is_empty() {
        return Err(ApiError::invalid_field(
            "password",
            "password cannot be only spaces",
        ));
    }
    Ok(())
}

/// A trimmed text field of 1..=max characters without control characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::invalid_field(
            field,
            format!("{field} is required"),
        ));
    }
    if v.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            format!("{field} must have at most {max} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(ApiError::invalid_field(
            field,
            format!("{field} cannot contain control characters"),
        ));
    }
    Ok(v.to_owned())
}

fn validate_birthdate(raw: &str, today: time::Date) -> Result<String, ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(raw.trim(), &format).map_err(|_| {
        ApiError::invalid_field("birthdate", "birthdate must be a date like 1998-04-21")
    })?;
    if date >= today || date.year() < 1900 {
        return Err(ApiError::invalid_field(
            "birthdate",
            "birthdate must be in the past and after 1900",
        ));
    }
    Ok(date.format(&format).unwrap_or_default())
}

fn today() -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(now())
        .map(|t| t.date())
        .unwrap_or(time::Date::MIN)
}

/// Runs CPU-heavy hashing off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::StorageTask(e.to_string()))
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created", body = SignupResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "The email is taken (`email_taken`)", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid (an email in the reserved \
            `.invalid` domain too); `field` names it", body = ErrorBody),
    ))]
async fn signup(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<SignupRequest>,
) -> Result<(StatusCode, Json<SignupResponse>), ApiError> {
    let email_normalized = normalize_email(&req.email)?;
    if email_normalized.ends_with(".invalid") {
        // RFC 2606 reserves it; the server's own accounts (the community
        // assistant's) live there
        return Err(ApiError::invalid_field(
            "email",
            "email is not a valid address: the .invalid domain is reserved",
        ));
    }
    validate_password(&req.password)?;
    let name = required_text("name", &req.name, 50)?;
    let birthdate = validate_birthdate(&req.birthdate, today())?;
    if state
        .storage
        .user_by_email(&email_normalized)
        .await?
        .is_some()
    {
        return Err(Error::EmailTaken.into());
    }
    let hasher = state.passwords.clone();
    let password = req.password;
    let password_hash = blocking(move || hasher.hash(&password)).await??;
    let user = NewUser {
        id: tokens::new_id(),
        email: req.email.trim().to_owned(),
        email_normalized,
        password_hash,
        name,
        gender: req.gender.as_str().to_owned(),
        birthdate,
        created_at: now(),
    };
    state.storage.create_user(&user).await?;
    tracing::info!(user_id = %user.id, "account created");
    Ok((
        StatusCode::CREATED,
        Json(SignupResponse { user_id: user.id }),
    ))
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in account", body = MeResponse),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
    ))]
async fn me(State(state): State<AppState>, caller: Caller) -> Result<Json<MeResponse>, ApiError> {
    let user = state
        .storage
        .user_by_id(&caller.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(Json(MeResponse {
        user_id: user.id,
        email: user.email,
        name: user.name,
        gender: user.gender,
        birthdate: user.birthdate,
        created_at: rfc3339(user.created_at),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            normalize_email("  MinJi@Example.COM ").unwrap(),
            "minji@example.com"
        );
        for bad in [
            "",
            "no-at.example.com",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "@c.com",
            "a@.com",
        ] {
            let e = normalize_email(bad).unwrap_err();
            assert_eq!(e.body.field.as_deref(), Some("email"), "{bad:?}");
        }
    }

    #[test]
    fn birthdates_must_be_real_past_dates() {
        let today = time::macros::date!(2026 - 05 - 20);
        assert_eq!(
            validate_birthdate("1998-04-21", today).unwrap(),
            "1998-04-21"
        );
        for bad in [
            "1998-02-30",
            "21-04-1998",
            "2026-05-20",
            "2030-01-01",
            "1850-01-01",
            "",
        ] {
            assert!(validate_birthdate(bad, today).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_need_8_to_128_characters() {
        assert!(validate_password("1234567").is_err());
        assert!(
            validate_password("비밀번호비밀번호").is_ok(),
            "counts characters, not bytes"
        );
        assert!(validate_password(&"x".repeat(129)).is_err());
        assert!(validate_password("        ").is_err());
    }
}

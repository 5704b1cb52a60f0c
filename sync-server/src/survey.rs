//! The survey (`PUT`/`GET /api/v1/survey`) and the mentor directory
//! (`GET /api/v1/mentors`), which is every mentor's survey without contact data.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::accounts::{Gender, now, required_text, rfc3339};
use crate::api::auth::Caller;
use crate::api::error::{ApiError, ErrorBody};
use crate::api::json::{ApiJson, ApiQuery};
use crate::storage::{MentorEntry, SurveyRecord};
use crate::{AppState, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Mentor,
    Mentee,
}

/// Age bands, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum AgeGroup {
    #[serde(rename = "under_20")]
    Under20,
    #[serde(rename = "20s")]
    Twenties,
    #[serde(rename = "30s")]
    Thirties,
    #[serde(rename = "40s")]
    Forties,
    #[serde(rename = "50s")]
    Fifties,
    #[serde(rename = "60_plus")]
    SixtyPlus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityLevel {
    Low,
    Medium,
    High,
}

/// Serialises a unit enum to its wire string (`"mentor"`, `"20s"`…).
fn wire<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// Reads a stored wire string back into its enum.
fn from_wire<T: serde::de::DeserializeOwned>(column: &str, s: &str) -> Result<T, Error> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| Error::CorruptRow(format!("{column} {s:?}")))
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyRequest {
    pub role: Role,
    /// A hobby taxonomy id: lower-case letters, digits, `-` or `_` (e.g. `piano`).
    #[schema(example = "piano")]
    pub hobby: String,
    pub gender: Gender,
    pub age_group: AgeGroup,
    /// Where the user is, e.g. a city or district (1–60 characters).
    #[schema(example = "서울")]
    pub location: String,
    pub activity_level: ActivityLevel,
    /// Skill level 0–5 (0–1 beginner, 2–3 intermediate, 4–5 advanced).
    #[schema(minimum = 0, maximum = 5)]
    pub level: u8,
    /// Mentors only, required for them: how many mentees they take (1–100).
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Mentors only, optional: the mentee gender they prefer.
    #[serde(default)]
    pub preferred_mentee_gender: Option<Gender>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SurveyResponse {
    pub user_id: String,
    #[serde(flatten)]
    pub survey: SurveyRequest,
    /// RFC 3339.
    pub updated_at: String,
}

/// A mentor as the directory shows them (no email or birthdate).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MentorListing {
    pub user_id: String,
    pub name: String,
    pub hobby: String,
    pub gender: Gender,
    pub age_group: AgeGroup,
    pub location: String,
    pub activity_level: ActivityLevel,
    pub level: u8,
    pub capacity: u32,
    /// Mentees accepted so far.
    pub accepted_count: u32,
    /// Whether the mentor has free capacity.
    pub available: bool,
    pub preferred_mentee_gender: Option<Gender>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MentorDirectory {
    pub mentors: Vec<MentorListing>,
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
pub struct MentorQuery {
    /// Only mentors of this hobby id.
    pub hobby: Option<String>,
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/survey", get(get_survey).put(put_survey))
        .route("/mentors", get(mentors))
}

/// A hobby taxonomy id, or which rule it breaks.
pub fn validate_hobby(field: &str, hobby: &str) -> Result<String, ApiError> {
    let h = hobby.trim();
    let ok = !h.is_empty()
        && h.len() <= 64
        && h.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && h.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(h.to_owned())
    } else {
        Err(ApiError::invalid_field(
            field,
            "hobby must be a taxonomy id: lower-case letters, digits, - or _ (at most 64)",
        ))
    }
}

fn to_record(user_id: &str, s: &SurveyRequest) -> Result<SurveyRecord, ApiError> {
    let hobby = validate_hobby("hobby", &s.hobby)?;
    let location = required_text("location", &s.location, 60)?;
    if s.level > 5 {
        return Err(ApiError::invalid_field(
            "level",
            "level must be between 0 and 5",
        ));
    }
    let capacity = match (s.role, s.capacity) {
        (Role::Mentor, None) => {
            return Err(ApiError::invalid_field(
                "capacity",
                "a mentor's survey needs a capacity",
            ));
        }
        (Role::Mentor, Some(c)) if !(1..=100).contains(&c) => {
            return Err(ApiError::invalid_field(
                "capacity",
                "capacity must be between 1 and 100",
            ));
        }
        (Role::Mentee, Some(_)) => {
            return Err(ApiError::invalid_field(
                "capacity",
                "only mentors have a capacity",
            ));
        }
        (_, c) => c.map(i64::from),
    };
    if s.role == Role::Mentee && s.preferred_mentee_gender.is_some() {
        return Err(ApiError::invalid_field(
            "preferred_mentee_gender",
            "only mentors state a preferred mentee gender",
        ));
    }
    Ok(SurveyRecord {
        user_id: user_id.to_owned(),
        role: wire(&s.role),
        hobby,
        gender: s.gender.as_str().to_owned(),
        age_group: wire(&s.age_group),
        location,
        activity_level: wire(&s.activity_level),
        level: i64::from(s.level),
        capacity,
        preferred_mentee_gender: s.preferred_mentee_gender.map(|g| g.as_str().to_owned()),
        updated_at: now(),
    })
}

fn gender(s: &str) -> Result<Gender, Error> {
    Gender::parse(s).ok_or_else(|| Error::CorruptRow(format!("gender {s:?}")))
}

fn small(column: &str, v: i64) -> Result<u32, Error> {
    u32::try_from(v).map_err(|_| Error::CorruptRow(format!("{column} {v}")))
}

/// The wire form of a stored survey.
pub fn survey_request(r: &SurveyRecord) -> Result<SurveyRequest, Error> {
    Ok(SurveyRequest {
        role: from_wire("role", &r.role)?,
        hobby: r.hobby.clone(),
        gender: gender(&r.gender)?,
        age_group: from_wire("age_group", &r.age_group)?,
        location: r.location.clone(),
        activity_level: from_wire("activity_level", &r.activity_level)?,
        level: u8::try_from(r.level)
            .map_err(|_| Error::CorruptRow(format!("level {}", r.level)))?,
        capacity: r.capacity.map(|c| small("capacity", c)).transpose()?,
        preferred_mentee_gender: r
            .preferred_mentee_gender
            .as_deref()
            .map(gender)
            .transpose()?,
    })
}

/// The directory form of a mentor.
pub fn mentor_listing(m: &MentorEntry) -> Result<MentorListing, Error> {
    let s = survey_request(&m.survey)?;
    let capacity = s.capacity.unwrap_or(0);
    let accepted_count = small("accepted_count", m.accepted_count)?;
    Ok(MentorListing {
        user_id: m.survey.user_id.clone(),
        name: m.name.clone(),
        hobby: s.hobby,
        gender: s.gender,
        age_group: s.age_group,
        location: s.location,
        activity_level: s.activity_level,
        level: s.level,
        capacity,
        accepted_count,
        available: accepted_count < capacity,
        preferred_mentee_gender: s.preferred_mentee_gender,
    })
}

#[utoipa::path(put, path = "/api/v1/survey", tag = "survey",
    security(("bearer" = [])),
    request_body = SurveyRequest,
    responses(
        (status = 200, description = "The stored survey; a mentor's joins the directory", body = SurveyResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 422, description = "A field is missing or invalid; `field` names it", body = ErrorBody),
    ))]
async fn put_survey(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<SurveyRequest>,
) -> Result<Json<SurveyResponse>, ApiError> {
    let record = to_record(&caller.user_id, &req)?;
    state.storage.put_survey(&record).await?;
    Ok(Json(SurveyResponse {
        user_id: record.user_id.clone(),
        survey: survey_request(&record)?,
        updated_at: rfc3339(record.updated_at),
    }))
}

#[utoipa::path(get, path = "/api/v1/survey", tag = "survey",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's survey", body = SurveyResponse),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 404, description = "No survey yet", body = ErrorBody),
    ))]
async fn get_survey(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<SurveyResponse>, ApiError> {
    let record = state
        .storage
        .survey(&caller.user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("survey"))?;
    Ok(Json(SurveyResponse {
        user_id: record.user_id.clone(),
        survey: survey_request(&record)?,
        updated_at: rfc3339(record.updated_at),
    }))
}

#[utoipa::path(get, path = "/api/v1/mentors", tag = "survey",
    security(("bearer" = [])),
    params(MentorQuery),
    responses(
        (status = 200, description = "Mentors, by name", body = MentorDirectory),
        (status = 400, description = "Bad query string", body = ErrorBody),
        (status = 401, description = "No or invalid access token", body = ErrorBody),
        (status = 422, description = "Invalid hobby id", body = ErrorBody),
    ))]
async fn mentors(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<MentorQuery>,
) -> Result<Json<MentorDirectory>, ApiError> {
    let hobby = q
        .hobby
        .as_deref()
        .map(|h| validate_hobby("hobby", h))
        .transpose()?;
    let entries = state.storage.mentors(hobby.as_deref()).await?;
    let mentors = entries
        .iter()
        .map(mentor_listing)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(MentorDirectory { mentors }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentee() -> SurveyRequest {
        SurveyRequest {
            role: Role::Mentee,
            hobby: "piano".into(),
            gender: Gender::Female,
            age_group: AgeGroup::Twenties,
            location: " 서울 ".into(),
            activity_level: ActivityLevel::High,
            level: 1,
            capacity: None,
            preferred_mentee_gender: None,
        }
    }

    #[test]
    fn a_survey_round_trips_through_its_record() {
        let r = to_record("u1", &mentee()).unwrap();
        assert_eq!((r.age_group.as_str(), r.location.as_str()), ("20s", "서울"));
        let back = survey_request(&r).unwrap();
        assert_eq!(back.age_group, AgeGroup::Twenties);
        assert_eq!(back.activity_level, ActivityLevel::High);
    }

    #[test]
    fn role_rules_name_the_field() {
        let mut s = mentee();
        s.capacity = Some(3);
        assert_eq!(
            to_record("u", &s).unwrap_err().body.field.as_deref(),
            Some("capacity")
        );
        s.role = Role::Mentor;
        s.capacity = None;
        assert_eq!(
            to_record("u", &s).unwrap_err().body.field.as_deref(),
            Some("capacity")
        );
        s.capacity = Some(2);
        s.level = 6;
        assert_eq!(
            to_record("u", &s).unwrap_err().body.field.as_deref(),
            Some("level")
        );
    }

    #[test]
    fn hobby_ids() {
        assert!(validate_hobby("hobby", "piano").is_ok());
        assert!(validate_hobby("hobby", "k-pop_dance2").is_ok());
        for bad in ["", "Piano", "피아노", "-x", "a b", &"a".repeat(65)] {
            assert!(validate_hobby("hobby", bad).is_err(), "{bad:?}");
        }
    }
}

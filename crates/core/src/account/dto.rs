//! The account, survey and matching IPC types (camelCase; `cargo test`
//! writes their TypeScript to `ui/src/lib/bindings/`). Enumerated fields are
//! the server's wire strings, listed on each field; the server validates them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The signed-in account of this device (no tokens: those stay in the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Account {
    pub user_id: String,
    pub email: String,
    pub server_url: String,
}

/// The sync server this device talks to, for the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncServer {
    /// The address in use: the one the user chose, else this build's default;
    /// `None` when there is neither (everything local still works).
    pub url: Option<String>,
    /// The address this build was made with (`TUTTI_DEFAULT_SERVER`), if any.
    pub default_url: Option<String>,
    /// `url` is plain http:// to another computer: it is used only when
    /// `allow_insecure` is set.
    pub insecure: bool,
    /// The user allowed plain http:// and ws:// for `url`.
    pub allow_insecure: bool,
}

/// A change of the sync server: `url` empty goes back to this build's
/// default. `allow_insecure` is the user's explicit consent to plain
/// http:// / ws:// for this one server (ignored for https:// and loopback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncServerInput {
    pub url: String,
    pub allow_insecure: bool,
}

/// What signing up asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SignupInput {
    pub email: String,
    /// 8 to 128 characters.
    pub password: String,
    pub name: String,
    /// `female`, `male` or `other`.
    pub gender: String,
    /// `YYYY-MM-DD`.
    pub birthdate: String,
}

/// A user's survey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Survey {
    /// `mentor` or `mentee`.
    pub role: String,
    /// A hobby id such as `piano`.
    pub hobby: String,
    /// `female`, `male` or `other`.
    pub gender: String,
    /// `under_20`, `20s`, `30s`, `40s`, `50s` or `60_plus`.
    pub age_group: String,
    pub location: String,
    /// `low`, `medium` or `high`.
    pub activity_level: String,
    /// 0–5.
    pub level: u8,
    /// Mentors only (required for them): how many mentees they take.
    pub capacity: Option<u32>,
    /// Mentors only: the mentee gender they prefer.
    pub preferred_mentee_gender: Option<String>,
}

/// Why a mentor is recommended, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MatchReason {
    /// Stable, e.g. `same_location`.
    pub code: String,
    pub ko: String,
    pub en: String,
}

/// A mentor as the directory shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MentorListing {
    pub user_id: String,
    pub name: String,
    pub hobby: String,
    pub gender: String,
    pub age_group: String,
    pub location: String,
    pub activity_level: String,
    pub level: u8,
    pub capacity: u32,
    pub accepted_count: u32,
    pub available: bool,
}

/// One recommended mentor, with the score (0–100) and the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recommendation {
    pub mentor: MentorListing,
    pub score: u32,
    pub reasons: Vec<MatchReason>,
}

/// A mentor–mentee match; an accepted one is a chat room (same id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Match {
    pub id: String,
    pub mentor_id: String,
    pub mentor_name: String,
    pub mentee_id: String,
    pub mentee_name: String,
    pub hobby: String,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    /// `mentor` or `mentee`: this user's side.
    pub my_role: String,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
}

/// A list as last fetched, and whether it came from the server just now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Cached<T> {
    pub items: Vec<T>,
    /// False when the server could not be reached and this is the saved copy.
    pub fresh: bool,
}

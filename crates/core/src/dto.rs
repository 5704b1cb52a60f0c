//! Types that cross IPC to the web UI. Each derives `ts_rs::TS`; `cargo test`
//! writes their TypeScript to `ui/src/lib/bindings/` (see `.cargo/config.toml`),
//! and CI fails when the committed files are stale.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Error;

/// The UI language. Korean first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Language {
    #[default]
    Ko,
    En,
}

/// The colour scheme; `system` follows the OS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// The user's preferences, stored in the local database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Settings {
    pub language: Language,
    pub theme: Theme,
}

/// A change to the settings; absent fields stay as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, optional_fields)]
pub struct SettingsPatch {
    pub language: Option<Language>,
    pub theme: Option<Theme>,
}

/// Gender as the sign-up form asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Gender {
    Female,
    Male,
    Other,
    Unspecified,
}

/// The local profile of the person using this installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    pub display_name: String,
    pub email: Option<String>,
    pub gender: Option<Gender>,
    /// ISO date `YYYY-MM-DD`.
    pub birthdate: Option<String>,
    /// The sync-server account, once signed in.
    pub account_id: Option<String>,
}

/// What the UI may change of the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileInput {
    pub display_name: String,
    pub email: Option<String>,
    pub gender: Option<Gender>,
    pub birthdate: Option<String>,
}

/// Facts about this installation, for the About section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub schema_version: u32,
}

/// An error as the UI sees it: branch on `code`, show `message`, and put it
/// next to the input `field` when one is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        ApiError {
            code: err.code().to_owned(),
            message: err.to_string(),
            field: err.field().map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_its_field_for_the_ui() {
        let e = ApiError::from(Error::invalid("title", "must not be empty"));
        assert_eq!(e.code, "invalid_input");
        assert_eq!(e.field.as_deref(), Some("title"));
        assert_eq!(e.message, "invalid title: must not be empty");
        let e = ApiError::from(Error::ServerRejected {
            status: 422,
            code: "invalid_field".into(),
            message: "email: not an email address".into(),
            field: Some("email".into()),
        });
        assert_eq!(e.field.as_deref(), Some("email"), "the server's field");
        assert_eq!(ApiError::from(Error::NotSignedIn).field, None);
    }
}

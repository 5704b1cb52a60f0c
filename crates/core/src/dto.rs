//! Types that cross IPC to the web UI. Each derives `ts_rs::TS`; `cargo test`
//! writes their TypeScript to `ui/src/lib/bindings/` (see `.cargo/config.toml`),
//! and CI fails when the committed files are stale.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use tutti_sync::ServerErrorCode;

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
    /// The first-run screen was finished or skipped; the app opens on Home.
    pub first_run_done: bool,
}

/// A change to the settings; absent fields stay as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, optional_fields)]
pub struct SettingsPatch {
    pub language: Option<Language>,
    pub theme: Option<Theme>,
    pub first_run_done: Option<bool>,
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

/// An error as the UI sees it: branch on `code` and show the UI's own
/// message for it (every code is in [`api_error_codes`]); `message` is the
/// English detail for logs and the English UI; put it next to the input
/// `field` when one is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

/// The prefix of a sync-server error code as the UI sees it:
/// `email_taken` from the server is `server_email_taken` here.
pub const SERVER_CODE_PREFIX: &str = "server_";

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        let code = match &err {
            // The server's own code, when this build knows it (a newer server
            // may send others: those stay `server_rejected`).
            Error::ServerRejected { code, .. } => match ServerErrorCode::parse(code) {
                Some(known) => format!("{SERVER_CODE_PREFIX}{}", known.as_str()),
                None => err.code().to_owned(),
            },
            _ => err.code().to_owned(),
        };
        ApiError {
            code,
            message: err.to_string(),
            field: err.field().map(str::to_owned),
        }
    }
}

/// Every `code` an [`ApiError`] made from an [`Error`] can carry: the core's
/// own, the LLM client's and the sync server's (prefixed), sorted. The shell
/// adds the codes it makes itself (the microphone's) and exports the list for
/// the UI, whose tests check that each has a Korean and an English message.
pub fn api_error_codes() -> Vec<String> {
    let mut codes: Vec<String> = Error::CODES
        .iter()
        .chain(tutti_llm::LlmError::CODES)
        .map(|c| (*c).to_owned())
        .chain(
            ServerErrorCode::ALL
                .iter()
                .map(|c| format!("{SERVER_CODE_PREFIX}{}", c.as_str())),
        )
        .collect();
    codes.sort();
    codes.dedup();
    codes
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

    #[test]
    fn a_server_refusal_carries_the_servers_code_for_the_ui() {
        let refused = |code: &str| {
            ApiError::from(Error::ServerRejected {
                status: 409,
                code: code.into(),
                message: "an account with this email already exists".into(),
                field: Some("email".into()),
            })
        };
        assert_eq!(
            refused("email_taken").code,
            "server_email_taken",
            "the UI needs the server's code to say it in Korean"
        );
        assert_eq!(
            refused("something_only_a_newer_server_says").code,
            "server_rejected",
            "an unknown code falls back to the generic refusal"
        );
    }

    #[test]
    fn every_code_an_error_maps_to_is_in_the_exported_list() {
        let codes = api_error_codes();
        for code in [
            ApiError::from(Error::NotSignedIn).code,
            ApiError::from(Error::Llm(tutti_llm::LlmError::Cancelled)).code,
            ApiError::from(Error::ServerRejected {
                status: 401,
                code: "invalid_token".into(),
                message: String::new(),
                field: None,
            })
            .code,
        ] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "sorted and without duplicates"
        );
    }
}

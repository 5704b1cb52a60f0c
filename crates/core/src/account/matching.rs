//! Survey, mentor recommendations and matches (request / accept / decline).
//! The last fetched survey, recommendations and match list are cached in
//! SQLite and returned (marked not fresh) when the server cannot be reached.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::dto::{Cached, Match, Recommendation, Survey};
use super::{MATCHES, RECOMMENDATIONS, SURVEY, ServerClient, is_offline, wire};
use crate::api::Tutti;
use crate::store::Store;
use crate::{Error, Result};

impl Tutti {
    fn cache_put<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value).map_err(|e| Error::CorruptSetting {
            key: key.into(),
            reason: e.to_string(),
        })?;
        self.store().set_account_state(key, &json)
    }

    fn cache_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let Some(json) = self.store().account_state(key)? else {
            return Ok(None);
        };
        serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| Error::CorruptSetting {
                key: key.into(),
                reason: e.to_string(),
            })
    }

    fn cached_list<T: DeserializeOwned>(&self, key: &str, e: Error) -> Result<Cached<T>> {
        if !is_offline(&e) {
            return Err(e);
        }
        tracing::info!(error = %e, "server unreachable; showing the saved {key}");
        Ok(Cached {
            items: self.cache_get(key)?.unwrap_or_default(),
            fresh: false,
        })
    }

    /// This user's survey from the server (the saved copy when offline).
    pub async fn survey_get(&self) -> Result<Option<Survey>> {
        self.signed_in()?;
        let server = self.server_client()?;
        match server
            .authed_json::<wire::Survey>(Method::GET, "/survey", None)
            .await
        {
            Ok(s) => {
                let s = Survey::from(s);
                self.cache_put(SURVEY, &s)?;
                Ok(Some(s))
            }
            Err(Error::ServerRejected { status: 404, .. }) => Ok(None),
            Err(e) if is_offline(&e) => self.cache_get(SURVEY),
            Err(e) => Err(e),
        }
    }

    /// Saves the survey on the server (needs the server; the server checks
    /// every field and names the wrong one).
    pub async fn survey_save(&self, survey: Survey) -> Result<Survey> {
        self.signed_in()?;
        let server = self.server_client()?;
        let body = serde_json::to_value(wire::Survey::from(survey))
            .map_err(|e| Error::invalid("survey", e.to_string()))?;
        let saved: wire::Survey = server
            .authed_json(Method::PUT, "/survey", Some(&body))
            .await?;
        let saved = Survey::from(saved);
        self.cache_put(SURVEY, &saved)?;
        Ok(saved)
    }

    /// The top mentors for this mentee, with reasons.
    pub async fn match_recommendations(&self) -> Result<Cached<Recommendation>> {
        self.signed_in()?;
        let server = self.server_client()?;
        match server
            .authed_json::<wire::Recommendations>(Method::GET, "/matches/recommendations", None)
            .await
        {
            Ok(r) => {
                let items: Vec<Recommendation> =
                    r.recommendations.into_iter().map(Into::into).collect();
                self.cache_put(RECOMMENDATIONS, &items)?;
                Ok(Cached { items, fresh: true })
            }
            Err(e) => self.cached_list(RECOMMENDATIONS, e),
        }
    }

    /// This user's matches, newest first (as a mentor: the requests to answer).
    pub async fn matches_list(&self) -> Result<Cached<Match>> {
        self.signed_in()?;
        let server = self.server_client()?;
        match fetch_matches(&server).await {
            Ok(items) => {
                save_matches(&self.store(), &items)?;
                crate::chat::notify_local_change(self.data_dir());
                Ok(Cached { items, fresh: true })
            }
            Err(e) => self.cached_list(MATCHES, e),
        }
    }

    /// The saved match list (no network).
    pub fn matches_cached(&self) -> Result<Vec<Match>> {
        Ok(self.cache_get(MATCHES)?.unwrap_or_default())
    }

    /// Asks a mentor to mentor this mentee: a pending match.
    pub async fn match_request(&self, mentor_id: &str) -> Result<Match> {
        let mentor_id = mentor_id.trim();
        if mentor_id.is_empty() {
            return Err(Error::invalid("mentor_id", "must not be empty"));
        }
        self.match_call("/matches", serde_json::json!({ "mentor_id": mentor_id }))
            .await
    }

    /// The mentor accepts a request: the match becomes a chat room.
    pub async fn match_accept(&self, match_id: &str) -> Result<Match> {
        self.match_call(&match_path(match_id, "accept")?, serde_json::json!({}))
            .await
    }

    /// The mentor declines a request.
    pub async fn match_decline(&self, match_id: &str) -> Result<Match> {
        self.match_call(&match_path(match_id, "decline")?, serde_json::json!({}))
            .await
    }

    async fn match_call(&self, path: &str, body: serde_json::Value) -> Result<Match> {
        self.signed_in()?;
        let server = self.server_client()?;
        let m: wire::Match = server.authed_json(Method::POST, path, Some(&body)).await?;
        let m = Match::from(m);
        // Keep the saved list current (and tell the chat sync about new rooms).
        if let Err(e) = self.matches_list().await {
            tracing::warn!(error = %e, "could not refresh the match list");
        }
        Ok(m)
    }
}

/// Fetches the match list and saves it (the chat rooms come from it).
pub(crate) async fn fetch_matches(server: &ServerClient) -> Result<Vec<Match>> {
    let list: wire::MatchList = server.authed_json(Method::GET, "/matches", None).await?;
    Ok(list.matches.into_iter().map(Into::into).collect())
}

/// Saves the match list as the offline copy.
pub(crate) fn save_matches(store: &Store, items: &[Match]) -> Result<()> {
    let json = serde_json::to_string(&items).map_err(|e| Error::CorruptSetting {
        key: MATCHES.into(),
        reason: e.to_string(),
    })?;
    store.set_account_state(MATCHES, &json)
}

fn match_path(match_id: &str, action: &str) -> Result<String> {
    let id = match_id.trim();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            "match_id",
            format!("`{id}` is not a match id"),
        ));
    }
    Ok(format!("/matches/{id}/{action}"))
}

//! The sync-server account of this device: the server address (a setting),
//! signup, login, logout and token refresh. Tokens live only in the OS keyring
//! (one entry per data directory, see [`client::token_entry`]); SQLite keeps
//! the account's id and email so the app knows who it is while offline.
//!
//! [`matching`] adds the survey, mentor recommendations and matches, whose
//! last fetched copies are cached so they show offline.

pub(crate) mod client;
pub mod dto;
mod matching;
pub(crate) use matching::{fetch_matches, save_matches};
mod wire;

use reqwest::{Method, StatusCode};

use crate::api::Tutti;
use crate::{Error, Result};
pub(crate) use client::{ServerClient, Tokens};
use dto::{Account, SignupInput, SyncServer, SyncServerInput};

pub(crate) const SERVER_URL: &str = "server_url";
pub(crate) const ACCOUNT: &str = "account";
pub(crate) const SURVEY: &str = "survey";
pub(crate) const RECOMMENDATIONS: &str = "recommendations";
pub(crate) const MATCHES: &str = "matches";
/// Keys cleared when another account signs in or the user logs out.
const PER_ACCOUNT: &[&str] = &[ACCOUNT, SURVEY, RECOMMENDATIONS, MATCHES];

impl Tutti {
    /// The sync server's address in use: the user's choice, else this
    /// build's default ([`Tutti::set_default_server_url`]), if any.
    pub fn account_server_url_get(&self) -> Result<Option<String>> {
        Ok(self
            .store()
            .account_state(SERVER_URL)?
            .or_else(|| self.default_server_url().map(str::to_owned)))
    }

    /// The sync server, its default and whether plain transport is allowed.
    pub fn account_server_get(&self) -> Result<SyncServer> {
        let url = self.account_server_url_get()?;
        let allow_insecure = match &url {
            Some(url) => self.store().insecure_allowed(url)?,
            None => false,
        };
        Ok(SyncServer {
            insecure: url.as_deref().is_some_and(client::is_insecure),
            url,
            default_url: self.default_server_url().map(str::to_owned),
            allow_insecure,
        })
    }

    /// Sets the sync server's address (`http(s)://host[:port]`). Plain
    /// http:// to another computer is refused ([`Error::InsecureTransport`])
    /// unless `allow_insecure` says the user allowed it for this server. An
    /// empty `url` goes back to the build's default. Refused while signed in
    /// to another server: log out first.
    pub fn account_server_set(&self, input: SyncServerInput) -> Result<SyncServer> {
        let chosen = match input.url.trim() {
            "" => None,
            url => Some(client::normalize_server_url(url)?),
        };
        let effective = chosen
            .clone()
            .or_else(|| self.default_server_url().map(str::to_owned));
        if let Some(url) = &effective {
            client::check_transport(url, input.allow_insecure)?;
        }
        if let Some(account) = self.account_get()?
            && Some(&account.server_url) != effective.as_ref()
        {
            return Err(Error::invalid(
                "server_url",
                "log out before switching to another server",
            ));
        }
        let allow = input.allow_insecure && effective.as_deref().is_some_and(client::is_insecure);
        self.store()
            .set_server(SERVER_URL, chosen.as_deref(), effective.as_deref(), allow)?;
        self.account_server_get()
    }

    /// [`Tutti::account_server_set`] for a secure or local server: returns
    /// the normalised address.
    pub fn account_server_url_set(&self, url: &str) -> Result<String> {
        if url.trim().is_empty() {
            return Err(Error::invalid("server_url", "must not be empty"));
        }
        self.account_server_set(SyncServerInput {
            url: url.to_owned(),
            allow_insecure: false,
        })?
        .url
        .ok_or_else(|| Error::invalid("server_url", "must not be empty"))
    }

    /// The signed-in account, known offline; `None` when signed out.
    pub fn account_get(&self) -> Result<Option<Account>> {
        let Some(json) = self.store().account_state(ACCOUNT)? else {
            return Ok(None);
        };
        let account: Account = serde_json::from_str(&json).map_err(|e| Error::CorruptSetting {
            key: ACCOUNT.into(),
            reason: e.to_string(),
        })?;
        if client::token_entry(self.data_dir()).is_present()? {
            Ok(Some(account))
        } else {
            Ok(None)
        }
    }

    pub(crate) fn server_client(&self) -> Result<ServerClient> {
        let url = self
            .account_server_url_get()?
            .ok_or_else(|| Error::invalid("server_url", "set the sync server's address first"))?;
        let allow_insecure = self.store().insecure_allowed(&url)?;
        ServerClient::new(&url, self.data_dir(), allow_insecure)
    }

    /// The signed-in account or [`Error::NotSignedIn`].
    pub(crate) fn signed_in(&self) -> Result<Account> {
        self.account_get()?.ok_or(Error::NotSignedIn)
    }

    /// Creates an account on the server; returns its user id. Does not sign in.
    pub async fn account_signup(&self, input: SignupInput) -> Result<String> {
        let server = self.server_client()?;
        #[derive(serde::Deserialize)]
        struct Created {
            user_id: String,
        }
        let body = serde_json::json!({
            "email": input.email.trim(), "password": input.password, "name": input.name.trim(),
            "gender": input.gender, "birthdate": input.birthdate,
        });
        let (_, created): (_, Created) = server.post_public("/accounts", &body).await?;
        tracing::info!(user_id = %created.user_id, "signed up on the sync server");
        Ok(created.user_id)
    }

    /// Signs in: the tokens go to the keyring, the account to SQLite. Another
    /// account's cached lists are dropped first.
    pub async fn account_login(&self, email: &str, password: &str) -> Result<Account> {
        let server = self.server_client()?;
        let email = email.trim();
        if email.is_empty() {
            return Err(Error::invalid("email", "must not be empty"));
        }
        if password.is_empty() {
            return Err(Error::invalid("password", "must not be empty"));
        }
        let body = serde_json::json!({ "email": email, "password": password });
        let tokens: client::TokenResponse = match server.post_public("/sessions", &body).await {
            Ok((_, t)) => t,
            Err(Error::ServerRejected { status: 401, .. }) => {
                return Err(Error::InvalidCredentials);
            }
            Err(e) => return Err(e),
        };
        let account = Account {
            user_id: tokens.user_id.clone(),
            email: email.to_owned(),
            server_url: self.account_server_url_get()?.unwrap_or_default(),
        };
        let previous = self.store().account_state(ACCOUNT)?;
        let same_user = previous
            .and_then(|p| serde_json::from_str::<Account>(&p).ok())
            .is_some_and(|p| p.user_id == account.user_id);
        if !same_user {
            self.store().delete_account_state(PER_ACCOUNT)?;
        }
        server.save_tokens(&Tokens {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
        })?;
        let json = serde_json::to_string(&account).map_err(|e| Error::CorruptSetting {
            key: ACCOUNT.into(),
            reason: e.to_string(),
        })?;
        self.store().set_account_state(ACCOUNT, &json)?;
        tracing::info!(user_id = %account.user_id, "signed in to the sync server");
        crate::chat::notify_local_change(self.data_dir());
        Ok(account)
    }

    /// Signs out: revokes the session on the server when it can be reached,
    /// and always forgets the tokens and the cached lists here. Chat documents
    /// stay (unsent messages are sent after the next login).
    pub async fn account_logout(&self) -> Result<()> {
        let server = self.server_client()?;
        match server.authed(Method::DELETE, "/sessions", None).await {
            Ok(_) | Err(Error::NotSignedIn) => {}
            Err(e @ (Error::ServerUnreachable(_) | Error::ServerRejected { .. })) => {
                tracing::warn!(error = %e, "could not revoke the session on the server");
            }
            Err(e) => return Err(e),
        }
        server.clear_tokens()?;
        self.store().delete_account_state(PER_ACCOUNT)?;
        tracing::info!("signed out of the sync server");
        Ok(())
    }

    /// Exchanges the refresh token for a new token pair.
    pub async fn account_refresh(&self) -> Result<()> {
        let server = self.server_client()?;
        let tokens = server.tokens()?.ok_or(Error::NotSignedIn)?;
        server.refresh(&tokens).await.map(|_| ())
    }
}

/// Whether an error means "the server is not there" (use the cached copy).
pub(crate) fn is_offline(e: &Error) -> bool {
    matches!(e, Error::ServerUnreachable(_))
        || matches!(e, Error::ServerRejected { status, .. } if *status == StatusCode::BAD_GATEWAY.as_u16() || *status == StatusCode::SERVICE_UNAVAILABLE.as_u16())
}

//! Secrets in the OS keyring (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows) — never in SQLite, logs or the webview.
//!
//! A [`SecretStore`] is one keyring entry: a service name and an account. The
//! app uses [`KEYRING_SERVICE`]; the LLM API key's account names the data
//! directory ([`SecretStore::llm_api_key`]), so every data directory — a
//! user's real one, a dev run's `TUTTI_DATA_DIR`, a test's temporary folder —
//! has its own key and a test can never read or overwrite a user's. Tests of
//! this module inject their own service name with [`SecretStore::new`].
//!
//! Every keyring call of the process is serialised, and what was read or
//! written is remembered for the life of the process ([`KEYRING`]): the
//! keyring crate opens a fresh D-Bus connection and Secret Service session
//! per call, and gnome-keyring-daemon 42 aborts (`GLib-ERROR` in
//! `gkd_secret_service_publish_dispatch`) when such short-lived clients race
//! — seen in CI when several accounts signed in at once. One call at a time
//! avoids the race, and remembering means the sync loop's token reads stay
//! off D-Bus. The secrets stay in this process's memory only, as they must
//! to be used at all.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{LazyLock, Mutex, MutexGuard};

use tutti_llm::Secret;

use crate::{Error, Result};

/// The keyring service of the desktop app (its bundle identifier).
pub const KEYRING_SERVICE: &str = "app.tutti.desktop";

/// Longest secret accepted (API keys are far shorter).
pub const MAX_SECRET_CHARS: usize = 4096;

/// What this process read from or wrote to the keyring, per (service,
/// account): a `None` value is a known-empty entry.
type Known = HashMap<(String, String), Option<Secret>>;

/// The lock is held across the keyring call, so calls never overlap.
static KEYRING: LazyLock<Mutex<Known>> = LazyLock::new(Mutex::default);

fn keyring_lock() -> MutexGuard<'static, Known> {
    // a panic inside a keyring call leaves the map as it was before the call
    KEYRING.lock().unwrap_or_else(|p| p.into_inner())
}

/// One entry in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretStore {
    service: String,
    account: String,
}

impl SecretStore {
    /// The entry `account` of `service`.
    pub fn new(service: impl Into<String>, account: impl Into<String>) -> Self {
        Self {
            service: service.into(),
            account: account.into(),
        }
    }

    /// Where the LLM API key of the data directory `data_dir` is kept.
    pub fn llm_api_key(data_dir: &Path) -> Self {
        Self::new(
            KEYRING_SERVICE,
            format!("llm-api-key:{}", data_dir.display()),
        )
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn account(&self) -> &str {
        &self.account
    }

    fn key(&self) -> (String, String) {
        (self.service.clone(), self.account.clone())
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &self.account).map_err(keyring_error)
    }

    /// Stores `secret`, replacing any earlier one. Blank text is refused, as is
    /// text an HTTP header cannot carry; the error never repeats the secret.
    pub fn set(&self, secret: &str) -> Result<()> {
        let secret = secret.trim();
        if secret.is_empty() {
            return Err(Error::invalid("key", "must not be empty"));
        }
        if secret.chars().count() > MAX_SECRET_CHARS {
            return Err(Error::invalid(
                "key",
                format!("must be at most {MAX_SECRET_CHARS} characters"),
            ));
        }
        if secret.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Error::invalid(
                "key",
                "may contain only printable ASCII characters",
            ));
        }
        let mut known = keyring_lock();
        self.entry()?.set_password(secret).map_err(keyring_error)?;
        known.insert(self.key(), Some(Secret::new(secret)));
        tracing::info!(service = %self.service, "stored a secret in the OS keyring");
        Ok(())
    }

    /// The stored secret, or `None` when there is none.
    pub fn get(&self) -> Result<Option<Secret>> {
        let mut known = keyring_lock();
        if let Some(secret) = known.get(&self.key()) {
            return Ok(secret.clone());
        }
        let secret = match self.entry()?.get_password() {
            Ok(secret) => Some(Secret::new(secret)),
            Err(keyring::Error::NoEntry) => None,
            Err(e) => return Err(keyring_error(e)),
        };
        known.insert(self.key(), secret.clone());
        Ok(secret)
    }

    /// Whether a secret is stored.
    pub fn is_present(&self) -> Result<bool> {
        Ok(self.get()?.is_some())
    }

    /// Deletes the secret; `false` when there was none.
    pub fn delete(&self) -> Result<bool> {
        let mut known = keyring_lock();
        let deleted = match self.entry()?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(e) => return Err(keyring_error(e)),
        };
        known.insert(self.key(), None);
        if deleted {
            tracing::info!(service = %self.service, "deleted a secret from the OS keyring");
        }
        Ok(deleted)
    }
}

/// Keyring errors carry no secret material (the crate reports only what kind
/// of failure happened), so their text is safe to show.
fn keyring_error(e: keyring::Error) -> Error {
    let reason = match &e {
        keyring::Error::NoStorageAccess(_) => {
            format!("no secret store is available or it is locked ({e})")
        }
        _ => e.to_string(),
    };
    Error::Keyring(reason)
}

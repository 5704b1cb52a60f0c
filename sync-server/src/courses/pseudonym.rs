//! Pseudonyms for course events: `hex(HMAC-SHA256(key, user id))`.
//!
//! The key is `--pseudonym-secret` when given (kept outside the database),
//! else 32 random bytes the server generates on first use and keeps in its
//! store (`server_secrets`, name `pseudonym`), so restarts and every instance
//! sharing a PostgreSQL store derive the same pseudonym for a learner. The
//! events table alone cannot be joined to accounts; someone holding both the
//! whole database and a list of user ids can recompute the pseudonyms, which
//! the external key prevents.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Config;
use crate::storage::Storage;
use crate::{Error, accounts};

/// The name of the generated key in `server_secrets`.
pub const SECRET_NAME: &str = "pseudonym";
/// The shortest `--pseudonym-secret` accepted.
pub const MIN_SECRET_CHARS: usize = 32;
const GENERATED_KEY_BYTES: usize = 32;

/// The HMAC key; `Debug` never shows it.
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PseudonymKey([redacted])")
    }
}

impl PseudonymKey {
    /// The key the config names, else the store's (generated on first use).
    pub async fn load(config: &Config, storage: &dyn Storage) -> Result<Self, Error> {
        if let Some(secret) = &config.pseudonym_secret {
            let text = secret.expose();
            if text.chars().count() < MIN_SECRET_CHARS {
                return Err(Error::PseudonymSecretTooShort {
                    min: MIN_SECRET_CHARS,
                });
            }
            return Ok(PseudonymKey(text.as_bytes().to_vec()));
        }
        let mut fresh = [0u8; GENERATED_KEY_BYTES];
        getrandom::fill(&mut fresh).map_err(|e| Error::Random(e.to_string()))?;
        let stored = storage
            .server_secret(SECRET_NAME, &fresh, accounts::now())
            .await?;
        Ok(PseudonymKey(stored))
    }

    /// The learner's pseudonym: 64 lower-case hex digits.
    pub fn pseudonym(&self, user_id: &str) -> String {
        hex(&hmac_sha256(&self.0, user_id.as_bytes()))
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| {
        unreachable!("HMAC-SHA256 takes a key of any length");
    });
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn pseudonyms_are_stable_per_key_and_hide_the_user_id() {
        let key = PseudonymKey(b"k".repeat(32));
        let other = PseudonymKey(b"j".repeat(32));
        let p = key.pseudonym("user-1");
        assert_eq!(
            p,
            key.pseudonym("user-1"),
            "same key, same user: same pseudonym"
        );
        assert_ne!(p, key.pseudonym("user-2"));
        assert_ne!(
            p,
            other.pseudonym("user-1"),
            "another key gives another pseudonym"
        );
        assert_eq!(p.len(), 64);
        assert!(!p.contains("user"));
        assert!(
            !format!("{key:?}").contains("kkkk"),
            "Debug redacts the key"
        );
    }
}

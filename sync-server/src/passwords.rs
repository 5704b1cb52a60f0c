//! Password hashing with argon2id. New hashes use the configured cost (OWASP's
//! 19 MiB / 2 iterations / 1 lane by default); verification reads the cost
//! from the stored PHC string, so old hashes keep working after a change.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::Error;

/// Hashes and verifies passwords. Both are CPU-heavy: call them off the
/// async runtime (`spawn_blocking`).
#[derive(Clone)]
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    /// A hash of a random password, verified against when the email is
    /// unknown so that a login takes as long either way.
    dummy_hash: String,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHasher")
            .field("params", self.argon2.params())
            .finish_non_exhaustive()
    }
}

impl PasswordHasher {
    pub fn new(memory_kib: u32, iterations: u32) -> Result<Self, Error> {
        let params = Params::new(memory_kib, iterations, 1, None)
            .map_err(|e| Error::PasswordHash(format!("invalid argon2 parameters: {e}")))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let mut hasher = PasswordHasher {
            argon2,
            dummy_hash: String::new(),
        };
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|e| Error::Random(e.to_string()))?;
        hasher.dummy_hash = hasher.hash(&crate::tokens::encode(&random))?;
        Ok(hasher)
    }

    /// A PHC string `$argon2id$v=19$m=…,t=…,p=1$salt$hash` with a fresh salt.
    pub fn hash(&self, password: &str) -> Result<String, Error> {
        self.argon2
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::PasswordHash(e.to_string()))
    }

    /// Whether `password` matches `stored` (`None`: no such account, which
    /// costs the same time and is always false).
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let hash = stored.unwrap_or(&self.dummy_hash);
        let ok = self
            .argon2
            .verify_password(password.as_bytes(), hash)
            .is_ok();
        ok && stored.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let h = PasswordHasher::new(64, 1).unwrap();
        let a = h.hash("correct horse").unwrap();
        let b = h.hash("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(h.verify("correct horse", Some(&a)));
        assert!(!h.verify("wrong horse", Some(&a)));
    }

    #[test]
    fn an_unknown_account_never_verifies() {
        let h = PasswordHasher::new(64, 1).unwrap();
        assert!(!h.verify("anything", None));
    }

    #[test]
    fn a_hash_made_with_other_costs_still_verifies() {
        let old = PasswordHasher::new(128, 2).unwrap();
        let stored = old.hash("pw-123456").unwrap();
        let new = PasswordHasher::new(64, 1).unwrap();
        assert!(new.verify("pw-123456", Some(&stored)));
    }

    #[test]
    fn too_little_memory_is_a_config_error() {
        assert!(matches!(
            PasswordHasher::new(1, 1),
            Err(Error::PasswordHash(_))
        ));
    }
}

use std::net::SocketAddr;
use std::path::PathBuf;

/// OWASP's argon2id recommendation: 19 MiB, 2 iterations, 1 lane.
pub const DEFAULT_HASH_MEMORY_KIB: u32 = 19 * 1024;
pub const DEFAULT_HASH_ITERATIONS: u32 = 2;
pub const DEFAULT_ACCESS_TOKEN_TTL_SECS: u64 = 15 * 60;
pub const DEFAULT_REFRESH_TOKEN_TTL_SECS: u64 = 30 * 24 * 60 * 60;
pub const DEFAULT_LOGIN_MAX_FAILURES: u32 = 5;
pub const DEFAULT_LOGIN_FAILURE_WINDOW_SECS: u64 = 15 * 60;
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
pub const DEFAULT_MAX_LOADED_DOCUMENTS: usize = 10_000;
pub const DEFAULT_COURSE_TRAIN_INTERVAL_SECS: u64 = 300;
pub const DEFAULT_COURSE_EVENT_RETENTION_DAYS: u64 = 365;
pub const DEFAULT_SESSION_CHECK_INTERVAL_SECS: u64 = 30;
pub const DEFAULT_ASSISTANT_NAME: &str = "Tutti AI";

/// Server configuration. Every flag can also be set by its environment
/// variable, so the same binary runs from a shell, a service unit or a test.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "tutti-sync-server",
    version,
    about = "Tutti's sync and accounts server"
)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port; the chosen address is logged).
    #[arg(long, env = "TUTTI_SYNC_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Directory for the server's SQLite database and files.
    #[arg(long, env = "TUTTI_SYNC_DATA_DIR", default_value = "./tutti-sync-data")]
    pub data_dir: PathBuf,
    /// PostgreSQL URL (postgres://user:pass@host/db) for a shared store that
    /// several instances use; without it the server uses SQLite under --data-dir.
    #[arg(long, env = "TUTTI_SYNC_DATABASE_URL")]
    pub database_url: Option<Secret>,
    /// argon2id memory cost in KiB for new password hashes.
    #[arg(long, env = "TUTTI_SYNC_PASSWORD_HASH_MEMORY_KIB", default_value_t = DEFAULT_HASH_MEMORY_KIB)]
    pub password_hash_memory_kib: u32,
    /// argon2id iterations for new password hashes.
    #[arg(long, env = "TUTTI_SYNC_PASSWORD_HASH_ITERATIONS", default_value_t = DEFAULT_HASH_ITERATIONS)]
    pub password_hash_iterations: u32,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "TUTTI_SYNC_ACCESS_TOKEN_TTL_SECS", default_value_t = DEFAULT_ACCESS_TOKEN_TTL_SECS)]
    pub access_token_ttl_secs: u64,
    /// Lifetime of a refresh token, in seconds.
    #[arg(long, env = "TUTTI_SYNC_REFRESH_TOKEN_TTL_SECS", default_value_t = DEFAULT_REFRESH_TOKEN_TTL_SECS)]
    pub refresh_token_ttl_secs: u64,
    /// Failed logins per email and client address before logins are refused (429).
    #[arg(long, env = "TUTTI_SYNC_LOGIN_MAX_FAILURES", default_value_t = DEFAULT_LOGIN_MAX_FAILURES)]
    pub login_max_failures: u32,
    /// The sliding window, in seconds, over which failed logins are counted.
    #[arg(long, env = "TUTTI_SYNC_LOGIN_FAILURE_WINDOW_SECS", default_value_t = DEFAULT_LOGIN_FAILURE_WINDOW_SECS)]
    pub login_failure_window_secs: u64,
    /// Largest accepted request body, in bytes (larger gets 413).
    #[arg(long, env = "TUTTI_SYNC_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// Automerge documents kept in memory; idle ones beyond this are evicted
    /// (and reloaded from storage when next needed).
    #[arg(long, env = "TUTTI_SYNC_MAX_LOADED_DOCUMENTS", default_value_t = DEFAULT_MAX_LOADED_DOCUMENTS)]
    pub max_loaded_documents: usize,
    /// How often, in seconds, an open sync WebSocket re-checks that its
    /// session is still signed in (a logout or revocation ends the
    /// connection within this time; an expired access token ends it at once).
    #[arg(long, env = "TUTTI_SYNC_SESSION_CHECK_INTERVAL_SECS",
        default_value_t = DEFAULT_SESSION_CHECK_INTERVAL_SECS,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub session_check_interval_secs: u64,
    /// How often, in seconds, the course recommender checks for new course
    /// events and retrains when there are any (it also trains once at start).
    #[arg(long, env = "TUTTI_SYNC_COURSE_TRAIN_INTERVAL_SECS",
        default_value_t = DEFAULT_COURSE_TRAIN_INTERVAL_SECS,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub course_train_interval_secs: u64,
    /// How long, in days, shared course events are kept: the training task
    /// deletes events the server received longer ago than this before each
    /// pass.
    #[arg(long, env = "TUTTI_SYNC_COURSE_EVENT_RETENTION_DAYS",
        default_value_t = DEFAULT_COURSE_EVENT_RETENTION_DAYS,
        value_parser = clap::value_parser!(u64).range(1..))]
    pub course_event_retention_days: u64,
    /// Key (at least 32 characters) of the HMAC that turns user ids into the
    /// pseudonyms course events are stored under. Without it the server
    /// generates a random 32-byte key once and keeps it in its store; give
    /// one to keep the key outside the database (changing it later splits
    /// every learner's history in two).
    #[arg(long, env = "TUTTI_SYNC_PSEUDONYM_SECRET")]
    pub pseudonym_secret: Option<Secret>,
    /// Base URL of an OpenAI-compatible chat-completions provider (e.g.
    /// `http://127.0.0.1:8080/v1`) for the community assistant, which writes
    /// AI answers when an asker asks for one. Needs --assistant-model; without
    /// both, the server has no assistant.
    #[arg(long, env = "TUTTI_SYNC_ASSISTANT_URL")]
    pub assistant_url: Option<String>,
    /// The model the community assistant asks the provider for.
    #[arg(long, env = "TUTTI_SYNC_ASSISTANT_MODEL")]
    pub assistant_model: Option<String>,
    /// API key of the assistant's provider (local servers need none). Set it
    /// through the environment variable, so it stays out of process listings.
    #[arg(
        long,
        env = "TUTTI_SYNC_ASSISTANT_API_KEY",
        hide = true,
        hide_env_values = true
    )]
    pub assistant_api_key: Option<Secret>,
    /// Display name of the assistant's account, shown on its answers.
    #[arg(long, env = "TUTTI_SYNC_ASSISTANT_NAME", default_value = DEFAULT_ASSISTANT_NAME)]
    pub assistant_name: String,
}

impl Config {
    /// The defaults of every flag, with the given address and data directory
    /// (SQLite storage).
    pub fn new(listen: SocketAddr, data_dir: PathBuf) -> Self {
        Config {
            listen,
            data_dir,
            database_url: None,
            password_hash_memory_kib: DEFAULT_HASH_MEMORY_KIB,
            password_hash_iterations: DEFAULT_HASH_ITERATIONS,
            access_token_ttl_secs: DEFAULT_ACCESS_TOKEN_TTL_SECS,
            refresh_token_ttl_secs: DEFAULT_REFRESH_TOKEN_TTL_SECS,
            login_max_failures: DEFAULT_LOGIN_MAX_FAILURES,
            login_failure_window_secs: DEFAULT_LOGIN_FAILURE_WINDOW_SECS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_loaded_documents: DEFAULT_MAX_LOADED_DOCUMENTS,
            session_check_interval_secs: DEFAULT_SESSION_CHECK_INTERVAL_SECS,
            course_train_interval_secs: DEFAULT_COURSE_TRAIN_INTERVAL_SECS,
            course_event_retention_days: DEFAULT_COURSE_EVENT_RETENTION_DAYS,
            pseudonym_secret: None,
            assistant_url: None,
            assistant_model: None,
            assistant_api_key: None,
            assistant_name: DEFAULT_ASSISTANT_NAME.to_owned(),
        }
    }
}

/// A secret setting (a database URL with a password, an API key): `Debug`
/// never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_database_url() {
        let mut config = Config::new("127.0.0.1:0".parse().unwrap(), PathBuf::from("/tmp/x"));
        config.database_url = Some(Secret::new("postgres://tutti:hunter2@db/tutti"));
        config.pseudonym_secret = Some(Secret::new("correct-horse-battery-staple-0123"));
        config.assistant_api_key = Some(Secret::new("sk-assistant-secret"));
        let text = format!("{config:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!text.contains("correct-horse"), "{text}");
        assert!(!text.contains("sk-assistant"), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }

    #[test]
    fn new_matches_the_flag_defaults() {
        use clap::Parser;
        let parsed = Config::try_parse_from(["tutti-sync-server", "--data-dir", "/tmp/x"]).unwrap();
        let built = Config::new(parsed.listen, PathBuf::from("/tmp/x"));
        assert_eq!(format!("{parsed:?}"), format!("{built:?}"));
    }
}

//! `tutti-sync-server`: the server side of Tutti. It owns accounts and
//! sessions, the survey-based mentor directory, mentor–mentee matches, and the
//! durable store (documents, changes, peer sync states) that Automerge sync
//! (the sans-IO `tutti-sync` crate) runs on.
//!
//! [`serve`] runs the whole server on a listener the caller bound, so `main`
//! and the tests start exactly the same code (tests bind `127.0.0.1:0`).
//! Layout: [`storage`] is the durable state behind one trait (SQLite or
//! PostgreSQL); `api` holds the HTTP plumbing (JSON errors, extractors, bearer
//! auth, the OpenAPI document); `accounts`, `sessions`, `survey`, `matches`,
//! `community` (the Q&A thread index, votes, helpful marks, and the asker's
//! request for an AI answer) and [`courses`] (the catalogue, pseudonymous
//! course events, the recommender's per-hobby models and their background
//! training) are the route modules; `matching` is the pure recommendation
//! scoring; [`assistant`] is the optional community assistant (an
//! OpenAI-compatible provider through `tutti-llm`, and the account its
//! answers are written as); [`sync`] is the WebSocket route `/sync`
//! (Automerge repo protocol), which also checks community posts and keeps
//! their index ([`sync::community`], which also writes the assistant's
//! answers through the same checks).
//! To add a route: a handler with a `#[utoipa::path]` in its domain module,
//! its `route` in that module's `router()`, and its path in `api::openapi`.

mod accounts;
mod api;
pub mod assistant;
mod community;
mod config;
pub mod courses;
mod health;
mod matches;
pub mod matching;
mod passwords;
mod sessions;
pub mod storage;
mod survey;
pub mod sync;
mod tokens;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

pub use api::openapi::openapi_json;
pub use assistant::ASSISTANT_USER_ID;
pub use config::{Config, Secret};
pub use storage::Storage;

/// Everything that can go wrong in the server: start-up, storage, and the
/// domain conflicts that storage reports (mapped to HTTP errors in `api`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("server I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("the database URL must start with postgres:// or postgresql://")]
    UnsupportedDatabaseUrl,
    #[error("SQLite error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("SQLite migration failed: {0}")]
    SqliteMigration(#[from] rusqlite_migration::Error),
    #[error("PostgreSQL error: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("PostgreSQL connection pool: {0}")]
    PostgresPool(String),
    #[error("a storage task failed: {0}")]
    StorageTask(String),
    #[error("a stored row is invalid: {0}")]
    CorruptRow(String),
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    #[error("the operating system's random generator failed: {0}")]
    Random(String),
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("this mentor and mentee already have a pending or accepted match")]
    MatchExists,
    #[error("the mentor has no free capacity")]
    MentorAtCapacity,
    #[error("the match is {status}, not pending")]
    MatchNotPending { status: &'static str },
    #[error("only the match's mentor may accept or decline it")]
    NotMatchMentor,
    #[error("no such {what}")]
    NotFound { what: &'static str },
    #[error("a document with this id already exists")]
    DocumentExists,
    #[error("snapshot up to change {up_to} is ahead of the document's last change {last}")]
    SnapshotAhead { up_to: i64, last: i64 },
    /// An interval setting that must be at least a second was 0; `flag`
    /// names it.
    #[error("{flag} must be at least 1 (second), not 0")]
    ZeroInterval { flag: &'static str },
    #[error("{flag} must be at least 1 (day), not 0")]
    ZeroRetention { flag: &'static str },
    #[error("--pseudonym-secret must be at least {min} characters")]
    PseudonymSecretTooShort { min: usize },
    #[error("course recommender: {0}")]
    Recommend(#[from] tutti_recommend::RecommendError),
    /// A community assistant setting is missing or unusable; `setting` names
    /// the flag (or environment variable) to fix.
    #[error("community assistant: {setting} {reason}")]
    AssistantSetting {
        setting: &'static str,
        reason: String,
    },
    /// The community assistant's provider failed or replied with nothing
    /// usable (the message never contains the API key).
    #[error("{0}")]
    AssistantFailed(String),
}

/// Shared state of a running server.
#[derive(Debug, Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub storage: Arc<dyn Storage>,
    pub passwords: Arc<passwords::PasswordHasher>,
    /// The documents and connections of Automerge sync on this instance.
    pub sync: Arc<sync::SyncHub>,
    /// The course recommender's current models and pseudonym key.
    pub recommender: Arc<courses::Recommender>,
    /// The community assistant, when the server is configured with one.
    pub assistant: Option<Arc<assistant::Assistant>>,
}

impl AppState {
    /// State over an opened storage. Fails on an unusable community
    /// assistant setting, a zero session check interval or a zero course
    /// event retention (naming the flag).
    pub fn new(config: Config, storage: Arc<dyn Storage>) -> Result<Self, Error> {
        if config.session_check_interval_secs == 0 {
            return Err(Error::ZeroInterval {
                flag: "--session-check-interval-secs",
            });
        }
        if config.course_event_retention_days == 0 {
            return Err(Error::ZeroRetention {
                flag: "--course-event-retention-days",
            });
        }
        let assistant = assistant::Assistant::from_config(&config)?.map(Arc::new);
        let passwords = passwords::PasswordHasher::new(
            config.password_hash_memory_kib,
            config.password_hash_iterations,
        )?;
        let hub = sync::SyncHub::new(
            sync::storage_id(&config)?,
            tutti_sync::SessionLimits::default(),
            config.max_loaded_documents,
        );
        Ok(AppState {
            config: Arc::new(config),
            storage,
            passwords: Arc::new(passwords),
            sync: Arc::new(hub),
            recommender: Arc::new(courses::Recommender::default()),
            assistant,
        })
    }
}

/// The HTTP application: every route of the server.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(sync::router())
        .nest("/api/v1", api::router(&state))
        .fallback(api::not_found)
        .with_state(state)
}

/// Opens the storage the config selects, then serves until `shutdown`
/// completes, finishing in-flight requests and closing sync connections
/// cleanly (see [`serve_state`] for the order).
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| Error::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let storage = storage::open(&config).await?;
    let state = AppState::new(config, storage)?;
    serve_state(state, listener, shutdown).await
}

/// How long a shutdown waits for sync connections to persist their peers'
/// sync states and close.
pub const SYNC_CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Serves an already built state (its storage open) until `shutdown`
/// completes: the HTTP routes, `/sync`, the relay of other instances'
/// changes, the eviction of idle documents and the course recommender's
/// training. Fails at once when the pseudonym key cannot be loaded or the
/// community assistant's account cannot be written.
///
/// Shutdown, in order: when `shutdown` completes the listener stops
/// accepting and, at the same moment, every sync WebSocket is told to close
/// ([`sync::SyncHub::close_all`]); in-flight HTTP requests finish; then
/// `serve_state` waits (at most [`SYNC_CLOSE_GRACE`]) until every sync
/// connection has persisted its peer's sync states and sent its close frame
/// (1001, going away); last, the background tasks (relay, eviction,
/// training) stop and it returns.
pub async fn serve_state(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    tracing::info!(
        addr = %listener.local_addr()?,
        storage = ?state.storage.backend(),
        "tutti-sync-server listening"
    );
    state.recommender.key(&state).await?;
    if let Some(assistant) = &state.assistant {
        assistant::ensure_account(state.storage.as_ref(), assistant.name()).await?;
    }
    let relay = tokio::spawn(sync::relay::run(state.sync.clone(), state.storage.clone()));
    let evictor = tokio::spawn(sync::relay::evict_periodically(state.sync.clone()));
    let trainer = tokio::spawn(courses::train_periodically(state.clone()));
    let hub = state.sync.clone();
    let closing_hub = hub.clone();
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        // upgraded WebSockets are no longer HTTP connections the graceful
        // shutdown waits for: they close on the hub's signal
        closing_hub.close_all();
    })
    .await;
    // a connection upgraded while the server drained sees the signal too
    hub.close_all();
    if !hub.all_closed(SYNC_CLOSE_GRACE).await {
        tracing::warn!(
            open = hub.open_connections(),
            "sync connections still open after the shutdown grace period"
        );
    }
    relay.abort();
    evictor.abort();
    trainer.abort();
    served?;
    Ok(())
}

//! The server's durable state behind one async trait, [`Storage`], with two
//! implementations: [`SqliteStorage`] (one embedded file under `--data-dir`, the
//! default) and [`PostgresStorage`] (a shared database for any number of
//! stateless instances, which tell each other about document changes through
//! LISTEN/NOTIFY).
//!
//! The community Q&A index is its own trait, [`CommunityIndex`] (in
//! [`community`]), and so are the pseudonymous course events and server
//! secrets, [`CourseEvents`] (in [`courses`]); every `Storage` implements both.
//!
//! To add a capability: a method on [`Storage`] taking and returning the plain
//! records below, a migration in `migrations/server/{sqlite,postgres}/`, and the
//! method in both backends; the shared storage tests in `tests/server/storage.rs`
//! run against both.

pub mod community;
pub mod courses;
mod postgres;
mod sqlite;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::Error;
use crate::config::Config;

pub use community::{
    AnswerEntry, AnswerRow, CommunityIndex, QuestionCursor, QuestionQuery, QuestionRow,
    QuestionSort, QuestionSummary,
};
pub use courses::{
    CourseEventKind, CourseEventTotals, CourseEvents, EventsWatermark, NewCourseEvent,
};
pub use postgres::PostgresStorage;
pub use sqlite::SqliteStorage;

/// A new account; `email_normalized` is the lower-cased email the uniqueness
/// check uses.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub email: String,
    pub email_normalized: String,
    pub password_hash: String,
    pub name: String,
    pub gender: String,
    pub birthdate: String,
    pub created_at: i64,
}

/// A stored account.
#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub name: String,
    pub gender: String,
    pub birthdate: String,
    pub created_at: i64,
}

/// Hashes (never the tokens) and expiry times of a freshly issued token pair.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_hash: String,
    pub access_expires_at: i64,
    pub refresh_hash: String,
    pub refresh_expires_at: i64,
}

/// A new login session with its first token pair.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub user_id: String,
    pub created_at: i64,
    pub tokens: IssuedTokens,
}

/// What an access token resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub session_id: String,
    pub user_id: String,
    pub access_expires_at: i64,
}

/// The result of presenting a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// The token was current: it is now used up and `tokens` replace it.
    Rotated { user_id: String, session_id: String },
    /// The token had already been rotated: someone replayed it, so the whole
    /// session (token family) has been revoked.
    Reused,
    /// Unknown, expired, or its session was revoked.
    Invalid,
}

/// Recent failed logins for one throttle key (email + client address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub count: u32,
    pub oldest: Option<i64>,
}

/// A user's survey as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRecord {
    pub user_id: String,
    pub role: String,
    pub hobby: String,
    pub gender: String,
    pub age_group: String,
    pub location: String,
    pub activity_level: String,
    pub level: i64,
    pub capacity: Option<i64>,
    pub preferred_mentee_gender: Option<String>,
    pub updated_at: i64,
}

/// A mentor in the directory: their survey, public name and current load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorEntry {
    pub survey: SurveyRecord,
    pub name: String,
    pub accepted_count: i64,
}

/// A mentor–mentee match's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    Pending,
    Accepted,
    Declined,
}

impl MatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchStatus::Pending => "pending",
            MatchStatus::Accepted => "accepted",
            MatchStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "pending" => Ok(MatchStatus::Pending),
            "accepted" => Ok(MatchStatus::Accepted),
            "declined" => Ok(MatchStatus::Declined),
            other => Err(Error::CorruptRow(format!("unknown match status {other:?}"))),
        }
    }
}

/// A new match request.
#[derive(Debug, Clone)]
pub struct NewMatch {
    pub id: String,
    pub mentor_id: String,
    pub mentee_id: String,
    pub hobby: String,
    pub created_at: i64,
}

/// A stored match with both parties' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRecord {
    pub id: String,
    pub mentor_id: String,
    pub mentor_name: String,
    pub mentee_id: String,
    pub mentee_name: String,
    pub hobby: String,
    pub status: MatchStatus,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An Automerge document's access rules: the owner writes, members read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub id: String,
    pub owner_id: String,
    pub kind: String,
    pub members: Vec<String>,
    pub created_at: i64,
}

/// One stored Automerge change of a document, in arrival order (`seq`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChange {
    pub seq: i64,
    pub change_hash: String,
    pub author_id: String,
    pub bytes: Vec<u8>,
    pub stored_at: i64,
}

/// A compacted document: all changes up to `up_to_seq` saved as one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub bytes: Vec<u8>,
    pub up_to_seq: i64,
    pub stored_at: i64,
}

/// "Document `doc_id` changed", sent by the instance `origin` (a random id per
/// storage instance) to every instance sharing the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocChanged {
    pub doc_id: String,
    pub origin: String,
}

/// Which backend a storage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Everything the server keeps durably. Each method is one transaction. The
/// community thread index is the supertrait [`CommunityIndex`], course events
/// and server secrets the supertrait [`CourseEvents`].
#[async_trait]
pub trait Storage: CommunityIndex + CourseEvents + Send + Sync + std::fmt::Debug {
    fn backend(&self) -> Backend;

    // --- accounts ---
    /// Fails with [`Error::EmailTaken`] when `email_normalized` exists.
    async fn create_user(&self, user: &NewUser) -> Result<(), Error>;
    /// Creates an account the server itself runs (the community assistant),
    /// or rewrites the email, name and password hash of the one with its id.
    /// Fails with [`Error::EmailTaken`] when another account has the email.
    async fn put_service_user(&self, user: &NewUser) -> Result<(), Error>;
    async fn user_by_email(&self, email_normalized: &str) -> Result<Option<UserRecord>, Error>;
    async fn user_by_id(&self, user_id: &str) -> Result<Option<UserRecord>, Error>;

    // --- sessions and tokens ---
    async fn create_session(&self, session: &NewSession) -> Result<(), Error>;
    /// Resolves a live access token (not expired at `now`, session not revoked).
    async fn session_by_access_token(
        &self,
        access_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, Error>;
    /// Uses up the refresh token `refresh_hash` and stores `replacement` for
    /// its session; a replayed token revokes the session.
    async fn rotate_refresh_token(
        &self,
        refresh_hash: &str,
        replacement: &IssuedTokens,
        now: i64,
    ) -> Result<RefreshOutcome, Error>;
    /// Revokes a session and deletes its tokens.
    async fn revoke_session(&self, session_id: &str, now: i64) -> Result<(), Error>;

    // --- login throttling ---
    async fn login_failures(&self, key: &str, since: i64) -> Result<LoginFailures, Error>;
    /// Records a failure and forgets failures (of any key) older than `forget_before`.
    async fn record_login_failure(
        &self,
        key: &str,
        at: i64,
        forget_before: i64,
    ) -> Result<(), Error>;
    async fn clear_login_failures(&self, key: &str) -> Result<(), Error>;

    // --- survey and mentor directory ---
    async fn put_survey(&self, survey: &SurveyRecord) -> Result<(), Error>;
    async fn survey(&self, user_id: &str) -> Result<Option<SurveyRecord>, Error>;
    /// Mentors, optionally of one hobby, ordered by name then id.
    async fn mentors(&self, hobby: Option<&str>) -> Result<Vec<MentorEntry>, Error>;

    // --- matches ---
    /// Fails with [`Error::MatchExists`] when the pair has a pending or
    /// accepted match, [`Error::MentorAtCapacity`] when the mentor is full.
    async fn create_match(&self, new: &NewMatch) -> Result<MatchRecord, Error>;
    async fn match_by_id(&self, match_id: &str) -> Result<Option<MatchRecord>, Error>;
    /// The mentor `mentor_id` accepts or declines a pending match. Fails with
    /// [`Error::NotFound`], [`Error::NotMatchMentor`], [`Error::MatchNotPending`]
    /// or (accepting) [`Error::MentorAtCapacity`].
    async fn decide_match(
        &self,
        match_id: &str,
        mentor_id: &str,
        decision: MatchStatus,
        now: i64,
    ) -> Result<MatchRecord, Error>;
    /// Matches where the user is mentor or mentee, newest first.
    async fn matches_for_user(&self, user_id: &str) -> Result<Vec<MatchRecord>, Error>;

    // --- documents (for sync) ---
    /// Fails with [`Error::DocumentExists`] when the id is taken.
    async fn create_document(&self, doc: &DocumentRecord) -> Result<(), Error>;
    async fn document(&self, doc_id: &str) -> Result<Option<DocumentRecord>, Error>;
    /// Replaces the reader list of a document.
    async fn set_document_members(&self, doc_id: &str, members: &[String]) -> Result<(), Error>;
    /// Ids of the documents a user owns or is a member of.
    async fn documents_visible_to(&self, user_id: &str) -> Result<Vec<String>, Error>;
    /// Stores a change durably; `None` when a change with that hash is already
    /// stored (idempotent), else its sequence number.
    async fn append_change(
        &self,
        doc_id: &str,
        change_hash: &str,
        author_id: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<Option<i64>, Error>;
    /// Changes with `seq > after_seq`, in order.
    async fn changes_since(&self, doc_id: &str, after_seq: i64)
    -> Result<Vec<StoredChange>, Error>;
    /// Replaces changes up to `up_to_seq` with one snapshot.
    async fn compact_document(
        &self,
        doc_id: &str,
        snapshot: &[u8],
        up_to_seq: i64,
        now: i64,
    ) -> Result<(), Error>;
    async fn snapshot(&self, doc_id: &str) -> Result<Option<Snapshot>, Error>;
    async fn save_peer_state(
        &self,
        user_id: &str,
        peer_id: &str,
        doc_id: &str,
        state: &[u8],
        now: i64,
    ) -> Result<(), Error>;
    async fn peer_state(
        &self,
        user_id: &str,
        peer_id: &str,
        doc_id: &str,
    ) -> Result<Option<Vec<u8>>, Error>;

    // --- change notifications between instances ---
    /// Tells every instance sharing this store (this one included) that
    /// `doc_id` changed.
    async fn notify_change(&self, doc_id: &str) -> Result<(), Error>;
    /// Notifications from [`Storage::notify_change`] of any instance. A slow
    /// receiver may lag (and skip); notifications only hint, the store is the truth.
    fn subscribe_changes(&self) -> broadcast::Receiver<DocChanged>;
    /// This instance's id, the `origin` of the notifications it sends.
    fn instance_id(&self) -> &str;
}

/// Opens the store the config selects: PostgreSQL for a `postgres://` or
/// `postgresql://` database URL, else SQLite at `<data-dir>/tutti-sync.sqlite3`.
pub async fn open(config: &Config) -> Result<std::sync::Arc<dyn Storage>, Error> {
    match &config.database_url {
        Some(url) => {
            let url = url.expose();
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                Ok(std::sync::Arc::new(PostgresStorage::connect(url).await?))
            } else {
                Err(Error::UnsupportedDatabaseUrl)
            }
        }
        None => {
            let path = config.data_dir.join(SQLITE_FILE_NAME);
            Ok(std::sync::Arc::new(SqliteStorage::open(&path).await?))
        }
    }
}

/// The SQLite database's file name inside `--data-dir`.
pub const SQLITE_FILE_NAME: &str = "tutti-sync.sqlite3";

const CHANGE_CHANNEL_CAPACITY: usize = 1024;

fn new_instance_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

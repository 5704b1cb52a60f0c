//! [`SqliteStorage`]: the embedded default. One connection in WAL mode behind a
//! mutex; every call runs on tokio's blocking pool, and every multi-step write
//! is one transaction. Change notifications stay in this process.

mod accounts;
mod community;
mod courses;
mod directory;
mod documents;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use tokio::sync::broadcast;

use super::{
    Backend, CHANGE_CHANNEL_CAPACITY, DocChanged, DocumentRecord, IssuedTokens, LoginFailures,
    MatchRecord, MatchStatus, MentorEntry, NewMatch, NewSession, NewUser, RefreshOutcome,
    SessionRecord, Snapshot, Storage, StoredChange, SurveyRecord, UserRecord, new_instance_id,
};
use crate::Error;

/// The SQLite migrations, in order (append only).
const MIGRATIONS: &[&str] = &[
    include_str!("../../../../migrations/server/sqlite/0001_init.sql"),
    include_str!("../../../../migrations/server/sqlite/0002_community.sql"),
    include_str!("../../../../migrations/server/sqlite/0003_courses.sql"),
    include_str!("../../../../migrations/server/sqlite/0004_course_event_deletion.sql"),
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// The embedded SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteStorage {
    conn: Arc<Mutex<Connection>>,
    changes: broadcast::Sender<DocChanged>,
    instance_id: String,
}

impl SqliteStorage {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self, Error> {
        let path = path.to_owned();
        let conn = tokio::task::spawn_blocking(move || -> Result<Connection, Error> {
            let mut conn = Connection::open(&path)?;
            prepare(&mut conn)?;
            Ok(conn)
        })
        .await
        .map_err(|e| Error::StorageTask(e.to_string()))??;
        Ok(Self::from_connection(conn))
    }

    /// A private in-memory database (for tests of the storage itself).
    pub fn open_in_memory() -> Result<Self, Error> {
        let mut conn = Connection::open_in_memory()?;
        prepare(&mut conn)?;
        Ok(Self::from_connection(conn))
    }

    fn from_connection(conn: Connection) -> Self {
        let (changes, _) = broadcast::channel(CHANGE_CHANNEL_CAPACITY);
        SqliteStorage {
            conn: Arc::new(Mutex::new(conn)),
            changes,
            instance_id: new_instance_id(),
        }
    }

    /// Runs `f` with the connection on the blocking pool.
    async fn call<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, Error> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a transaction open
            // (rusqlite rolls back on drop), so a poisoned lock is still usable.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| Error::StorageTask(e.to_string()))?
    }
}

fn prepare(conn: &mut Connection) -> Result<(), Error> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    migrations().to_latest(conn)?;
    Ok(())
}

fn owned(s: &str) -> String {
    s.to_owned()
}

#[async_trait]
impl Storage for SqliteStorage {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn create_user(&self, user: &NewUser) -> Result<(), Error> {
        let user = user.clone();
        self.call(move |c| accounts::create_user(c, &user)).await
    }

    async fn put_service_user(&self, user: &NewUser) -> Result<(), Error> {
        let user = user.clone();
        self.call(move |c| accounts::put_service_user(c, &user))
            .await
    }

    async fn user_by_email(&self, email_normalized: &str) -> Result<Option<UserRecord>, Error> {
        let email = owned(email_normalized);
        self.call(move |c| accounts::user_by(c, "email_normalized", &email))
            .await
    }

    async fn user_by_id(&self, user_id: &str) -> Result<Option<UserRecord>, Error> {
        let id = owned(user_id);
        self.call(move |c| accounts::user_by(c, "id", &id)).await
    }

    async fn create_session(&self, session: &NewSession) -> Result<(), Error> {
        let session = session.clone();
        self.call(move |c| accounts::create_session(c, &session))
            .await
    }

    async fn session_by_access_token(
        &self,
        access_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, Error> {
        let hash = owned(access_hash);
        self.call(move |c| accounts::session_by_access_token(c, &hash, now))
            .await
    }

    async fn rotate_refresh_token(
        &self,
        refresh_hash: &str,
        replacement: &IssuedTokens,
        now: i64,
    ) -> Result<RefreshOutcome, Error> {
        let hash = owned(refresh_hash);
        let replacement = replacement.clone();
        self.call(move |c| accounts::rotate_refresh_token(c, &hash, &replacement, now))
            .await
    }

    async fn revoke_session(&self, session_id: &str, now: i64) -> Result<(), Error> {
        let id = owned(session_id);
        self.call(move |c| accounts::revoke_session(c, &id, now))
            .await
    }

    async fn login_failures(&self, key: &str, since: i64) -> Result<LoginFailures, Error> {
        let key = owned(key);
        self.call(move |c| accounts::login_failures(c, &key, since))
            .await
    }

    async fn record_login_failure(
        &self,
        key: &str,
        at: i64,
        forget_before: i64,
    ) -> Result<(), Error> {
        let key = owned(key);
        self.call(move |c| accounts::record_login_failure(c, &key, at, forget_before))
            .await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), Error> {
        let key = owned(key);
        self.call(move |c| {
            c.execute("DELETE FROM login_failures WHERE throttle_key = ?1", [&key])?;
            Ok(())
        })
        .await
    }

    async fn put_survey(&self, survey: &SurveyRecord) -> Result<(), Error> {
        let survey = survey.clone();
        self.call(move |c| directory::put_survey(c, &survey)).await
    }

    async fn survey(&self, user_id: &str) -> Result<Option<SurveyRecord>, Error> {
        let id = owned(user_id);
        self.call(move |c| directory::survey(c, &id)).await
    }

    async fn mentors(&self, hobby: Option<&str>) -> Result<Vec<MentorEntry>, Error> {
        let hobby = hobby.map(owned);
        self.call(move |c| directory::mentors(c, hobby.as_deref()))
            .await
    }

    async fn create_match(&self, new: &NewMatch) -> Result<MatchRecord, Error> {
        let new = new.clone();
        self.call(move |c| directory::create_match(c, &new)).await
    }

    async fn match_by_id(&self, match_id: &str) -> Result<Option<MatchRecord>, Error> {
        let id = owned(match_id);
        self.call(move |c| directory::match_by_id(c, &id)).await
    }

    async fn decide_match(
        &self,
        match_id: &str,
        mentor_id: &str,
        decision: MatchStatus,
        now: i64,
    ) -> Result<MatchRecord, Error> {
        let (id, mentor) = (owned(match_id), owned(mentor_id));
        self.call(move |c| directory::decide_match(c, &id, &mentor, decision, now))
            .await
    }

    async fn matches_for_user(&self, user_id: &str) -> Result<Vec<MatchRecord>, Error> {
        let id = owned(user_id);
        self.call(move |c| directory::matches_for_user(c, &id))
            .await
    }

    async fn create_document(&self, doc: &DocumentRecord) -> Result<(), Error> {
        let doc = doc.clone();
        self.call(move |c| documents::create_document(c, &doc))
            .await
    }

    async fn document(&self, doc_id: &str) -> Result<Option<DocumentRecord>, Error> {
        let id = owned(doc_id);
        self.call(move |c| documents::document(c, &id)).await
    }

    async fn set_document_members(&self, doc_id: &str, members: &[String]) -> Result<(), Error> {
        let (id, members) = (owned(doc_id), members.to_vec());
        self.call(move |c| documents::set_members(c, &id, &members))
            .await
    }

    async fn documents_visible_to(&self, user_id: &str) -> Result<Vec<String>, Error> {
        let id = owned(user_id);
        self.call(move |c| documents::visible_to(c, &id)).await
    }

    async fn append_change(
        &self,
        doc_id: &str,
        change_hash: &str,
        author_id: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<Option<i64>, Error> {
        let (id, hash, author, bytes) = (
            owned(doc_id),
            owned(change_hash),
            owned(author_id),
            bytes.to_vec(),
        );
        self.call(move |c| documents::append_change(c, &id, &hash, &author, &bytes, now))
            .await
    }

    async fn changes_since(
        &self,
        doc_id: &str,
        after_seq: i64,
    ) -> Result<Vec<StoredChange>, Error> {
        let id = owned(doc_id);
        self.call(move |c| documents::changes_since(c, &id, after_seq))
            .await
    }

    async fn compact_document(
        &self,
        doc_id: &str,
        snapshot: &[u8],
        up_to_seq: i64,
        now: i64,
    ) -> Result<(), Error> {
        let (id, bytes) = (owned(doc_id), snapshot.to_vec());
        self.call(move |c| documents::compact(c, &id, &bytes, up_to_seq, now))
            .await
    }

    async fn snapshot(&self, doc_id: &str) -> Result<Option<Snapshot>, Error> {
        let id = owned(doc_id);
        self.call(move |c| documents::snapshot(c, &id)).await
    }

    async fn save_peer_state(
        &self,
        user_id: &str,
        peer_id: &str,
        doc_id: &str,
        state: &[u8],
        now: i64,
    ) -> Result<(), Error> {
        let (user, peer, doc, state) = (
            owned(user_id),
            owned(peer_id),
            owned(doc_id),
            state.to_vec(),
        );
        self.call(move |c| documents::save_peer_state(c, &user, &peer, &doc, &state, now))
            .await
    }

    async fn peer_state(
        &self,
        user_id: &str,
        peer_id: &str,
        doc_id: &str,
    ) -> Result<Option<Vec<u8>>, Error> {
        let (user, peer, doc) = (owned(user_id), owned(peer_id), owned(doc_id));
        self.call(move |c| documents::peer_state(c, &user, &peer, &doc))
            .await
    }

    async fn notify_change(&self, doc_id: &str) -> Result<(), Error> {
        // No receivers is fine: nobody is interested yet.
        let _ = self.changes.send(DocChanged {
            doc_id: owned(doc_id),
            origin: self.instance_id.clone(),
        });
        Ok(())
    }

    fn subscribe_changes(&self) -> broadcast::Receiver<DocChanged> {
        self.changes.subscribe()
    }

    fn instance_id(&self) -> &str {
        &self.instance_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn every_migration_file_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/server/sqlite");
        let files = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "sql")
            })
            .count();
        assert_eq!(
            files,
            MIGRATIONS.len(),
            "a migration file is not in MIGRATIONS"
        );
    }

    #[test]
    fn reopening_a_migrated_file_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let s = SqliteStorage::open(&path).await.unwrap();
            s.clear_login_failures("k").await.unwrap();
            s.record_login_failure("k", 10, 0).await.unwrap();
            drop(s);
            let s = SqliteStorage::open(&path).await.unwrap();
            assert_eq!(s.login_failures("k", 0).await.unwrap().count, 1);
        });
    }
}

//! [`PostgresStorage`]: the shared store for scale-out. A connection pool
//! (deadpool) for queries, migrations applied at start in one transaction under
//! an advisory lock (so instances starting together migrate once), and one
//! dedicated connection that LISTENs for change notifications from every
//! instance and re-broadcasts them in-process; it reconnects when lost (a lost
//! notification only delays a client, the store is the truth).

mod accounts;
mod community;
mod courses;
mod directory;
mod documents;
mod listener;

use std::sync::Arc;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::broadcast;
use tokio_postgres::NoTls;

use super::{
    Backend, CHANGE_CHANNEL_CAPACITY, DocChanged, DocumentRecord, IssuedTokens, LoginFailures,
    MatchRecord, MatchStatus, MentorEntry, NewMatch, NewSession, NewUser, RefreshOutcome,
    SessionRecord, Snapshot, Storage, StoredChange, SurveyRecord, UserRecord, new_instance_id,
};
use crate::Error;
use listener::{ListenerTask, connect_listener, run_listener};

/// The PostgreSQL migrations as (version, SQL), in order (append only).
const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../../migrations/server/postgres/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../../migrations/server/postgres/0002_community.sql"),
    ),
    (
        3,
        include_str!("../../../../migrations/server/postgres/0003_courses.sql"),
    ),
    (
        4,
        include_str!("../../../../migrations/server/postgres/0004_course_event_deletion.sql"),
    ),
];

/// Key of the advisory lock held while migrating ("tutti" in ASCII).
const MIGRATION_LOCK: i64 = 0x0074_7574_7469;

/// The NOTIFY channel for document changes.
pub const CHANGE_CHANNEL: &str = "tutti_doc_changes";

const POOL_SIZE: usize = 16;

/// The PostgreSQL store.
#[derive(Clone)]
pub struct PostgresStorage {
    pool: Pool,
    changes: broadcast::Sender<DocChanged>,
    instance_id: String,
    _listener: Arc<ListenerTask>,
}

impl std::fmt::Debug for PostgresStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStorage")
            .field("instance_id", &self.instance_id)
            .field("pool", &self.pool.status())
            .finish_non_exhaustive()
    }
}

fn pool_error(e: impl std::fmt::Display) -> Error {
    Error::PostgresPool(e.to_string())
}

impl PostgresStorage {
    /// Connects, migrates, and starts listening for change notifications.
    /// Returns once this instance is listening, so no later notification is missed.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        let config: tokio_postgres::Config = url.parse()?;
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .build()
            .map_err(pool_error)?;
        {
            let mut client = pool.get().await.map_err(pool_error)?;
            migrate(&mut client).await?;
        }
        let (changes, _) = broadcast::channel(CHANGE_CHANNEL_CAPACITY);
        let first = connect_listener(&config).await?;
        let task = tokio::spawn(run_listener(config, changes.clone(), first));
        Ok(PostgresStorage {
            pool,
            changes,
            instance_id: new_instance_id(),
            _listener: Arc::new(ListenerTask(task)),
        })
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, Error> {
        self.pool.get().await.map_err(pool_error)
    }
}

async fn migrate(client: &mut deadpool_postgres::Object) -> Result<(), Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS tutti_schema_migrations (
             version    BIGINT PRIMARY KEY,
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let applied: Vec<i64> = tx
        .query("SELECT version FROM tutti_schema_migrations", &[])
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    for (version, sql) in MIGRATIONS {
        if applied.contains(version) {
            continue;
        }
        tracing::info!(version, "applying PostgreSQL migration");
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO tutti_schema_migrations (version) VALUES ($1)",
            &[version],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[async_trait]
impl Storage for PostgresStorage {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn create_user(&self, user: &NewUser) -> Result<(), Error> {
        accounts::create_user(&self.client().await?, user).await
    }

    async fn put_service_user(&self, user: &NewUser) -> Result<(), Error> {
        accounts::put_service_user(&self.client().await?, user).await
    }

    async fn user_by_email(&self, email_normalized: &str) -> Result<Option<UserRecord>, Error> {
        accounts::user_by(&self.client().await?, "email_normalized", email_normalized).await
    }

    async fn user_by_id(&self, user_id: &str) -> Result<Option<UserRecord>, Error> {
        accounts::user_by(&self.client().await?, "id", user_id).await
    }

    async fn create_session(&self, session: &NewSession) -> Result<(), Error> {
        accounts::create_session(&mut self.client().await?, session).await
    }

    async fn session_by_access_token(
        &self,
        access_hash: &str,
        now: i64,
    ) -> Result<Option<SessionRecord>, Error> {
        accounts::session_by_access_token(&self.client().await?, access_hash, now).await
    }

    async fn rotate_refresh_token(
        &self,
        refresh_hash: &str,
        replacement: &IssuedTokens,
        now: i64,
    ) -> Result<RefreshOutcome, Error> {
        accounts::rotate_refresh_token(&mut self.client().await?, refresh_hash, replacement, now)
            .await
    }

    async fn revoke_session(&self, session_id: &str, now: i64) -> Result<(), Error> {
        accounts::revoke_session(&mut self.client().await?, session_id, now).await
    }

    async fn login_failures(&self, key: &str, since: i64) -> Result<LoginFailures, Error> {
        accounts::login_failures(&self.client().await?, key, since).await
    }

    async fn record_login_failure(
        &self,
        key: &str,
        at: i64,
        forget_before: i64,
    ) -> Result<(), Error> {
        accounts::record_login_failure(&mut self.client().await?, key, at, forget_before).await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), Error> {
        self.client()
            .await?
            .execute(
                "DELETE FROM login_failures WHERE throttle_key = $1",
                &[&key],
            )
            .await?;
        Ok(())
    }

    async fn put_survey(&self, survey: &SurveyRecord) -> Result<(), Error> {
        directory::put_survey(&self.client().await?, survey).await
    }

    async fn survey(&self, user_id: &str) -> Result<Option<SurveyRecord>, Error> {
        directory::survey(&self.client().await?, user_id).await
    }

    async fn mentors(&self, hobby: Option<&str>) -> Result<Vec<MentorEntry>, Error> {
        directory::mentors(&self.client().await?, hobby).await
    }

    async fn create_match(&self, new: &NewMatch) -> Result<MatchRecord, Error> {
        directory::create_match(&mut self.client().await?, new).await
    }

    async fn match_by_id(&self, match_id: &str) -> Result<Option<MatchRecord>, Error> {
        let client = self.client().await?;
        let client: &tokio_postgres::Client = &client;
        directory::match_by_id(client, match_id).await
    }

    async fn decide_match(
        &self,
        match_id: &str,
        mentor_id: &str,
        decision: MatchStatus,
        now: i64,
    ) -> Result<MatchRecord, Error> {
        directory::decide_match(
            &mut self.client().await?,
            match_id,
            mentor_id,
            decision,
            now,
        )
        .await
    }

    async fn matches_for_user(&self, user_id: &str) -> Result<Vec<MatchRecord>, Error> {
        directory::matches_for_user(&self.client().await?, user_id).await
    }

    async fn create_document(&self, doc: &DocumentRecord) -> Result<(), Error> {
        documents::create_document(&mut self.client().await?, doc).await
    }

    async fn document(&self, doc_id: &str) -> Result<Option<DocumentRecord>, Error> {
        documents::document(&self.client().await?, doc_id).await
    }

    async fn set_document_members(&self, doc_id: &str, members: &[String]) -> Result<(), Error> {
        documents::set_members(&mut self.client().await?, doc_id, members).await
    }

    async fn documents_visible_to(&self, user_id: &str) -> Result<Vec<String>, Error> {
        documents::visible_to(&self.client().await?, user_id).await
    }

    async fn append_change(
        &self,
        doc_id: &str,
        change_hash: &str,
        author_id: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<Option<i64>, Error> {
        documents::append_change(
            &mut self.client().await?,
            doc_id,
            change_hash,
            author_id,
            bytes,
            now,
        )
        .await
    }

    async fn changes_since(
        &self,
        doc_id: &str,
        after_seq: i64,
    ) -> Result<Vec<StoredChange>, Error> {
        documents::changes_since(&self.client().await?, doc_id, after_seq).await
    }

    async fn compact_document(
        &self,
        doc_id: &str,
        snapshot: &[u8],
        up_to_seq: i64,
        now: i64,
    ) -> Result<(), Error> {
        documents::compact(&mut self.client().await?, doc_id, snapshot, up_to_seq, now).await
    }

    async fn snapshot(&self, doc_id: &str) -> Result<Option<Snapshot>, Error> {
        documents::snapshot(&self.client().await?, doc_id).await
    }

    async fn save_peer_state(
        &self,
        user_id: &str,
        peer_id: &str,
        doc_id: &str,
        state: &[u8],
        now: i64,
    ) -> Result<(), Error> {
        documents::save_peer_state(&self.client().await?, user_id, peer_id, doc_id, state, now)
            .await
    }

    async fn peer_state(
        &self,
        user_id: &str,
        peer_id: &str,
        doc_id: &str,
    ) -> Result<Option<Vec<u8>>, Error> {
        documents::peer_state(&self.client().await?, user_id, peer_id, doc_id).await
    }

    async fn notify_change(&self, doc_id: &str) -> Result<(), Error> {
        let payload = serde_json::to_string(&DocChanged {
            doc_id: doc_id.to_owned(),
            origin: self.instance_id.clone(),
        })
        .map_err(|e| Error::CorruptRow(e.to_string()))?;
        self.client()
            .await?
            .execute("SELECT pg_notify($1, $2)", &[&CHANGE_CHANNEL, &payload])
            .await?;
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
    fn every_migration_file_is_embedded_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/server/postgres");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(
            files.len(),
            MIGRATIONS.len(),
            "a migration file is not in MIGRATIONS"
        );
        for (i, (version, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                *version,
                i64::try_from(i).unwrap() + 1,
                "versions count up from 1"
            );
            assert!(
                files[i].starts_with(&format!("{version:04}_")),
                "{}",
                files[i]
            );
        }
    }
}

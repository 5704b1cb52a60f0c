//! The local SQLite store: the only module that writes SQL.
//!
//! Opening a store applies every pending migration from `migrations/app/`
//! (embedded at compile time) inside a transaction, with WAL journaling and
//! foreign keys on.

pub(crate) mod chat;
pub(crate) mod community;
pub(crate) mod courses;
pub(crate) mod mentor;
mod migrations;
pub(crate) mod practice;
mod profile;
mod servers;
mod settings;

use std::path::Path;

use rusqlite::Connection;

use crate::Result;

pub use migrations::{MIGRATIONS, latest_version, migrations_up_to};

/// An open local database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// An in-memory database with the full schema (for quick unit tests).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        // WAL lets the UI read while a write is in progress; NORMAL sync is
        // durable across application crashes in WAL mode.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrations().to_latest(&mut conn)?;
        Ok(Self { conn })
    }

    /// The schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }
}

impl Store {
    /// Whether this connection enforces foreign keys.
    pub fn foreign_keys_enabled(&self) -> Result<bool> {
        Ok(self
            .conn
            .pragma_query_value(None, "foreign_keys", |row| row.get(0))?)
    }
}

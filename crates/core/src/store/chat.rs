//! Tables of `0005_chat.sql`: the account state (no secrets), the chat
//! documents' saved bytes, their per-server sync state and read markers.
//!
//! Automerge itself stays in [`crate::chat`]: a document is updated through
//! [`Store::chat_document_update`], which hands the stored bytes to a closure
//! inside one `BEGIN IMMEDIATE` transaction, so the app and its sync task (each
//! with its own connection) never overwrite each other's changes.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::Store;
use crate::Result;

/// Where a stored chat document belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatDocumentRow {
    pub document_id: String,
    pub room_id: String,
    pub owner_id: String,
    pub month: String,
}

/// The merge-order key of a message: (sent at, author id, message id).
pub type ReadMarker = (i64, String, String);

impl Store {
    /// A value of the `account_state` table.
    pub(crate) fn account_state(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM account_state WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Sets a value of the `account_state` table.
    pub(crate) fn set_account_state(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO account_state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, value],
        )?;
        Ok(())
    }

    /// Deletes values of the `account_state` table, in one transaction.
    pub(crate) fn delete_account_state(&mut self, keys: &[&str]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for key in keys {
            tx.execute("DELETE FROM account_state WHERE key = ?1", [key])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Reads, changes and writes one chat document atomically: `update` gets
    /// the stored bytes (if any) and returns the bytes to store.
    pub(crate) fn chat_document_update(
        &mut self,
        row: &ChatDocumentRow,
        update: impl FnOnce(Option<&[u8]>) -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old: Option<Vec<u8>> = tx
            .query_row(
                "SELECT bytes FROM chat_document WHERE document_id = ?1",
                [&row.document_id],
                |r| r.get(0),
            )
            .optional()?;
        let new = update(old.as_deref())?;
        if old.as_deref() != Some(new.as_slice()) {
            tx.execute(
                "INSERT INTO chat_document (document_id, room_id, owner_id, month, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (document_id) DO UPDATE SET bytes = excluded.bytes,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![row.document_id, row.room_id, row.owner_id, row.month, new],
            )?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// The stored bytes of a chat document.
    pub(crate) fn chat_document(&self, document_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT bytes FROM chat_document WHERE document_id = ?1",
                [document_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every stored document of a room with its bytes.
    pub(crate) fn chat_documents_in_room(
        &self,
        room_id: &str,
    ) -> Result<Vec<(ChatDocumentRow, Vec<u8>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT document_id, room_id, owner_id, month, bytes FROM chat_document
             WHERE room_id = ?1 ORDER BY document_id",
        )?;
        let rows = stmt.query_map([room_id], |r| {
            Ok((
                ChatDocumentRow {
                    document_id: r.get(0)?,
                    room_id: r.get(1)?,
                    owner_id: r.get(2)?,
                    month: r.get(3)?,
                },
                r.get(4)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The persisted sync state of a document with a server.
    pub(crate) fn chat_sync_state(
        &self,
        document_id: &str,
        server_id: &str,
    ) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT state FROM chat_sync_state WHERE document_id = ?1 AND server_id = ?2",
                params![document_id, server_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Persists the sync state of a document with a server.
    pub(crate) fn set_chat_sync_state(
        &self,
        document_id: &str,
        server_id: &str,
        state: &[u8],
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO chat_sync_state (document_id, server_id, state) VALUES (?1, ?2, ?3)
             ON CONFLICT (document_id, server_id) DO UPDATE SET state = excluded.state",
            params![document_id, server_id, state],
        )?;
        Ok(())
    }

    /// The last message read in a room.
    pub(crate) fn chat_read_marker(&self, room_id: &str) -> Result<Option<ReadMarker>> {
        Ok(self
            .conn
            .query_row(
                "SELECT sent_at, author_id, message_id FROM chat_read WHERE room_id = ?1",
                [room_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// Sets the last message read in a room.
    pub(crate) fn set_chat_read_marker(&self, room_id: &str, marker: &ReadMarker) -> Result<()> {
        self.conn.execute(
            "INSERT INTO chat_read (room_id, sent_at, author_id, message_id) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (room_id) DO UPDATE SET sent_at = excluded.sent_at,
                 author_id = excluded.author_id, message_id = excluded.message_id",
            params![room_id, marker.0, marker.1, marker.2],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ChatDocumentRow {
        ChatDocumentRow {
            document_id: "doc".into(),
            room_id: "room".into(),
            owner_id: "me".into(),
            month: "2026-11".into(),
        }
    }

    #[test]
    fn a_document_update_sees_the_stored_bytes_and_a_failed_one_changes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .chat_document_update(&row(), |old| {
                assert_eq!(old, None, "nothing stored yet");
                Ok(b"one".to_vec())
            })
            .unwrap();
        let failed = store.chat_document_update(&row(), |old| {
            assert_eq!(old, Some(&b"one"[..]));
            Err(crate::Error::invalid("text", "refused"))
        });
        assert!(failed.is_err());
        assert_eq!(store.chat_document("doc").unwrap().unwrap(), b"one");
        assert_eq!(store.chat_documents_in_room("room").unwrap().len(), 1);
        assert!(store.chat_documents_in_room("other").unwrap().is_empty());
    }

    #[test]
    fn account_state_sync_state_and_read_markers_round_trip() {
        let mut store = Store::open_in_memory().unwrap();
        store.set_account_state("server_url", "http://a").unwrap();
        store.set_account_state("server_url", "http://b").unwrap();
        assert_eq!(
            store.account_state("server_url").unwrap().as_deref(),
            Some("http://b")
        );
        store.delete_account_state(&["server_url"]).unwrap();
        assert_eq!(store.account_state("server_url").unwrap(), None);

        store.set_chat_sync_state("doc", "srv", b"s1").unwrap();
        store.set_chat_sync_state("doc", "srv", b"s2").unwrap();
        assert_eq!(store.chat_sync_state("doc", "srv").unwrap().unwrap(), b"s2");
        assert_eq!(store.chat_sync_state("doc", "other").unwrap(), None);

        let marker = (5, "bob".to_owned(), "m1".to_owned());
        store.set_chat_read_marker("room", &marker).unwrap();
        assert_eq!(store.chat_read_marker("room").unwrap(), Some(marker));
    }
}

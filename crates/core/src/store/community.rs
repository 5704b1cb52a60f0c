//! Tables of `0007_community.sql`: community documents (own posts and the
//! cached posts of opened threads), the server's last view of each opened
//! thread, and display names.
//!
//! Automerge stays in [`crate::community`]: a document is changed through
//! [`Store::community_document_update`], which hands the stored bytes to a
//! closure inside one `BEGIN IMMEDIATE` transaction, so the app and the sync
//! task (each with its own connection) never overwrite each other's changes.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::Store;
use crate::Result;

/// Where a community document belongs: `answer_id` is `None` for a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityDocRow {
    pub document_id: String,
    pub question_id: String,
    pub answer_id: Option<String>,
    pub owner_id: String,
}

/// A row with its bytes (`None` while wanted but not fetched yet).
pub type StoredCommunityDoc = (CommunityDocRow, Option<Vec<u8>>);

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCommunityDoc> {
    Ok((
        CommunityDocRow {
            document_id: r.get(0)?,
            question_id: r.get(1)?,
            answer_id: r.get(2)?,
            owner_id: r.get(3)?,
        },
        r.get(4)?,
    ))
}

const COLUMNS: &str = "document_id, question_id, answer_id, owner_id, bytes";

impl Store {
    /// Reads, changes and writes one community document atomically: `update`
    /// gets the stored bytes (if any) and returns the bytes to store.
    pub(crate) fn community_document_update(
        &mut self,
        row: &CommunityDocRow,
        update: impl FnOnce(Option<&[u8]>) -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old: Option<Option<Vec<u8>>> = tx
            .query_row(
                "SELECT bytes FROM community_document WHERE document_id = ?1",
                [&row.document_id],
                |r| r.get(0),
            )
            .optional()?;
        let old = old.flatten();
        let new = update(old.as_deref())?;
        if old.as_deref() != Some(new.as_slice()) {
            tx.execute(
                "INSERT INTO community_document (document_id, question_id, answer_id, owner_id, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (document_id) DO UPDATE SET bytes = excluded.bytes,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                params![
                    row.document_id,
                    row.question_id,
                    row.answer_id,
                    row.owner_id,
                    new
                ],
            )?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Records documents to fetch (those already known stay as they are), in
    /// one transaction; returns how many were new.
    pub(crate) fn community_want(&mut self, rows: &[CommunityDocRow]) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut added = 0;
        for row in rows {
            added += tx.execute(
                "INSERT INTO community_document (document_id, question_id, answer_id, owner_id)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (document_id) DO NOTHING",
                params![
                    row.document_id,
                    row.question_id,
                    row.answer_id,
                    row.owner_id
                ],
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// One stored document (with its bytes, if fetched).
    #[cfg(test)]
    pub(crate) fn community_document(
        &self,
        document_id: &str,
    ) -> Result<Option<StoredCommunityDoc>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM community_document WHERE document_id = ?1"),
                [document_id],
                read_row,
            )
            .optional()?)
    }

    /// The documents of one question (the question's and its answers').
    pub(crate) fn community_documents_of(
        &self,
        question_id: &str,
    ) -> Result<Vec<StoredCommunityDoc>> {
        self.community_query(
            &format!(
                "SELECT {COLUMNS} FROM community_document WHERE question_id = ?1 ORDER BY document_id"
            ),
            [question_id],
        )
    }

    /// An answer's documents by answer id (one, unless ids were forged).
    pub(crate) fn community_answer_documents(
        &self,
        answer_id: &str,
    ) -> Result<Vec<StoredCommunityDoc>> {
        self.community_query(
            &format!(
                "SELECT {COLUMNS} FROM community_document WHERE answer_id = ?1 ORDER BY document_id"
            ),
            [answer_id],
        )
    }

    /// Every fetched question document.
    pub(crate) fn community_question_documents(&self) -> Result<Vec<StoredCommunityDoc>> {
        self.community_query(
            &format!(
                "SELECT {COLUMNS} FROM community_document
                 WHERE answer_id IS NULL AND bytes IS NOT NULL ORDER BY document_id"
            ),
            [],
        )
    }

    /// Every community document, fetched or wanted (what the sync task syncs).
    pub(crate) fn community_documents(&self) -> Result<Vec<StoredCommunityDoc>> {
        self.community_query(
            &format!("SELECT {COLUMNS} FROM community_document ORDER BY document_id"),
            [],
        )
    }

    fn community_query(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<StoredCommunityDoc>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map(params, read_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every persisted sync state of a document (one per server).
    pub(crate) fn sync_states_of(&self, document_id: &str) -> Result<Vec<Vec<u8>>> {
        let mut stmt = self
            .conn
            .prepare("SELECT state FROM chat_sync_state WHERE document_id = ?1")?;
        let rows = stmt.query_map([document_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps the server's view of a thread (JSON) and marks it opened now.
    pub(crate) fn set_community_thread(&self, question_id: &str, json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO community_thread (question_id, json) VALUES (?1, ?2)
             ON CONFLICT (question_id) DO UPDATE SET json = excluded.json,
                 opened_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![question_id, json],
        )?;
        Ok(())
    }

    /// The server's view of a thread as last fetched.
    pub(crate) fn community_thread(&self, question_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT json FROM community_thread WHERE question_id = ?1",
                [question_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The most recently opened threads, newest first.
    pub(crate) fn community_opened_threads(&self, limit: u32) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT question_id FROM community_thread ORDER BY opened_at DESC, question_id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers display names, in one transaction.
    pub(crate) fn set_community_names(&mut self, names: &[(String, String)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (user_id, name) in names {
            tx.execute(
                "INSERT INTO community_name (user_id, name) VALUES (?1, ?2)
                 ON CONFLICT (user_id) DO UPDATE SET name = excluded.name",
                params![user_id, name],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// A display name as the server last reported it.
    pub(crate) fn community_name(&self, user_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name FROM community_name WHERE user_id = ?1",
                [user_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, answer: Option<&str>) -> CommunityDocRow {
        CommunityDocRow {
            document_id: id.into(),
            question_id: "q1".into(),
            answer_id: answer.map(str::to_owned),
            owner_id: "alice".into(),
        }
    }

    #[test]
    fn documents_are_wanted_then_stored_and_a_failed_update_changes_nothing() {
        let mut store = Store::open_in_memory().unwrap();
        let (q, a) = (row("dq", None), row("da", Some("a1")));
        assert_eq!(store.community_want(&[q.clone(), a.clone()]).unwrap(), 2);
        assert_eq!(
            store.community_want(std::slice::from_ref(&q)).unwrap(),
            0,
            "known"
        );
        assert_eq!(
            store.community_document("dq").unwrap(),
            Some((q.clone(), None))
        );
        assert!(
            store.community_question_documents().unwrap().is_empty(),
            "a wanted question is not fetched yet"
        );
        store
            .community_document_update(&q, |old| {
                assert_eq!(old, None, "wanted rows have no bytes");
                Ok(b"one".to_vec())
            })
            .unwrap();
        let failed = store.community_document_update(&q, |old| {
            assert_eq!(old, Some(&b"one"[..]));
            Err(crate::Error::invalid("title", "refused"))
        });
        assert!(failed.is_err());
        assert_eq!(
            store.community_question_documents().unwrap(),
            vec![(q, Some(b"one".to_vec()))]
        );
        assert_eq!(store.community_documents_of("q1").unwrap().len(), 2);
        assert_eq!(store.community_answer_documents("a1").unwrap()[0].0, a);
        assert_eq!(store.community_documents().unwrap().len(), 2);
        assert!(store.community_documents_of("q2").unwrap().is_empty());
    }

    #[test]
    fn threads_names_and_sync_states_round_trip() {
        let mut store = Store::open_in_memory().unwrap();
        store.set_community_thread("q1", "{}").unwrap();
        store.set_community_thread("q2", "{\"a\":1}").unwrap();
        store.set_community_thread("q1", "{\"b\":2}").unwrap();
        assert_eq!(
            store.community_thread("q1").unwrap().as_deref(),
            Some("{\"b\":2}")
        );
        assert_eq!(store.community_opened_threads(10).unwrap().len(), 2);
        assert_eq!(store.community_opened_threads(1).unwrap().len(), 1);
        store
            .set_community_names(&[("u1".into(), "지훈".into()), ("u1".into(), "Jihun".into())])
            .unwrap();
        assert_eq!(
            store.community_name("u1").unwrap().as_deref(),
            Some("Jihun")
        );
        assert_eq!(store.community_name("u2").unwrap(), None);
        store.set_chat_sync_state("dq", "srv1", b"s1").unwrap();
        store.set_chat_sync_state("dq", "srv2", b"s2").unwrap();
        assert_eq!(store.sync_states_of("dq").unwrap().len(), 2);
    }
}

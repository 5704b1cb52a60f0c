//! Courses: the cached catalogue and models, the sharing consent and the
//! learner's own course events.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::Result;

/// Events that never leave the device: recorded without consent, still
/// unsent when consent was withdrawn, or deleted from the server.
pub(crate) const LOCAL_ONLY: i64 = 0;
/// Events waiting for the next upload.
pub(crate) const TO_UPLOAD: i64 = 1;
/// Events the server has.
pub(crate) const UPLOADED: i64 = 2;

/// An event waiting to be uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingEvent {
    pub id: i64,
    pub course_id: String,
    pub kind: String,
    pub at_ms: i64,
}

impl Store {
    pub(crate) fn course_state(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM course_state WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(crate) fn set_course_state(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO course_state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, value],
        )?;
        Ok(())
    }

    /// Sets the consent `key` to `value`; withdrawing it (`allow` false) also
    /// keeps every unsent event on the device, in the same transaction.
    pub(crate) fn set_course_consent(&mut self, key: &str, allow: bool) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO course_state (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, if allow { "1" } else { "0" }],
        )?;
        if !allow {
            tx.execute(
                "UPDATE course_events SET sharing = ?1 WHERE sharing = ?2",
                params![LOCAL_ONLY, TO_UPLOAD],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The server deleted what was uploaded: those events are the device's
    /// only. Returns how many.
    pub(crate) fn forget_uploaded_course_events(&self) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE course_events SET sharing = ?1 WHERE sharing = ?2",
            params![LOCAL_ONLY, UPLOADED],
        )?)
    }

    pub(crate) fn course_model(&self, hobby: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT json FROM course_models WHERE hobby = ?1",
                [hobby],
                |r| r.get(0),
            )
            .optional()?)
    }

    pub(crate) fn set_course_model(&self, hobby: &str, json: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO course_models (hobby, json) VALUES (?1, ?2)
             ON CONFLICT (hobby) DO UPDATE SET json = excluded.json,
                 fetched_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![hobby, json],
        )?;
        Ok(())
    }

    pub(crate) fn insert_course_event(
        &self,
        course_id: &str,
        kind: &str,
        at_ms: i64,
        sharing: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO course_events (course_id, kind, at_ms, sharing) VALUES (?1, ?2, ?3, ?4)",
            params![course_id, kind, at_ms, sharing],
        )?;
        Ok(())
    }

    /// Each course the learner touched with its views and clicks.
    pub(crate) fn course_history(&self) -> Result<Vec<(String, u32, u32)>> {
        let mut stmt = self.conn.prepare(
            "SELECT course_id, SUM(kind = 'view'), SUM(kind = 'click')
             FROM course_events GROUP BY course_id ORDER BY MAX(id) DESC",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The oldest `limit` events waiting for upload.
    pub(crate) fn course_events_to_upload(&self, limit: usize) -> Result<Vec<PendingEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, course_id, kind, at_ms FROM course_events
             WHERE sharing = ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![TO_UPLOAD, limit as i64], |r| {
            Ok(PendingEvent {
                id: r.get(0)?,
                course_id: r.get(1)?,
                kind: r.get(2)?,
                at_ms: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks events as uploaded, all or none.
    pub(crate) fn mark_course_events_uploaded(&mut self, ids: &[i64]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare("UPDATE course_events SET sharing = ?1 WHERE id = ?2")?;
            for id in ids {
                stmt.execute(params![UPLOADED, id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// (waiting for upload, uploaded, kept on the device) event counts.
    pub(crate) fn course_event_counts(&self) -> Result<(u32, u32, u32)> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(sharing = ?1), 0), COALESCE(SUM(sharing = ?2), 0),
                    COALESCE(SUM(sharing = ?3), 0) FROM course_events",
            params![TO_UPLOAD, UPLOADED, LOCAL_ONLY],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_counted_by_sharing_and_history_sums_views_and_clicks() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .insert_course_event("a", "view", 1, LOCAL_ONLY)
            .unwrap();
        store
            .insert_course_event("a", "click", 2, TO_UPLOAD)
            .unwrap();
        store
            .insert_course_event("b", "view", 3, TO_UPLOAD)
            .unwrap();
        assert_eq!(store.course_event_counts().unwrap(), (2, 0, 1));
        assert_eq!(
            store.course_history().unwrap(),
            vec![("b".to_owned(), 1, 0), ("a".to_owned(), 1, 1)]
        );
        let pending = store.course_events_to_upload(10).unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].course_id, "a");
        store
            .mark_course_events_uploaded(&[pending[0].id, pending[1].id])
            .unwrap();
        assert_eq!(store.course_event_counts().unwrap(), (0, 2, 1));
        assert!(store.course_events_to_upload(10).unwrap().is_empty());
    }

    #[test]
    fn state_and_models_are_replaced_in_place() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.course_state("k").unwrap(), None);
        store.set_course_state("k", "1").unwrap();
        store.set_course_state("k", "2").unwrap();
        assert_eq!(store.course_state("k").unwrap().as_deref(), Some("2"));
        store.set_course_model("guitar", "{}").unwrap();
        store.set_course_model("guitar", "{\"a\":1}").unwrap();
        assert_eq!(
            store.course_model("guitar").unwrap().as_deref(),
            Some("{\"a\":1}")
        );
    }
}

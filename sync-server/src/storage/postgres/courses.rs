//! Course events and server secrets in PostgreSQL.

use async_trait::async_trait;
use tokio_postgres::types::ToSql;

use super::PostgresStorage;
use crate::Error;
use crate::storage::courses::{
    CourseEventTotals, CourseEvents, EventsWatermark, NewCourseEvent, received_before_secs,
};

impl PostgresStorage {
    /// Deletes the rows `filter` (a `WHERE` clause over `course_events` with
    /// `$1`) selects, bumping the generation in the same transaction when
    /// any went.
    async fn delete_course_events_where(
        &self,
        filter: &str,
        arg: &(dyn ToSql + Sync),
    ) -> Result<u64, Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let deleted = tx
            .execute(&format!("DELETE FROM course_events WHERE {filter}"), &[arg])
            .await?;
        if deleted > 0 {
            tx.execute(
                "UPDATE course_events_generation SET generation = generation + 1 WHERE id = 1",
                &[],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(deleted)
    }
}

#[async_trait]
impl CourseEvents for PostgresStorage {
    async fn record_course_events(
        &self,
        pseudonym: &str,
        events: &[NewCourseEvent],
        now: i64,
    ) -> Result<u64, Error> {
        // One statement for the whole batch (one round trip); a row equal to
        // a stored one, or to an earlier one of the batch, is skipped.
        let course_ids: Vec<&str> = events.iter().map(|e| e.course_id.as_str()).collect();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        let times: Vec<i64> = events.iter().map(|e| e.at_ms).collect();
        let stored = self
            .client()
            .await?
            .execute(
                "INSERT INTO course_events (pseudonym, course_id, kind, at_ms, received_at)
                 SELECT $1, t.course_id, t.kind, t.at_ms, $5
                   FROM UNNEST($2::TEXT[], $3::TEXT[], $4::BIGINT[]) AS t(course_id, kind, at_ms)
                 ON CONFLICT (pseudonym, course_id, kind, at_ms) DO NOTHING",
                &[&pseudonym, &course_ids, &kinds, &times, &now],
            )
            .await?;
        Ok(stored)
    }

    async fn course_event_totals(&self) -> Result<Vec<CourseEventTotals>, Error> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT pseudonym, course_id,
                        COUNT(*) FILTER (WHERE kind = 'view'),
                        COUNT(*) FILTER (WHERE kind = 'click')
                   FROM course_events GROUP BY pseudonym, course_id",
                &[],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CourseEventTotals {
                    pseudonym: r.try_get(0)?,
                    course_id: r.try_get(1)?,
                    views: r.try_get(2)?,
                    clicks: r.try_get(3)?,
                })
            })
            .collect()
    }

    async fn course_events_watermark(&self) -> Result<EventsWatermark, Error> {
        let row = self
            .client()
            .await?
            .query_one(
                "SELECT COUNT(*), COALESCE(MAX(id), 0),
                        (SELECT generation FROM course_events_generation WHERE id = 1)
                   FROM course_events",
                &[],
            )
            .await?;
        Ok(EventsWatermark {
            count: row.try_get(0)?,
            max_id: row.try_get(1)?,
            generation: row.try_get(2)?,
        })
    }

    async fn delete_course_events(&self, pseudonym: &str) -> Result<u64, Error> {
        self.delete_course_events_where("pseudonym = $1", &pseudonym)
            .await
    }

    async fn prune_course_events(&self, before_ms: i64) -> Result<u64, Error> {
        self.delete_course_events_where("received_at < $1", &received_before_secs(before_ms))
            .await
    }

    async fn server_secret(&self, name: &str, fresh: &[u8], now: i64) -> Result<Vec<u8>, Error> {
        let client = self.client().await?;
        // ON CONFLICT DO NOTHING under concurrency: the loser's INSERT waits
        // for the winner's commit, then the SELECT sees the winner's value.
        client
            .execute(
                "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO NOTHING",
                &[&name, &fresh, &now],
            )
            .await?;
        let row = client
            .query_one("SELECT value FROM server_secrets WHERE name = $1", &[&name])
            .await?;
        Ok(row.try_get(0)?)
    }
}

//! Course events and server secrets in SQLite.

use async_trait::async_trait;
use rusqlite::{Connection, ToSql, params};

use super::SqliteStorage;
use crate::Error;
use crate::storage::courses::{
    CourseEventTotals, CourseEvents, EventsWatermark, NewCourseEvent, received_before_secs,
};

fn record(
    c: &mut Connection,
    pseudonym: &str,
    events: &[NewCourseEvent],
    now: i64,
) -> Result<u64, Error> {
    let tx = c.transaction()?;
    let mut stored = 0u64;
    {
        let mut insert = tx.prepare(
            "INSERT INTO course_events (pseudonym, course_id, kind, at_ms, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (pseudonym, course_id, kind, at_ms) DO NOTHING",
        )?;
        for e in events {
            stored += insert.execute(params![
                pseudonym,
                e.course_id,
                e.kind.as_str(),
                e.at_ms,
                now
            ])? as u64;
        }
    }
    tx.commit()?;
    Ok(stored)
}

fn totals(c: &mut Connection) -> Result<Vec<CourseEventTotals>, Error> {
    let mut stmt = c.prepare(
        "SELECT pseudonym, course_id,
                SUM(CASE WHEN kind = 'view' THEN 1 ELSE 0 END),
                SUM(CASE WHEN kind = 'click' THEN 1 ELSE 0 END)
           FROM course_events GROUP BY pseudonym, course_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CourseEventTotals {
            pseudonym: r.get(0)?,
            course_id: r.get(1)?,
            views: r.get(2)?,
            clicks: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Deletes the rows `filter` (a `WHERE` clause over `course_events` with
/// `?1`) selects, bumping the generation when any went.
fn delete_where(c: &mut Connection, filter: &str, arg: &dyn ToSql) -> Result<u64, Error> {
    let tx = c.transaction()?;
    let deleted = tx.execute(&format!("DELETE FROM course_events WHERE {filter}"), [arg])?;
    if deleted > 0 {
        tx.execute(
            "UPDATE course_events_generation SET generation = generation + 1 WHERE id = 1",
            [],
        )?;
    }
    tx.commit()?;
    Ok(deleted as u64)
}

fn secret(c: &mut Connection, name: &str, fresh: &[u8], now: i64) -> Result<Vec<u8>, Error> {
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO server_secrets (name, value, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO NOTHING",
        params![name, fresh, now],
    )?;
    let value: Vec<u8> = tx.query_row(
        "SELECT value FROM server_secrets WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?;
    tx.commit()?;
    Ok(value)
}

#[async_trait]
impl CourseEvents for SqliteStorage {
    async fn record_course_events(
        &self,
        pseudonym: &str,
        events: &[NewCourseEvent],
        now: i64,
    ) -> Result<u64, Error> {
        let (pseudonym, events) = (pseudonym.to_owned(), events.to_vec());
        self.call(move |c| record(c, &pseudonym, &events, now))
            .await
    }

    async fn course_event_totals(&self) -> Result<Vec<CourseEventTotals>, Error> {
        self.call(totals).await
    }

    async fn course_events_watermark(&self) -> Result<EventsWatermark, Error> {
        self.call(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*), COALESCE(MAX(id), 0),
                        (SELECT generation FROM course_events_generation WHERE id = 1)
                   FROM course_events",
                [],
                |r| {
                    Ok(EventsWatermark {
                        count: r.get(0)?,
                        max_id: r.get(1)?,
                        generation: r.get(2)?,
                    })
                },
            )?)
        })
        .await
    }

    async fn delete_course_events(&self, pseudonym: &str) -> Result<u64, Error> {
        let pseudonym = pseudonym.to_owned();
        self.call(move |c| delete_where(c, "pseudonym = ?1", &pseudonym))
            .await
    }

    async fn prune_course_events(&self, before_ms: i64) -> Result<u64, Error> {
        let before = received_before_secs(before_ms);
        self.call(move |c| delete_where(c, "received_at < ?1", &before))
            .await
    }

    async fn server_secret(&self, name: &str, fresh: &[u8], now: i64) -> Result<Vec<u8>, Error> {
        let (name, fresh) = (name.to_owned(), fresh.to_vec());
        self.call(move |c| secret(c, &name, &fresh, now)).await
    }
}

#[cfg(test)]
mod tests {
    use rusqlite_migration::{M, Migrations};

    use super::*;

    #[test]
    fn the_courses_migration_applies_on_a_version_2_database() {
        let mut c = Connection::open_in_memory().unwrap();
        Migrations::new(
            super::super::MIGRATIONS[..2]
                .iter()
                .map(|sql| M::up(sql))
                .collect(),
        )
        .to_latest(&mut c)
        .unwrap();
        c.execute(
            "INSERT INTO users (id, email, email_normalized, password_hash, name, gender,
                 birthdate, created_at) VALUES ('u', 'e', 'e', 'h', 'n', 'g', 'b', 0)",
            [],
        )
        .unwrap();
        super::super::migrations().to_latest(&mut c).unwrap();
        let users: i64 = c
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
            .unwrap();
        assert_eq!(users, 1, "version 2 data survives");
        let stored = record(
            &mut c,
            "p",
            &[NewCourseEvent {
                course_id: "c".into(),
                kind: crate::storage::CourseEventKind::View,
                at_ms: 1,
            }],
            0,
        )
        .unwrap();
        assert_eq!(stored, 1, "the new table takes events");
    }
}

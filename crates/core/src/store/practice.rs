//! Practice targets and the recordings library. A take's row and its WAV file
//! change together: the caller passes the file step as a closure that runs
//! inside the transaction, so a failed file step rolls the row back and a
//! failed row never leaves a file behind.

use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::Result;

/// A stored target melody.
#[derive(Debug, Clone)]
pub(crate) struct TargetRow {
    pub id: String,
    pub title: String,
    pub source: String,
    pub melody_json: String,
    pub created_at: String,
    /// For a target made from a level test: that test and its room.
    pub level_test: Option<(i64, String)>,
}

/// A stored take.
#[derive(Debug, Clone, Default)]
pub(crate) struct TakeRow {
    pub id: String,
    pub title: String,
    pub file_name: String,
    pub duration_s: f64,
    pub sample_rate: u32,
    pub notes_json: String,
    pub tuning_cents: f64,
    pub grade: Option<GradeRow>,
    pub created_at: String,
}

/// The latest grade of a take.
#[derive(Debug, Clone, Default)]
pub(crate) struct GradeRow {
    pub target_id: Option<String>,
    pub target_title: String,
    pub grade_json: String,
    pub target_json: String,
}

const TARGET_COLUMNS: &str = "id, title, source, melody_json, created_at, level_test_id, \
     (SELECT lt.room_id FROM level_tests lt WHERE lt.id = level_test_id)";
const TAKE_COLUMNS: &str = "id, title, file_name, duration_s, sample_rate, notes_json, \
     tuning_cents, target_id, target_title, grade_json, target_json, created_at";

fn target_row(row: &Row<'_>) -> rusqlite::Result<TargetRow> {
    Ok(TargetRow {
        id: row.get(0)?,
        title: row.get(1)?,
        source: row.get(2)?,
        melody_json: row.get(3)?,
        created_at: row.get(4)?,
        level_test: match (
            row.get::<_, Option<i64>>(5)?,
            row.get::<_, Option<String>>(6)?,
        ) {
            (Some(test), Some(room)) => Some((test, room)),
            _ => None,
        },
    })
}

fn take_row(row: &Row<'_>) -> rusqlite::Result<TakeRow> {
    let grade_json: Option<String> = row.get(9)?;
    let grade = match grade_json {
        Some(grade_json) => Some(GradeRow {
            target_id: row.get(7)?,
            target_title: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
            grade_json,
            target_json: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(TakeRow {
        id: row.get(0)?,
        title: row.get(1)?,
        file_name: row.get(2)?,
        duration_s: row.get(3)?,
        sample_rate: row.get(4)?,
        notes_json: row.get(5)?,
        tuning_cents: row.get(6)?,
        grade,
        created_at: row.get(11)?,
    })
}

impl Store {
    pub(crate) fn insert_practice_target(
        &mut self,
        id: &str,
        title: &str,
        source: &str,
        melody_json: &str,
        level_test_id: Option<i64>,
    ) -> Result<TargetRow> {
        self.conn.execute(
            "INSERT INTO practice_targets (id, title, source, melody_json, level_test_id)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, title, source, melody_json, level_test_id],
        )?;
        self.practice_target(id)?
            .ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
    }

    pub(crate) fn practice_target(&self, id: &str) -> Result<Option<TargetRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {TARGET_COLUMNS} FROM practice_targets WHERE id = ?1"),
                [id],
                target_row,
            )
            .optional()?)
    }

    /// Newest first.
    pub(crate) fn practice_targets(&self) -> Result<Vec<TargetRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {TARGET_COLUMNS} FROM practice_targets ORDER BY created_at DESC, rowid DESC"
        ))?;
        let rows = stmt.query_map([], target_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a target was deleted (takes keep their grade).
    pub(crate) fn delete_practice_target(&mut self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM practice_targets WHERE id = ?1", [id])?
            > 0)
    }

    /// Inserts a take; `place_file` (moving its WAV into place) runs inside
    /// the transaction, which commits only if it succeeds.
    pub(crate) fn insert_practice_take(
        &mut self,
        take: &TakeRow,
        place_file: impl FnOnce() -> Result<()>,
    ) -> Result<TakeRow> {
        let tx = self.conn.transaction()?;
        let g = take.grade.clone();
        tx.execute(
            "INSERT INTO practice_takes (id, title, file_name, duration_s, sample_rate, notes_json,
                 tuning_cents, target_id, target_title, grade_json, target_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                take.id,
                take.title,
                take.file_name,
                take.duration_s,
                take.sample_rate,
                take.notes_json,
                take.tuning_cents,
                g.as_ref().and_then(|g| g.target_id.clone()),
                g.as_ref().map(|g| g.target_title.clone()),
                g.as_ref().map(|g| g.grade_json.clone()),
                g.as_ref().map(|g| g.target_json.clone()),
            ],
        )?;
        place_file()?;
        tx.commit()?;
        self.practice_take(&take.id)?
            .ok_or_else(|| rusqlite::Error::QueryReturnedNoRows.into())
    }

    pub(crate) fn practice_take(&self, id: &str) -> Result<Option<TakeRow>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {TAKE_COLUMNS} FROM practice_takes WHERE id = ?1"),
                [id],
                take_row,
            )
            .optional()?)
    }

    /// Newest first.
    pub(crate) fn practice_takes(&self) -> Result<Vec<TakeRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {TAKE_COLUMNS} FROM practice_takes ORDER BY created_at DESC, rowid DESC"
        ))?;
        let rows = stmt.query_map([], take_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether the take exists (and was renamed).
    pub(crate) fn rename_practice_take(&mut self, id: &str, title: &str) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE practice_takes SET title = ?2 WHERE id = ?1",
            params![id, title],
        )? > 0)
    }

    /// Replaces the take's grade. Whether the take exists.
    pub(crate) fn set_practice_take_grade(&mut self, id: &str, grade: &GradeRow) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE practice_takes SET target_id = ?2, target_title = ?3, grade_json = ?4,
                 target_json = ?5 WHERE id = ?1",
            params![
                id,
                grade.target_id,
                grade.target_title,
                grade.grade_json,
                grade.target_json
            ],
        )? > 0)
    }

    /// Deletes the take's row; `remove_file` runs inside the transaction,
    /// which commits only if it succeeds. Whether the take existed.
    pub(crate) fn delete_practice_take(
        &mut self,
        id: &str,
        remove_file: impl FnOnce(&str) -> Result<()>,
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let file: Option<String> = tx
            .query_row(
                "DELETE FROM practice_takes WHERE id = ?1 RETURNING file_name",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(file) = file else {
            return Ok(false);
        };
        remove_file(&file)?;
        tx.commit()?;
        Ok(true)
    }

    /// The newest level test drawn for a room (submitted or not): (id, JSON).
    pub(crate) fn latest_level_test_json(&self, room_id: &str) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, test_json FROM level_tests WHERE room_id = ?1 ORDER BY id DESC LIMIT 1",
                [room_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

//! The challenges given to a room and the learner's progress on them.

use rusqlite::{OptionalExtension, Row, params};

use super::{Expect, NOW, NewMessage, RoomChange, advance, check_stage};
use crate::Result;
use crate::mentor::dto::{AiMessage, ChallengeSource};
use crate::store::Store;

/// A challenge given to a room, as stored.
#[derive(Debug, Clone)]
pub(crate) struct ChallengeRecord {
    pub position: u32,
    pub challenge_id: String,
    pub source: ChallengeSource,
    pub json: String,
    pub steps_done: Vec<bool>,
    pub done_at: Option<String>,
}

/// A challenge about to be given to a room.
#[derive(Debug, Clone)]
pub(crate) struct NewChallenge {
    pub challenge_id: String,
    pub source: ChallengeSource,
    pub json: String,
    pub steps: usize,
}

impl Store {
    /// Gives challenges to a room (positions 0, 1, …) and advances it.
    pub(crate) fn insert_challenges(
        &mut self,
        room_id: &str,
        expect: Expect,
        challenges: &[NewChallenge],
        change: &RoomChange,
        messages: &[NewMessage],
    ) -> Result<Vec<AiMessage>> {
        let tx = self.conn.transaction()?;
        check_stage(&tx, room_id, expect)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO room_challenges (room_id, position, challenge_id, source, challenge_json, steps_done)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (position, c) in challenges.iter().enumerate() {
                insert.execute(params![
                    room_id,
                    position as i64,
                    c.challenge_id,
                    source_to_sql(c.source),
                    c.json,
                    steps_to_sql(&vec![false; c.steps]),
                ])?;
            }
        }
        let added = advance(&tx, room_id, expect, change, messages)?;
        tx.commit()?;
        Ok(added)
    }

    /// The room's challenges in order.
    pub(crate) fn room_challenges(&self, room_id: &str) -> Result<Vec<ChallengeRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, challenge_id, source, challenge_json, steps_done, done_at
             FROM room_challenges WHERE room_id = ?1 ORDER BY position",
        )?;
        let rows = stmt
            .query_map([room_id], challenge_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One of the room's challenges.
    pub(crate) fn room_challenge(
        &self,
        room_id: &str,
        position: u32,
    ) -> Result<Option<ChallengeRecord>> {
        Ok(self
            .conn
            .query_row(
                "SELECT position, challenge_id, source, challenge_json, steps_done, done_at
                 FROM room_challenges WHERE room_id = ?1 AND position = ?2",
                params![room_id, position],
                challenge_from_row,
            )
            .optional()?)
    }

    /// Replaces a challenge's ticked steps.
    pub(crate) fn set_challenge_steps(
        &mut self,
        room_id: &str,
        position: u32,
        steps_done: &[bool],
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE room_challenges SET steps_done = ?3 WHERE room_id = ?1 AND position = ?2",
            params![room_id, position, steps_to_sql(steps_done)],
        )?;
        Ok(())
    }

    /// Marks a challenge done (keeping the first time it was marked) or not done.
    pub(crate) fn set_challenge_done(
        &mut self,
        room_id: &str,
        position: u32,
        done: bool,
    ) -> Result<()> {
        let sql = if done {
            format!(
                "UPDATE room_challenges SET done_at = coalesce(done_at, {NOW})
                 WHERE room_id = ?1 AND position = ?2"
            )
        } else {
            "UPDATE room_challenges SET done_at = NULL WHERE room_id = ?1 AND position = ?2"
                .to_owned()
        };
        self.conn.execute(&sql, params![room_id, position])?;
        Ok(())
    }
}

fn challenge_from_row(row: &Row<'_>) -> rusqlite::Result<ChallengeRecord> {
    let source: String = row.get(2)?;
    let steps: String = row.get(4)?;
    Ok(ChallengeRecord {
        position: row.get(0)?,
        challenge_id: row.get(1)?,
        source: if source == "generated" {
            ChallengeSource::Generated
        } else {
            ChallengeSource::Curated
        },
        json: row.get(3)?,
        steps_done: serde_json::from_str(&steps).unwrap_or_default(),
        done_at: row.get(5)?,
    })
}

fn steps_to_sql(steps: &[bool]) -> String {
    serde_json::to_string(steps).expect("a list of booleans is JSON")
}

fn source_to_sql(source: ChallengeSource) -> &'static str {
    match source {
        ChallengeSource::Curated => "curated",
        ChallengeSource::Generated => "generated",
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{expect, store_with_room};
    use super::*;
    use crate::mentor::dto::MentorStage;

    #[test]
    fn challenge_progress_round_trips() {
        let mut store = store_with_room();
        for (from, to) in [
            (MentorStage::AwaitingHobby, MentorStage::LevelTest),
            (MentorStage::LevelTest, MentorStage::AwaitingChallengeCount),
        ] {
            let change = RoomChange {
                stage: Some(to),
                ..Default::default()
            };
            store
                .mentor_advance("r1", expect(from), &change, &[])
                .unwrap();
        }
        let new = |id: &str| NewChallenge {
            challenge_id: id.into(),
            source: ChallengeSource::Curated,
            json: "{}".into(),
            steps: 3,
        };
        store
            .insert_challenges(
                "r1",
                expect(MentorStage::AwaitingChallengeCount),
                &[new("a"), new("b")],
                &RoomChange {
                    stage: Some(MentorStage::FreeConversation),
                    ..Default::default()
                },
                &[],
            )
            .unwrap();
        store
            .set_challenge_steps("r1", 1, &[true, false, true])
            .unwrap();
        store.set_challenge_done("r1", 1, true).unwrap();
        let first_done = store.room_challenge("r1", 1).unwrap().unwrap().done_at;
        store.set_challenge_done("r1", 1, true).unwrap();
        let c = store.room_challenge("r1", 1).unwrap().unwrap();
        assert_eq!(c.steps_done, vec![true, false, true]);
        assert_eq!(
            c.done_at, first_done,
            "marking done again keeps the first time"
        );
        assert!(c.done_at.is_some());
        store.set_challenge_done("r1", 1, false).unwrap();
        assert_eq!(
            store.room_challenge("r1", 1).unwrap().unwrap().done_at,
            None
        );
        let all = store.room_challenges("r1").unwrap();
        assert_eq!(
            all.iter()
                .map(|c| c.challenge_id.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(store.room_challenge("r1", 2).unwrap().is_none());
    }
}

//! Level tests of a room: at most one awaiting answers, then graded.

use rusqlite::{OptionalExtension, params};

use super::{Expect, NOW, NewMessage, RoomChange, advance, check_stage, level_to_sql};
use crate::mentor::dto::{AiMessage, MentorLevel};
use crate::store::Store;
use crate::{Error, Result};

impl Store {
    /// The room's level test awaiting answers: (test id, test JSON).
    pub(crate) fn open_level_test(&self, room_id: &str) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, test_json FROM level_tests WHERE room_id = ?1 AND submitted_at IS NULL",
                [room_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// Stores a drawn test unless one already awaits answers (then that one
    /// stays), while the room is at `expect.stage`; returns the open test.
    pub(crate) fn insert_level_test(
        &mut self,
        room_id: &str,
        expect: Expect,
        hobby: &str,
        seed: u64,
        test_json: &str,
    ) -> Result<(i64, String)> {
        let tx = self.conn.transaction()?;
        check_stage(&tx, room_id, expect)?;
        tx.execute(
            "INSERT OR IGNORE INTO level_tests (room_id, hobby, seed, test_json)
             VALUES (?1, ?2, ?3, ?4)",
            // SQLite integers are signed; the seed's bits are kept as they are.
            params![room_id, hobby, seed as i64, test_json],
        )?;
        let open = tx.query_row(
            "SELECT id, test_json FROM level_tests WHERE room_id = ?1 AND submitted_at IS NULL",
            [room_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        tx.commit()?;
        Ok(open)
    }

    /// A level test of a room: (test JSON, answers JSON once submitted).
    pub(crate) fn level_test_record(
        &self,
        room_id: &str,
        test_id: i64,
    ) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT test_json, answers_json FROM level_tests WHERE id = ?1 AND room_id = ?2",
                params![test_id, room_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// Stores the performance part's accuracy (from `take_id`) with a
    /// submitted test and appends the mentor's messages, in one transaction.
    pub(crate) fn attach_level_performance(
        &mut self,
        room_id: &str,
        test_id: i64,
        take_id: &str,
        accuracy: f64,
        messages: &[NewMessage],
    ) -> Result<Vec<AiMessage>> {
        let tx = self.conn.transaction()?;
        let updated = tx.execute(
            "UPDATE level_tests SET performance_accuracy = ?1, performance_take_id = ?2
             WHERE id = ?3 AND room_id = ?4 AND submitted_at IS NOT NULL",
            params![accuracy, take_id, test_id, room_id],
        )?;
        if updated != 1 {
            return Err(Error::WrongStage {
                action: "add the performance part to the level test",
                stage: "the written part is not submitted yet",
            });
        }
        let added = messages
            .iter()
            .map(|m| super::insert_message(&tx, room_id, m))
            .collect::<Result<Vec<_>>>()?;
        tx.commit()?;
        Ok(added)
    }

    /// Records a graded test and advances the room, in one transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn submit_level_test(
        &mut self,
        room_id: &str,
        expect: Expect,
        test_id: i64,
        answers_json: &str,
        score: u32,
        level: MentorLevel,
        change: &RoomChange,
        messages: &[NewMessage],
    ) -> Result<Vec<AiMessage>> {
        let tx = self.conn.transaction()?;
        check_stage(&tx, room_id, expect)?;
        let updated = tx.execute(
            &format!(
                "UPDATE level_tests SET answers_json = ?1, score = ?2, level = ?3, submitted_at = {NOW}
                 WHERE id = ?4 AND room_id = ?5 AND submitted_at IS NULL"
            ),
            params![answers_json, score, level_to_sql(level), test_id, room_id],
        )?;
        if updated != 1 {
            return Err(Error::WrongStage {
                action: expect.action,
                stage: "the level test was already submitted",
            });
        }
        let added = advance(&tx, room_id, expect, change, messages)?;
        tx.commit()?;
        Ok(added)
    }
}

#[cfg(test)]
mod tests {
    use super::super::RoomChange;
    use super::super::tests::{expect, store_with_room};
    use crate::mentor::dto::{MentorLevel, MentorStage};

    #[test]
    fn only_one_open_level_test_per_room() {
        let mut store = store_with_room();
        let change = RoomChange {
            stage: Some(MentorStage::LevelTest),
            ..Default::default()
        };
        store
            .mentor_advance("r1", expect(MentorStage::AwaitingHobby), &change, &[])
            .unwrap();
        let first = store
            .insert_level_test(
                "r1",
                expect(MentorStage::LevelTest),
                "guitar",
                1,
                "{\"a\":1}",
            )
            .unwrap();
        let second = store
            .insert_level_test(
                "r1",
                expect(MentorStage::LevelTest),
                "guitar",
                2,
                "{\"a\":2}",
            )
            .unwrap();
        assert_eq!(first, second, "the open test is kept, not redrawn");
        assert_eq!(store.open_level_test("r1").unwrap(), Some(first.clone()));
        store
            .submit_level_test(
                "r1",
                expect(MentorStage::LevelTest),
                first.0,
                "[0,0,0,0,0]",
                2,
                MentorLevel::Intermediate,
                &RoomChange {
                    stage: Some(MentorStage::AwaitingChallengeCount),
                    level: Some(MentorLevel::Intermediate),
                    ..Default::default()
                },
                &[],
            )
            .unwrap();
        assert_eq!(store.open_level_test("r1").unwrap(), None);
        let room = store.mentor_room("r1").unwrap().unwrap();
        assert_eq!(room.level, Some(MentorLevel::Intermediate));
    }
}

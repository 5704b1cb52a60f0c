//! The performance part of a room's level test (instruments and singing).
//!
//! Practice makes a target from the part ([`Tutti::practice_target_from_level_test`]),
//! the learner records or imports a take graded against it, and
//! [`Tutti::level_test_performance_attach`] adds that take's accuracy to the
//! level test (`tutti_mentor::LevelResult::with_performance`). The level stays
//! the written part's; the room shows both.

use super::dto::{LevelPerformanceResult, MentorTurn};
use super::flow;
use super::level::{corrupt, parse_test};
use crate::{Error, Result, Tutti};

impl Tutti {
    /// Adds a take graded against this room's performance target to the
    /// room's (submitted) level test: its total score / 100 becomes the
    /// performance accuracy, and the mentor says how it went. An unknown room
    /// or take is `not_found`; a take not graded against this room's
    /// performance part is `invalid_input`; an ungraded take or a test whose
    /// written part is not submitted is `wrong_stage`. Errors change nothing.
    /// Attaching again replaces the accuracy.
    pub fn level_test_performance_attach(
        &self,
        room_id: &str,
        take_id: &str,
    ) -> Result<LevelPerformanceResult> {
        let lang = self.mentor_lang()?;
        let mut store = self.store();
        let room = store.mentor_room_required(room_id)?;
        let take = store
            .practice_take(take_id)?
            .ok_or_else(|| Error::NotFound {
                what: "take",
                field: "takeId",
                id: take_id.to_owned(),
            })?;
        let grade = take.grade.as_ref().ok_or(Error::WrongStage {
            action: "add a take to the level test",
            stage: "the take is not graded yet",
        })?;
        let not_this_part = || {
            Error::invalid(
                "takeId",
                "the take was not graded against this room's performance part \
                 (make that target from the room's level test and grade the take against it)",
            )
        };
        let target_id = grade.target_id.as_deref().ok_or_else(not_this_part)?;
        let target = store
            .practice_target(target_id)?
            .ok_or_else(not_this_part)?;
        let (test_id, target_room) = target.level_test.ok_or_else(not_this_part)?;
        if target_room != room_id {
            return Err(not_this_part());
        }
        let (test_json, answers_json) = store
            .level_test_record(room_id, test_id)?
            .ok_or_else(not_this_part)?;
        let answers_json = answers_json.ok_or(Error::WrongStage {
            action: "add the performance part to the level test",
            stage: "the written part is not submitted yet",
        })?;
        let test = parse_test(room_id, &test_json)?;
        let answers: Vec<usize> =
            serde_json::from_str(&answers_json).map_err(|e| Error::CorruptRecord {
                what: "level test answers of room",
                id: room_id.to_owned(),
                reason: e.to_string(),
            })?;
        let scored: tutti_score::Grade =
            serde_json::from_str(&grade.grade_json).map_err(|e| Error::CorruptRecord {
                what: "take",
                id: take_id.to_owned(),
                reason: e.to_string(),
            })?;
        let accuracy = (scored.total_score / 100.0).clamp(0.0, 1.0) as f32;
        let result = tutti_mentor::grade_test(&test, &answers)
            .and_then(|r| r.with_performance(accuracy))
            .map_err(|e| corrupt(room_id, &e))?;
        let accuracy = f64::from(result.performance_accuracy.unwrap_or(accuracy));
        let percent = (accuracy * 100.0).round() as u32;
        let message = flow::after_performance(percent, &grade.target_title, room.level, lang);
        let messages =
            store.attach_level_performance(room_id, test_id, take_id, accuracy, &[message])?;
        tracing::info!(room = %room_id, take = %take_id, percent, "performance part added");
        Ok(LevelPerformanceResult {
            take_id: take_id.to_owned(),
            percent,
            turn: MentorTurn {
                room: store.mentor_room_required(room_id)?,
                messages,
            },
        })
    }
}

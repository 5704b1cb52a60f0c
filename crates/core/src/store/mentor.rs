//! AI mentor rooms, their messages, level tests, challenge progress and the AI
//! provider settings. Every write that touches more than one row runs in one
//! transaction and re-checks the room's stage inside it, so a rejected or
//! racing action changes nothing.
//!
//! This file holds rooms and messages; `level_tests`, `challenges` and
//! `provider` hold the rest.

mod challenges;
mod level_tests;
mod provider;

pub(crate) use challenges::{ChallengeRecord, NewChallenge};

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::Store;
use crate::mentor::dto::{
    AiMessage, MentorCard, MentorLevel, MentorRoom, MentorStage, MessageRole,
};
use crate::{Error, Result};

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A message about to be appended to a room.
#[derive(Debug, Clone)]
pub(crate) struct NewMessage {
    pub role: MessageRole,
    pub text: String,
    pub card: Option<MentorCard>,
    pub model: Option<String>,
}

/// What an action changes on the room row (absent fields stay).
#[derive(Debug, Clone, Default)]
pub(crate) struct RoomChange {
    pub stage: Option<MentorStage>,
    pub title: Option<String>,
    /// Hobby id (or `other`) and the learner's words for it.
    pub hobby: Option<(String, Option<String>)>,
    pub level: Option<MentorLevel>,
}

/// The stage an action needs, and its name for the error message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expect {
    pub stage: MentorStage,
    pub action: &'static str,
}

const ROOM_COLUMNS: &str =
    "r.id, r.title, r.stage, r.hobby, r.hobby_mention, r.level, r.created_at, r.updated_at,
     (SELECT m.body FROM ai_messages m WHERE m.room_id = r.id ORDER BY m.id DESC LIMIT 1),
     (SELECT lt.performance_accuracy FROM level_tests lt WHERE lt.room_id = r.id
      ORDER BY lt.id DESC LIMIT 1),
     (SELECT json_extract(lt.test_json, '$.performance.kind') = 'pitched' FROM level_tests lt
      WHERE lt.room_id = r.id ORDER BY lt.id DESC LIMIT 1)";

impl Store {
    /// Creates a room with its first (greeting) message.
    pub(crate) fn insert_mentor_room(
        &mut self,
        id: &str,
        title: &str,
        greeting: &NewMessage,
    ) -> Result<AiMessage> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO ai_rooms (id, title, stage) VALUES (?1, ?2, ?3)",
            params![id, title, stage_to_sql(MentorStage::AwaitingHobby)],
        )?;
        let message = insert_message(&tx, id, greeting)?;
        tx.commit()?;
        Ok(message)
    }

    /// One room, with the text of its newest message.
    pub(crate) fn mentor_room(&self, id: &str) -> Result<Option<MentorRoom>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ROOM_COLUMNS} FROM ai_rooms r WHERE r.id = ?1"
            ))?
            .query_row([id], room_from_row)
            .optional()?)
    }

    /// Like [`Store::mentor_room`], but an unknown id is an error naming `roomId`.
    pub(crate) fn mentor_room_required(&self, id: &str) -> Result<MentorRoom> {
        self.mentor_room(id)?.ok_or_else(|| unknown_room(id))
    }

    /// Every room, most recently active first.
    pub(crate) fn mentor_rooms(&self) -> Result<Vec<MentorRoom>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ROOM_COLUMNS} FROM ai_rooms r ORDER BY r.updated_at DESC, r.rowid DESC"
        ))?;
        let rooms = stmt
            .query_map([], room_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rooms)
    }

    /// A room's whole history, oldest first.
    pub(crate) fn mentor_messages(&self, room_id: &str) -> Result<Vec<AiMessage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, role, body, card, model, created_at FROM ai_messages
             WHERE room_id = ?1 ORDER BY id",
        )?;
        let messages = stmt
            .query_map([room_id], message_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(messages)
    }

    /// The newest `limit` messages of a room, oldest first.
    pub(crate) fn mentor_recent_messages(
        &self,
        room_id: &str,
        limit: usize,
    ) -> Result<Vec<AiMessage>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, role, body, card, model, created_at FROM ai_messages
             WHERE room_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let mut messages: Vec<AiMessage> = stmt
            .query_map(
                params![room_id, i64::try_from(limit).unwrap_or(i64::MAX)],
                message_from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        messages.reverse();
        Ok(messages)
    }

    /// Appends messages and applies `change`, only if the room is at
    /// `expect.stage`; returns the new messages.
    pub(crate) fn mentor_advance(
        &mut self,
        room_id: &str,
        expect: Expect,
        change: &RoomChange,
        messages: &[NewMessage],
    ) -> Result<Vec<AiMessage>> {
        let tx = self.conn.transaction()?;
        let added = advance(&tx, room_id, expect, change, messages)?;
        tx.commit()?;
        Ok(added)
    }
}

fn unknown_room(id: &str) -> Error {
    Error::NotFound {
        what: "AI mentor room",
        field: "roomId",
        id: id.to_owned(),
    }
}

/// Fails unless the room exists and is at `expect.stage`.
fn check_stage(tx: &Transaction<'_>, room_id: &str, expect: Expect) -> Result<()> {
    let stage: Option<String> = tx
        .query_row("SELECT stage FROM ai_rooms WHERE id = ?1", [room_id], |r| {
            r.get(0)
        })
        .optional()?;
    let stage = stage.ok_or_else(|| unknown_room(room_id))?;
    if stage == stage_to_sql(expect.stage) {
        Ok(())
    } else {
        Err(Error::WrongStage {
            action: expect.action,
            stage: stage_from_sql(&stage).map_or("unknown", stage_to_sql),
        })
    }
}

fn advance(
    tx: &Transaction<'_>,
    room_id: &str,
    expect: Expect,
    change: &RoomChange,
    messages: &[NewMessage],
) -> Result<Vec<AiMessage>> {
    check_stage(tx, room_id, expect)?;
    let (hobby, mention) = match &change.hobby {
        Some((hobby, mention)) => (Some(hobby.as_str()), mention.as_deref()),
        None => (None, None),
    };
    tx.execute(
        &format!(
            "UPDATE ai_rooms SET
                stage = coalesce(?2, stage),
                title = coalesce(?3, title),
                hobby_mention = CASE WHEN ?4 IS NULL THEN hobby_mention ELSE ?5 END,
                hobby = coalesce(?4, hobby),
                level = coalesce(?6, level),
                updated_at = {NOW}
             WHERE id = ?1"
        ),
        params![
            room_id,
            change.stage.map(stage_to_sql),
            change.title,
            hobby,
            mention,
            change.level.map(level_to_sql),
        ],
    )?;
    messages
        .iter()
        .map(|m| insert_message(tx, room_id, m))
        .collect()
}

fn insert_message(tx: &Transaction<'_>, room_id: &str, m: &NewMessage) -> Result<AiMessage> {
    let card = m
        .card
        .as_ref()
        .map(|c| serde_json::to_string(c).expect("cards serialise to JSON"));
    let (id, created_at): (i64, String) = tx.query_row(
        "INSERT INTO ai_messages (room_id, role, kind, body, card, model)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id, created_at",
        params![
            room_id,
            role_to_sql(m.role),
            m.card.as_ref().map_or("text", card_kind),
            m.text,
            card,
            m.model
        ],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    // Keep the room's activity time in step with its newest message.
    tx.execute(
        &format!("UPDATE ai_rooms SET updated_at = {NOW} WHERE id = ?1"),
        [room_id],
    )?;
    Ok(AiMessage {
        id,
        role: m.role,
        text: m.text.clone(),
        card: m.card.clone(),
        model: m.model.clone(),
        created_at,
    })
}

fn room_from_row(row: &Row<'_>) -> rusqlite::Result<MentorRoom> {
    let stage: String = row.get(2)?;
    let level: Option<String> = row.get(5)?;
    Ok(MentorRoom {
        id: row.get(0)?,
        title: row.get(1)?,
        // CHECK constraints allow only the known values.
        stage: stage_from_sql(&stage).unwrap_or(MentorStage::AwaitingHobby),
        hobby: row.get(3)?,
        hobby_mention: row.get(4)?,
        level: level.as_deref().and_then(level_from_sql),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
        last_message: row.get(8)?,
        performance_percent: row
            .get::<_, Option<f64>>(9)?
            .map(|a| (a * 100.0).round().clamp(0.0, 100.0) as u32),
        performance_part: row.get::<_, Option<bool>>(10)?.unwrap_or(false),
    })
}

fn message_from_row(row: &Row<'_>) -> rusqlite::Result<AiMessage> {
    let id: i64 = row.get(0)?;
    // Borrowed reads: this runs once per message when a long history loads.
    let learner = row.get_ref(1)?.as_str()? == "learner";
    let card = match row.get_ref(3)?.as_str_or_null()? {
        None => None,
        Some(json) => match serde_json::from_str(json) {
            Ok(card) => Some(card),
            Err(e) => {
                // A card this version cannot read still shows as its text.
                tracing::warn!(message_id = id, "unreadable mentor card: {e}");
                None
            }
        },
    };
    Ok(AiMessage {
        id,
        role: if learner {
            MessageRole::Learner
        } else {
            MessageRole::Mentor
        },
        text: row.get(2)?,
        card,
        model: row.get(4)?,
        created_at: row.get(5)?,
    })
}

pub(crate) fn stage_to_sql(stage: MentorStage) -> &'static str {
    match stage {
        MentorStage::AwaitingHobby => "awaiting_hobby",
        MentorStage::LevelTest => "level_test",
        MentorStage::AwaitingChallengeCount => "awaiting_challenge_count",
        MentorStage::FreeConversation => "free_conversation",
    }
}

fn stage_from_sql(s: &str) -> Option<MentorStage> {
    Some(match s {
        "awaiting_hobby" => MentorStage::AwaitingHobby,
        "level_test" => MentorStage::LevelTest,
        "awaiting_challenge_count" => MentorStage::AwaitingChallengeCount,
        "free_conversation" => MentorStage::FreeConversation,
        _ => return None,
    })
}

fn level_to_sql(level: MentorLevel) -> &'static str {
    match level {
        MentorLevel::Beginner => "beginner",
        MentorLevel::Intermediate => "intermediate",
        MentorLevel::Advanced => "advanced",
    }
}

fn level_from_sql(s: &str) -> Option<MentorLevel> {
    Some(match s {
        "beginner" => MentorLevel::Beginner,
        "intermediate" => MentorLevel::Intermediate,
        "advanced" => MentorLevel::Advanced,
        _ => return None,
    })
}

fn role_to_sql(role: MessageRole) -> &'static str {
    match role {
        MessageRole::Mentor => "mentor",
        MessageRole::Learner => "learner",
    }
}

fn card_kind(card: &MentorCard) -> &'static str {
    match card {
        MentorCard::LevelTestOffer { .. } => "level_test_offer",
        MentorCard::LevelResult { .. } => "level_result",
        MentorCard::ChallengeCountPrompt { .. } => "challenge_count_prompt",
        MentorCard::ChallengesReady { .. } => "challenges_ready",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn text(role: MessageRole, s: &str) -> NewMessage {
        NewMessage {
            role,
            text: s.to_owned(),
            card: None,
            model: None,
        }
    }

    pub(super) fn expect(stage: MentorStage) -> Expect {
        Expect {
            stage,
            action: "test",
        }
    }

    pub(super) fn store_with_room() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store
            .insert_mentor_room("r1", "AI 멘토", &text(MessageRole::Mentor, "안녕하세요"))
            .unwrap();
        store
    }

    #[test]
    fn room_starts_awaiting_the_hobby_with_its_greeting() {
        let store = store_with_room();
        let room = store.mentor_room("r1").unwrap().unwrap();
        assert_eq!(room.stage, MentorStage::AwaitingHobby);
        assert_eq!(room.last_message.as_deref(), Some("안녕하세요"));
        assert_eq!(store.mentor_messages("r1").unwrap().len(), 1);
        assert!(store.mentor_room("nope").unwrap().is_none());
    }

    #[test]
    fn advance_at_the_wrong_stage_changes_nothing() {
        let mut store = store_with_room();
        let change = RoomChange {
            stage: Some(MentorStage::LevelTest),
            ..Default::default()
        };
        let err = store
            .mentor_advance(
                "r1",
                expect(MentorStage::FreeConversation),
                &change,
                &[text(MessageRole::Learner, "hi")],
            )
            .unwrap_err();
        assert_eq!(err.code(), "wrong_stage");
        assert_eq!(store.mentor_messages("r1").unwrap().len(), 1);
        let err = store
            .mentor_advance("nope", expect(MentorStage::AwaitingHobby), &change, &[])
            .unwrap_err();
        assert_eq!(err.code(), "not_found");
        assert!(err.to_string().contains("roomId"), "{err}");
    }

    #[test]
    fn advance_sets_hobby_title_stage_and_appends_in_order() {
        let mut store = store_with_room();
        let change = RoomChange {
            stage: Some(MentorStage::LevelTest),
            title: Some("기타 AI 멘토".into()),
            hobby: Some(("guitar".into(), Some("기타".into()))),
            level: None,
        };
        let added = store
            .mentor_advance(
                "r1",
                expect(MentorStage::AwaitingHobby),
                &change,
                &[
                    text(MessageRole::Learner, "기타요"),
                    NewMessage {
                        card: Some(MentorCard::LevelTestOffer {
                            hobby: "guitar".into(),
                            question_count: 5,
                        }),
                        ..text(MessageRole::Mentor, "레벨 테스트?")
                    },
                ],
            )
            .unwrap();
        assert!(added[0].id < added[1].id);
        let room = store.mentor_room("r1").unwrap().unwrap();
        assert_eq!(room.title, "기타 AI 멘토");
        assert_eq!(room.hobby.as_deref(), Some("guitar"));
        assert_eq!(room.hobby_mention.as_deref(), Some("기타"));
        let all = store.mentor_messages("r1").unwrap();
        assert_eq!(all.len(), 3);
        assert!(matches!(
            all[2].card,
            Some(MentorCard::LevelTestOffer { .. })
        ));
        let recent = store.mentor_recent_messages("r1", 2).unwrap();
        assert_eq!(recent, all[1..].to_vec(), "newest two, oldest first");
    }
}

//! Rooms and the offline turn: create, list, open, and a learner's message in
//! the scripted part of the flow.

use super::dto::{MentorRoom, MentorRoomDetail, MentorStage, MentorTurn};
use super::{challenges, flow};
use crate::store::mentor::Expect;
use crate::{Error, Result, Tutti};

/// Longest learner message accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Trims a learner message and checks it; the error names the field `text`.
pub(crate) fn validate_text(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("text", "must not be empty"));
    }
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(Error::invalid(
            "text",
            format!("must be at most {MAX_MESSAGE_CHARS} characters (got {chars})"),
        ));
    }
    Ok(text)
}

impl Tutti {
    /// The mentor's language: the UI language of the settings.
    pub(crate) fn mentor_lang(&self) -> Result<tutti_mentor::Lang> {
        Ok(flow::lang(self.store().settings()?.language))
    }

    /// Starts a new AI mentor conversation: the mentor greets and asks what
    /// the learner wants to learn.
    pub fn mentor_room_create(&self) -> Result<MentorRoomDetail> {
        let lang = self.mentor_lang()?;
        let id = uuid::Uuid::new_v4().to_string();
        let greeting = flow::mentor_says(flow::greeting(lang), None);
        let mut store = self.store();
        store.insert_mentor_room(&id, flow::initial_title(lang), &greeting)?;
        tracing::info!(room = %id, "AI mentor room created");
        Ok(MentorRoomDetail {
            room: store.mentor_room_required(&id)?,
            messages: store.mentor_messages(&id)?,
            challenges: Vec::new(),
        })
    }

    /// Every AI mentor room, most recently active first.
    pub fn mentor_rooms(&self) -> Result<Vec<MentorRoom>> {
        self.store().mentor_rooms()
    }

    /// A room with its whole history in order and its challenges.
    pub fn mentor_room(&self, room_id: &str) -> Result<MentorRoomDetail> {
        let store = self.store();
        let room = store.mentor_room_required(room_id)?;
        let messages = store.mentor_messages(room_id)?;
        let challenges = store
            .room_challenges(room_id)?
            .iter()
            .map(challenges::summary)
            .collect::<Result<_>>()?;
        Ok(MentorRoomDetail {
            room,
            messages,
            challenges,
        })
    }

    /// The learner writes in the scripted part of the flow (no AI provider
    /// needed): naming a hobby stores it, retitles the room and offers the
    /// level test; otherwise the mentor asks again or points at the next step.
    /// In free conversation use [`Tutti::mentor_chat`].
    pub fn mentor_send(&self, room_id: &str, text: &str) -> Result<MentorTurn> {
        let text = validate_text(text)?;
        let lang = self.mentor_lang()?;
        let mut store = self.store();
        let room = store.mentor_room_required(room_id)?;
        let step = flow::on_learner_text(room.stage, room.hobby.as_deref(), text, lang).ok_or(
            Error::WrongStage {
                action: "send to the scripted mentor (free conversation goes through mentor_chat)",
                stage: crate::store::mentor::stage_to_sql(room.stage),
            },
        )?;
        let expect = Expect {
            stage: room.stage,
            action: "send a message",
        };
        let messages = store.mentor_advance(room_id, expect, &step.change, &step.messages)?;
        if room.stage == MentorStage::AwaitingHobby && step.change.hobby.is_some() {
            tracing::info!(room = %room_id, hobby = ?step.change.hobby.as_ref().map(|h| &h.0), "hobby found");
        }
        Ok(MentorTurn {
            room: store.mentor_room_required(room_id)?,
            messages,
        })
    }
}

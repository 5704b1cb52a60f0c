//! Free conversation with the LLM, after the challenges are given. The model
//! gets a system prompt that knows the hobby, the level and the current
//! challenge, then the room's recent history; the reply streams token by
//! token. Only a completed reply is stored (with the learner's message, in one
//! transaction); a cancelled or failed one leaves the room as it was.

use tutti_llm::{CancellationToken, ChatMessage, LlmError};
use tutti_mentor::{Challenge, HobbyLabel, Lang};

use super::challenges::hobby_name;
use super::dto::{AiMessage, MentorRoom, MentorStage, MentorTurn, MessageRole};
use super::flow;
use super::room::validate_text;
use crate::store::mentor::{Expect, NewMessage, RoomChange};
use crate::{Error, Result, Tutti};

/// How many of the newest messages the model sees.
pub const HISTORY_MESSAGES: usize = 40;

const CHAT: Expect = Expect {
    stage: MentorStage::FreeConversation,
    action: "talk freely (the challenges come first)",
};

impl Tutti {
    /// The learner's free-conversation message: streams the mentor's reply
    /// through `on_token` and stores both once the reply is complete. Needs an
    /// AI provider (`llm_not_configured` otherwise); `cancel` stops the reply
    /// (`llm_cancelled`) and nothing is stored.
    pub async fn mentor_chat(
        &self,
        room_id: &str,
        text: &str,
        cancel: &CancellationToken,
        on_token: impl FnMut(&str) + Send,
    ) -> Result<MentorTurn> {
        let text = validate_text(text)?;
        let (room, history, current) = {
            let store = self.store();
            let room = store.mentor_room_required(room_id)?;
            if room.stage != CHAT.stage {
                return Err(Error::WrongStage {
                    action: CHAT.action,
                    stage: crate::store::mentor::stage_to_sql(room.stage),
                });
            }
            let history = store.mentor_recent_messages(room_id, HISTORY_MESSAGES)?;
            let challenges = store.room_challenges(room_id)?;
            // The first challenge not yet done is the one being worked on.
            let current = challenges
                .iter()
                .find(|c| c.done_at.is_none())
                .or(challenges.last())
                .and_then(|c| {
                    let parsed: Challenge = serde_json::from_str(&c.json).ok()?;
                    Some((parsed, c.steps_done.clone()))
                });
            (room, history, current)
        };
        let lang = self.mentor_lang()?;
        let client = self.llm_client()?;
        let mut messages = vec![ChatMessage::system(system_prompt(
            &room,
            current.as_ref().map(|(c, s)| (c, s.as_slice())),
            lang,
        ))];
        messages.extend(history.iter().map(|m| match m.role {
            MessageRole::Learner => ChatMessage::user(&m.text),
            MessageRole::Mentor => ChatMessage::assistant(&m.text),
        }));
        messages.push(ChatMessage::user(text));

        let completion = client.stream(&messages, cancel, on_token).await?;
        let reply = completion.content.trim();
        if reply.is_empty() {
            return Err(LlmError::Malformed {
                what: "the reply was empty".into(),
            }
            .into());
        }
        let model = completion
            .model
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| client.config().model.clone());
        let new = [
            flow::learner_says(text),
            NewMessage {
                role: MessageRole::Mentor,
                text: reply.to_owned(),
                card: None,
                model: Some(model),
            },
        ];
        let mut store = self.store();
        let added: Vec<AiMessage> =
            store.mentor_advance(room_id, CHAT, &RoomChange::default(), &new)?;
        Ok(MentorTurn {
            room: store.mentor_room_required(room_id)?,
            messages: added,
        })
    }
}

/// What the model is told about the learner before the conversation.
pub(crate) fn system_prompt(
    room: &MentorRoom,
    current: Option<(&Challenge, &[bool])>,
    lang: Lang,
) -> String {
    let hobby = room
        .hobby
        .as_deref()
        .and_then(|h| HobbyLabel::parse(h).ok())
        .map(|label| hobby_name(room, label, Lang::En))
        .unwrap_or_else(|| "a hobby".to_owned());
    let mut prompt = format!(
        "You are Tutti's AI mentor, a warm and practical coach for someone learning {hobby}."
    );
    if let Some(level) = room.level {
        let label = flow::level_of(level).label(Lang::En);
        prompt.push_str(&format!(
            " The learner's level is {label} (from a level test)."
        ));
    }
    if let Some((c, done)) = current {
        prompt.push_str(&format!(
            "\n\nThe challenge they are working on: \"{}\" (difficulty {}/10, about {} minutes).\nSteps:",
            c.title.en, c.difficulty, c.minutes
        ));
        for (i, step) in c.steps.iter().enumerate() {
            let mark = if done.get(i).copied().unwrap_or(false) {
                "done"
            } else {
                "to do"
            };
            prompt.push_str(&format!("\n{}. [{mark}] {}", i + 1, step.en));
        }
        let list = |items: &[tutti_mentor::Text]| {
            items
                .iter()
                .map(|t| t.en.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !c.materials.is_empty() {
            prompt.push_str(&format!("\nMaterials: {}", list(&c.materials)));
        }
        prompt.push_str(&format!("\nTools: {}", list(&c.tools)));
        prompt.push_str(&format!("\nMethod: {}", c.method.en));
    }
    let language = match lang {
        Lang::Ko => "Korean",
        Lang::En => "English",
    };
    prompt.push_str(&format!(
        "\n\nAnswer in {language} unless the learner writes in another language. Keep answers short \
         and concrete — a few sentences or a short list — and suited to their level. Say so when \
         you are not sure."
    ));
    prompt
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentor::dto::MentorLevel;

    fn room() -> MentorRoom {
        MentorRoom {
            id: "r".into(),
            title: "기타 AI 멘토".into(),
            stage: MentorStage::FreeConversation,
            hobby: Some("guitar".into()),
            hobby_mention: Some("기타".into()),
            level: Some(MentorLevel::Intermediate),
            last_message: None,
            performance_percent: None,
            performance_part: false,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn prompt_knows_hobby_level_and_current_challenge() {
        let challenge = tutti_mentor::challenges_for(
            tutti_mentor::HobbyId::parse("guitar").unwrap(),
            tutti_mentor::Level::Intermediate,
            1,
        )
        .remove(0);
        let mut done = vec![false; challenge.steps.len()];
        done[0] = true;
        let prompt = system_prompt(&room(), Some((&challenge, &done)), Lang::Ko);
        assert!(prompt.contains("learning guitar"), "{prompt}");
        assert!(prompt.contains("intermediate"), "{prompt}");
        assert!(prompt.contains(&challenge.title.en), "{prompt}");
        assert!(prompt.contains("1. [done]"), "{prompt}");
        assert!(prompt.contains("2. [to do]"), "{prompt}");
        assert!(prompt.contains("Answer in Korean"), "{prompt}");
    }

    #[test]
    fn other_hobbies_use_the_learners_words() {
        let mut r = room();
        r.hobby = Some("other".into());
        r.hobby_mention = Some("마술".into());
        r.level = None;
        let prompt = system_prompt(&r, None, Lang::En);
        assert!(prompt.contains("learning 마술"), "{prompt}");
        assert!(!prompt.contains("challenge they are working on"));
    }
}

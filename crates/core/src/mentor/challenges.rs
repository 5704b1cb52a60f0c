//! Challenges of a room: chosen from the curated plans for the learner's
//! level, or — for hobbies without curated plans — written by the LLM,
//! validated into the same structure and retried when malformed; then the
//! learner's progress (ticked steps, done).

use tutti_llm::{ChatMessage, JsonSchema, LlmClient, LlmError};
use tutti_mentor::{Challenge, HobbyLabel, Lang, challenges_for, curated_challenges, llm_assist};

use super::dto::{
    ChallengeDetail, ChallengeSource, ChallengeStep, ChallengeSummary, ChallengesGiven,
    MentorLevel, MentorRoom, MentorStage, MentorTurn,
};
use super::flow::{self, CHALLENGES_MAX, CHALLENGES_MIN};
use super::level::local;
use crate::store::mentor::{ChallengeRecord, Expect, NewChallenge, RoomChange};
use crate::{Error, Result, Tutti};

/// Attempts at LLM-generated plans before giving up.
pub const GENERATION_ATTEMPTS: usize = 3;

const CHOOSE: Expect = Expect {
    stage: MentorStage::AwaitingChallengeCount,
    action: "choose challenges",
};

impl Tutti {
    /// Gives the room `count` (1..=10) challenges for its hobby and level and
    /// moves it to free conversation. Curated plans need no network; other
    /// hobbies need the AI provider (`llm_not_configured` without one).
    pub async fn challenges_generate(&self, room_id: &str, count: u32) -> Result<ChallengesGiven> {
        if !(CHALLENGES_MIN..=CHALLENGES_MAX).contains(&count) {
            return Err(Error::invalid(
                "count",
                format!("must be between {CHALLENGES_MIN} and {CHALLENGES_MAX}, got {count}"),
            ));
        }
        let lang = self.mentor_lang()?;
        let room = self.store().mentor_room_required(room_id)?;
        if room.stage != CHOOSE.stage {
            return Err(Error::WrongStage {
                action: CHOOSE.action,
                stage: crate::store::mentor::stage_to_sql(room.stage),
            });
        }
        let (label, level) = hobby_and_level(&room)?;
        let curated = match label {
            HobbyLabel::Known(id) if curated_challenges(id).is_some() => Some(id),
            _ => None,
        };
        let name = hobby_name(&room, label, lang);
        let (list, source) = match curated {
            Some(id) => (
                challenges_for(id, flow::level_of(level), count as usize),
                ChallengeSource::Curated,
            ),
            None => {
                let client = self.llm_client()?;
                let prefix = format!("gen-{}", &room.id[..8.min(room.id.len())]);
                let list = generate(&client, &room, label, level, count, &prefix).await?;
                (list, ChallengeSource::Generated)
            }
        };
        let new: Vec<NewChallenge> = list
            .iter()
            .map(|c| NewChallenge {
                challenge_id: c.id.clone(),
                source,
                json: serde_json::to_string(c).expect("a challenge is JSON"),
                steps: c.steps.len(),
            })
            .collect();
        let given = list.len() as u32;
        let message = flow::challenges_ready(given, count, level, &name, lang);
        let change = RoomChange {
            stage: Some(MentorStage::FreeConversation),
            ..Default::default()
        };
        let mut store = self.store();
        let added = store.insert_challenges(room_id, CHOOSE, &new, &change, &[message])?;
        tracing::info!(room = %room_id, given, ?source, "challenges given");
        let challenges = store
            .room_challenges(room_id)?
            .iter()
            .map(summary)
            .collect::<Result<_>>()?;
        Ok(ChallengesGiven {
            challenges,
            turn: MentorTurn {
                room: store.mentor_room_required(room_id)?,
                messages: added,
            },
        })
    }

    /// One challenge of the room in full, with progress. `position` counts
    /// from 0 in the room's list.
    pub fn challenge_get(&self, room_id: &str, position: u32) -> Result<ChallengeDetail> {
        let store = self.store();
        let record = find(&store, room_id, position)?;
        detail(&record)
    }

    /// Ticks (or unticks) step `step` (from 0) of a challenge.
    pub fn challenge_step_set(
        &self,
        room_id: &str,
        position: u32,
        step: u32,
        done: bool,
    ) -> Result<ChallengeDetail> {
        let mut store = self.store();
        let record = find(&store, room_id, position)?;
        let challenge = parse(&record)?;
        let total = challenge.steps.len();
        if step as usize >= total {
            return Err(Error::invalid(
                "step",
                format!("challenge {position} has {total} steps (0..{total}), got {step}"),
            ));
        }
        let mut steps = record.steps_done.clone();
        steps.resize(total, false);
        steps[step as usize] = done;
        store.set_challenge_steps(room_id, position, &steps)?;
        detail(&find(&store, room_id, position)?)
    }

    /// Marks a challenge done or not done.
    pub fn challenge_done_set(
        &self,
        room_id: &str,
        position: u32,
        done: bool,
    ) -> Result<ChallengeDetail> {
        let mut store = self.store();
        find(&store, room_id, position)?;
        store.set_challenge_done(room_id, position, done)?;
        detail(&find(&store, room_id, position)?)
    }
}

fn find(store: &crate::store::Store, room_id: &str, position: u32) -> Result<ChallengeRecord> {
    store.mentor_room_required(room_id)?;
    match store.room_challenge(room_id, position)? {
        Some(record) => Ok(record),
        None => {
            let count = store.room_challenges(room_id)?.len();
            Err(Error::invalid(
                "position",
                format!("the room has {count} challenges (0..{count}), got {position}"),
            ))
        }
    }
}

fn hobby_and_level(room: &MentorRoom) -> Result<(HobbyLabel, MentorLevel)> {
    let label = room
        .hobby
        .as_deref()
        .and_then(|h| HobbyLabel::parse(h).ok());
    match (label, room.level) {
        (Some(label), Some(level)) => Ok((label, level)),
        _ => Err(Error::CorruptRecord {
            what: "AI mentor room",
            id: room.id.clone(),
            reason: "choosing challenges needs a hobby and a level".into(),
        }),
    }
}

/// "기타" / "guitar", or the learner's words for a hobby outside the taxonomy.
pub(crate) fn hobby_name(room: &MentorRoom, label: HobbyLabel, lang: Lang) -> String {
    match label {
        HobbyLabel::Known(id) => id.name(lang).to_owned(),
        HobbyLabel::Other => room
            .hobby_mention
            .clone()
            .unwrap_or_else(|| "other".to_owned()),
    }
}

fn parse(record: &ChallengeRecord) -> Result<Challenge> {
    serde_json::from_str(&record.json).map_err(|e| Error::CorruptRecord {
        what: "challenge",
        id: record.challenge_id.clone(),
        reason: e.to_string(),
    })
}

fn steps_done(record: &ChallengeRecord, total: usize) -> Vec<bool> {
    let mut steps = record.steps_done.clone();
    steps.resize(total, false);
    steps
}

pub(crate) fn summary(record: &ChallengeRecord) -> Result<ChallengeSummary> {
    let c = parse(record)?;
    let steps = steps_done(record, c.steps.len());
    Ok(ChallengeSummary {
        position: record.position,
        id: c.id,
        difficulty: u32::from(c.difficulty),
        title: local(&c.title),
        minutes: c.minutes,
        steps_done: steps.iter().filter(|d| **d).count() as u32,
        steps_total: steps.len() as u32,
        done: record.done_at.is_some(),
    })
}

pub(crate) fn detail(record: &ChallengeRecord) -> Result<ChallengeDetail> {
    let c = parse(record)?;
    let steps = steps_done(record, c.steps.len());
    Ok(ChallengeDetail {
        position: record.position,
        id: c.id,
        source: record.source,
        difficulty: u32::from(c.difficulty),
        title: local(&c.title),
        steps: c
            .steps
            .iter()
            .zip(steps)
            .map(|(text, done)| ChallengeStep {
                text: local(text),
                done,
            })
            .collect(),
        materials: c.materials.iter().map(local).collect(),
        tools: c.tools.iter().map(local).collect(),
        method: local(&c.method),
        minutes: c.minutes,
        done: record.done_at.is_some(),
        done_at: record.done_at.clone(),
    })
}

/// Asks the LLM for `count` plans in the challenge schema; a reply that is
/// not JSON, breaks the schema or fails validation is rejected and asked for
/// again, up to [`GENERATION_ATTEMPTS`] times. Other provider errors
/// (unreachable, unauthorized, …) end at once.
async fn generate(
    client: &LlmClient,
    room: &MentorRoom,
    label: HobbyLabel,
    level: MentorLevel,
    count: u32,
    prefix: &str,
) -> Result<Vec<Challenge>> {
    let (ko, en) = match label {
        HobbyLabel::Known(id) => (id.name(Lang::Ko).to_owned(), id.name(Lang::En).to_owned()),
        HobbyLabel::Other => {
            let m = hobby_name(room, label, Lang::Ko);
            (m.clone(), m)
        }
    };
    let level_en = flow::level_of(level).label(Lang::En);
    let messages = [
        ChatMessage::system(
            "You design practice challenges for someone learning a hobby. Answer only with JSON that \
             follows the given schema. Every text has Korean (`ko`) and English (`en`). Order the \
             challenges from easiest to hardest; `difficulty` runs from 1 (first day) to 10. Each \
             challenge has at least 2 concrete steps, its materials or ingredients, at least one \
             tool, the method (how to practise and what done looks like) and the expected minutes \
             (5 to 600).",
        ),
        ChatMessage::user(format!(
            "Hobby: {ko} / {en}. The learner's level: {level_en}. Write exactly {count} challenges \
             suited to that level."
        )),
    ];
    let schema = JsonSchema::new("challenge_plans", llm_assist::challenge_plan_schema());
    let mut last_problem = String::new();
    for attempt in 1..=GENERATION_ATTEMPTS {
        let reply = match client.complete_json(&messages, &schema).await {
            Ok(value) => value.to_string(),
            Err(LlmError::Malformed { what }) => {
                tracing::warn!(attempt, "generated challenges rejected: {what}");
                last_problem = what;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        match llm_assist::parse_generated_challenges(prefix, &reply) {
            Ok(mut list) => {
                list.truncate(count as usize);
                return Ok(list);
            }
            Err(e) => {
                tracing::warn!(attempt, "generated challenges rejected: {e}");
                last_problem = e.to_string();
            }
        }
    }
    Err(LlmError::Malformed {
        what: format!(
            "challenge plans were rejected {GENERATION_ATTEMPTS} times; the last problem: {last_problem}"
        ),
    }
    .into())
}

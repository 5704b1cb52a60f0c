//! The AI mentor's IPC types. Each derives `ts_rs::TS`; `cargo test` writes
//! their TypeScript to `ui/src/lib/bindings/`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a room is in the mentor flow; persisted on the room, so a restart
/// resumes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MentorStage {
    /// The mentor asked what the learner wants to learn.
    AwaitingHobby,
    /// The hobby is known and the level test is offered (or being taken).
    LevelTest,
    /// The level is known; the mentor asked how many challenges to give.
    AwaitingChallengeCount,
    /// Challenges are given; from here on the learner talks freely with the LLM.
    FreeConversation,
}

/// The learner's level in a room's hobby.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MentorLevel {
    /// 초급: 0–1 of 5 correct.
    Beginner,
    /// 중급: 2–3 of 5 correct.
    Intermediate,
    /// 고급: 4–5 of 5 correct.
    Advanced,
}

/// A text shipped in both languages; the UI shows the one it speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocalText {
    pub ko: String,
    pub en: String,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MessageRole {
    Mentor,
    Learner,
}

/// A structured mentor message the UI renders as a card with actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum MentorCard {
    /// "Shall we take the level test?" — opens the level test.
    LevelTestOffer { hobby: String, question_count: u32 },
    /// The graded level test.
    LevelResult {
        score: u32,
        total: u32,
        level: MentorLevel,
    },
    /// "How many challenges?" — a picker of `min..=max`.
    ChallengeCountPrompt { min: u32, max: u32 },
    /// Challenges were given to the room.
    ChallengesReady { count: u32 },
}

/// One message of an AI mentor room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AiMessage {
    #[ts(type = "number")]
    pub id: i64,
    pub role: MessageRole,
    /// What the message says, as plain text.
    pub text: String,
    /// The structured card, for mentor messages that carry one.
    pub card: Option<MentorCard>,
    /// The model that wrote it, for replies from an LLM.
    pub model: Option<String>,
    pub created_at: String,
}

/// An AI mentor room as the room list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MentorRoom {
    pub id: String,
    /// "AI 멘토" until the hobby is known, then "기타 AI 멘토".
    pub title: String,
    pub stage: MentorStage,
    /// A taxonomy hobby id, `other`, or none yet.
    pub hobby: Option<String>,
    /// The learner's words for the hobby.
    pub hobby_mention: Option<String>,
    pub level: Option<MentorLevel>,
    /// The level test's performance part, 0..=100, once a graded take was
    /// added to it (the level stays the written part's).
    pub performance_percent: Option<u32>,
    /// Whether the room's level test has a melody to play or sing (Practice
    /// can make it a target).
    pub performance_part: bool,
    /// The text of the newest message.
    pub last_message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A challenge in the room's list, with the learner's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChallengeSummary {
    pub position: u32,
    pub id: String,
    /// 1 (first day) ..= 10.
    pub difficulty: u32,
    pub title: LocalText,
    pub minutes: u32,
    pub steps_done: u32,
    pub steps_total: u32,
    pub done: bool,
}

/// A room with its whole history in order and its challenges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MentorRoomDetail {
    pub room: MentorRoom,
    pub messages: Vec<AiMessage>,
    pub challenges: Vec<ChallengeSummary>,
}

/// What one learner action added to a room: the room as it is now and the new
/// messages in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MentorTurn {
    pub room: MentorRoom,
    pub messages: Vec<AiMessage>,
}

/// A level-test question as the learner sees it (no answer key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LevelQuestion {
    pub id: String,
    /// 1 (basics) ..= 3 (advanced).
    pub difficulty: u32,
    pub prompt: LocalText,
    /// The options; answers are indexes into this list.
    pub options: Vec<LocalText>,
}

/// The room's level test, without answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LevelTestView {
    pub room_id: String,
    pub hobby: String,
    pub questions: Vec<LevelQuestion>,
    /// For instruments and singing: a short melody to play or sing, graded
    /// in Practice.
    pub performance: Option<LevelPerformancePart>,
}

/// Whether a performance part is a melody or a drum pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PerformanceKind {
    /// Pitch and rhythm are graded; Practice can take it as a target.
    Pitched,
    /// A drum pattern (not gradable as a melody yet).
    Percussion,
}

/// The performance part of a level test, as the UI introduces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LevelPerformancePart {
    pub title: LocalText,
    /// What to do.
    pub instruction: LocalText,
    pub kind: PerformanceKind,
    pub tempo_bpm: u32,
    pub note_count: u32,
}

/// A graded take added to a room's level test as its performance part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LevelPerformanceResult {
    pub take_id: String,
    /// The take's total score against the part, 0..=100.
    pub percent: u32,
    /// The room (with `performancePercent`) and the mentor's line about it.
    pub turn: MentorTurn,
}

/// How one answer was marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LevelMark {
    pub question_id: String,
    pub chosen: u32,
    pub answer: u32,
    pub correct: bool,
    pub explanation: LocalText,
}

/// A graded level test and what it added to the room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LevelTestResult {
    pub score: u32,
    pub total: u32,
    pub level: MentorLevel,
    pub marks: Vec<LevelMark>,
    pub turn: MentorTurn,
}

/// Challenges just given to a room and what that added to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChallengesGiven {
    pub challenges: Vec<ChallengeSummary>,
    pub turn: MentorTurn,
}

/// Where a challenge plan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChallengeSource {
    /// Shipped with the app, reviewed.
    Curated,
    /// Written by the LLM and validated into the same structure.
    Generated,
}

/// One step of a challenge and whether the learner ticked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChallengeStep {
    pub text: LocalText,
    pub done: bool,
}

/// A challenge in full, with progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChallengeDetail {
    pub position: u32,
    pub id: String,
    pub source: ChallengeSource,
    pub difficulty: u32,
    pub title: LocalText,
    pub steps: Vec<ChallengeStep>,
    /// Materials or ingredients.
    pub materials: Vec<LocalText>,
    pub tools: Vec<LocalText>,
    /// How to practise it and what "done" looks like.
    pub method: LocalText,
    /// Expected time in minutes.
    pub minutes: u32,
    pub done: bool,
    pub done_at: Option<String>,
}

/// An event streamed to the UI while the mentor's free-conversation reply is
/// being written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
#[ts(export)]
pub enum ChatEvent {
    /// The next piece of the reply, to append.
    Token { text: String },
}

/// The AI provider settings (the API key is never part of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LlmSettings {
    /// e.g. `http://127.0.0.1:11434` or `https://api.openai.com/v1`.
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Both base URL and model are set, so free conversation can work.
    pub configured: bool,
}

/// New AI provider settings; both empty turns the provider off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LlmSettingsInput {
    pub base_url: String,
    pub model: String,
}

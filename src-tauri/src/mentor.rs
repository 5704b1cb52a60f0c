//! Tauri commands of the AI mentor: one core call each. They are `async` so
//! SQLite, the OS keyring and the LLM run off the UI thread. Free conversation
//! streams tokens through a [`Channel`]; `mentor_chat_cancel` stops it.

use tauri::State;
use tauri::ipc::Channel;
use tutti_core::Tutti;
use tutti_core::dto::ApiError;
use tutti_core::mentor::ChatCancels;
use tutti_core::mentor::dto::{
    ChallengeDetail, ChallengesGiven, ChatEvent, LevelPerformanceResult, LevelTestResult,
    LevelTestView, LlmSettings, LlmSettingsInput, MentorRoom, MentorRoomDetail, MentorTurn,
};

type CmdResult<T> = Result<T, ApiError>;

#[tauri::command]
pub async fn mentor_room_create(core: State<'_, Tutti>) -> CmdResult<MentorRoomDetail> {
    Ok(core.mentor_room_create()?)
}

#[tauri::command]
pub async fn mentor_rooms(core: State<'_, Tutti>) -> CmdResult<Vec<MentorRoom>> {
    Ok(core.mentor_rooms()?)
}

#[tauri::command]
pub async fn mentor_room_get(
    core: State<'_, Tutti>,
    room_id: String,
) -> CmdResult<MentorRoomDetail> {
    Ok(core.mentor_room(&room_id)?)
}

#[tauri::command]
pub async fn mentor_send(
    core: State<'_, Tutti>,
    room_id: String,
    text: String,
) -> CmdResult<MentorTurn> {
    Ok(core.mentor_send(&room_id, &text)?)
}

#[tauri::command]
pub async fn mentor_chat(
    core: State<'_, Tutti>,
    chats: State<'_, ChatCancels>,
    room_id: String,
    text: String,
    on_event: Channel<ChatEvent>,
) -> CmdResult<MentorTurn> {
    let run = chats.start(&room_id);
    let result = core
        .mentor_chat(&room_id, &text, &run.token, |token| {
            // If the window went away the reply still completes and is stored.
            let _ = on_event.send(ChatEvent::Token {
                text: token.to_owned(),
            });
        })
        .await;
    chats.finish(run);
    Ok(result?)
}

#[tauri::command]
pub async fn mentor_chat_cancel(chats: State<'_, ChatCancels>, room_id: String) -> CmdResult<bool> {
    Ok(chats.cancel(&room_id))
}

#[tauri::command]
pub async fn level_test_get(core: State<'_, Tutti>, room_id: String) -> CmdResult<LevelTestView> {
    Ok(core.level_test_get(&room_id)?)
}

#[tauri::command]
pub async fn level_test_submit(
    core: State<'_, Tutti>,
    room_id: String,
    answers: Vec<u32>,
) -> CmdResult<LevelTestResult> {
    Ok(core.level_test_submit(&room_id, &answers)?)
}

/// Adds a take graded against the room's performance part to its level test.
#[tauri::command]
pub async fn level_test_performance_attach(
    core: State<'_, Tutti>,
    room_id: String,
    take_id: String,
) -> CmdResult<LevelPerformanceResult> {
    Ok(core.level_test_performance_attach(&room_id, &take_id)?)
}

#[tauri::command]
pub async fn challenges_generate(
    core: State<'_, Tutti>,
    room_id: String,
    count: u32,
) -> CmdResult<ChallengesGiven> {
    Ok(core.challenges_generate(&room_id, count).await?)
}

#[tauri::command]
pub async fn challenge_get(
    core: State<'_, Tutti>,
    room_id: String,
    position: u32,
) -> CmdResult<ChallengeDetail> {
    Ok(core.challenge_get(&room_id, position)?)
}

#[tauri::command]
pub async fn challenge_step_set(
    core: State<'_, Tutti>,
    room_id: String,
    position: u32,
    step: u32,
    done: bool,
) -> CmdResult<ChallengeDetail> {
    Ok(core.challenge_step_set(&room_id, position, step, done)?)
}

#[tauri::command]
pub async fn challenge_done_set(
    core: State<'_, Tutti>,
    room_id: String,
    position: u32,
    done: bool,
) -> CmdResult<ChallengeDetail> {
    Ok(core.challenge_done_set(&room_id, position, done)?)
}

#[tauri::command]
pub async fn llm_settings_get(core: State<'_, Tutti>) -> CmdResult<LlmSettings> {
    Ok(core.llm_settings_get()?)
}

#[tauri::command]
pub async fn llm_settings_set(
    core: State<'_, Tutti>,
    input: LlmSettingsInput,
) -> CmdResult<LlmSettings> {
    Ok(core.llm_settings_set(input)?)
}

/// Stores the key in the OS keyring; the key never comes back to the UI.
#[tauri::command]
pub async fn llm_key_set(core: State<'_, Tutti>, key: String) -> CmdResult<()> {
    Ok(core.llm_key_set(&key)?)
}

#[tauri::command]
pub async fn llm_key_clear(core: State<'_, Tutti>) -> CmdResult<bool> {
    Ok(core.llm_key_clear()?)
}

/// Only whether a key is stored.
#[tauri::command]
pub async fn llm_key_present(core: State<'_, Tutti>) -> CmdResult<bool> {
    Ok(core.llm_key_present()?)
}

//! Tauri's build step. The app manifest lists every command so capabilities can
//! grant them one by one (the UI gets only what `capabilities/` names).
const COMMANDS: &[&str] = &[
    "app_info",
    "settings_get",
    "settings_update",
    "profile_get",
    "profile_save",
    "mentor_room_create",
    "mentor_rooms",
    "mentor_room_get",
    "mentor_send",
    "mentor_chat",
    "mentor_chat_cancel",
    "level_test_get",
    "level_test_submit",
    "challenges_generate",
    "challenge_get",
    "challenge_step_set",
    "challenge_done_set",
    "llm_settings_get",
    "llm_settings_set",
    "llm_key_set",
    "llm_key_clear",
    "llm_key_present",
    "practice_targets",
    "practice_target_import",
    "practice_target_from_level_test",
    "practice_target_delete",
    "practice_takes",
    "practice_take_import",
    "practice_take_grade",
    "practice_take_rename",
    "practice_take_delete",
    "practice_take_audio",
    "practice_take_export",
    "practice_inputs",
    "practice_record_start",
    "practice_record_stop",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}

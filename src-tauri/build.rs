//! Tauri's build step. The app manifest lists every command so capabilities can
//! grant them one by one (the UI gets only what `capabilities/` names).
const COMMANDS: &[&str] = &[
    "app_first_paint",
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
    "level_test_performance_attach",
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
    "account_get",
    "account_server_get",
    "account_server_set",
    "account_signup",
    "account_login",
    "account_logout",
    "survey_get",
    "survey_save",
    "match_recommendations",
    "matches_list",
    "match_request",
    "match_accept",
    "match_decline",
    "chat_rooms",
    "chat_history",
    "chat_send",
    "chat_mark_read",
    "chat_sync_watch",
    "course_hobbies",
    "courses_list",
    "course_open",
    "course_event",
    "course_recommendations",
    "course_sharing_get",
    "course_sharing_set",
    "course_shared_delete",
    "courses_sync",
    "community_ask",
    "community_answer",
    "community_answer_ai",
    "community_edit_question",
    "community_edit_answer",
    "community_delete_question",
    "community_delete_answer",
    "community_accept",
    "community_questions",
    "community_thread",
    "community_my_questions",
    "community_vote",
    "community_helpful",
];

/// `TUTTI_DEFAULT_SERVER` (the sync server a package uses until the user
/// chooses one) must be empty or an http(s) address; a typo fails the build
/// instead of shipping an app that cannot reach its server.
fn check_default_server() {
    println!("cargo::rerun-if-env-changed=TUTTI_DEFAULT_SERVER");
    let url = std::env::var("TUTTI_DEFAULT_SERVER").unwrap_or_default();
    let url = url.trim();
    if url.is_empty() {
        return;
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_else(|| {
            panic!("TUTTI_DEFAULT_SERVER must start with https:// or http://, not `{url}`")
        });
    assert!(
        !rest.is_empty() && !rest.contains(['?', '#', ' ']),
        "TUTTI_DEFAULT_SERVER must be a server address like https://tutti.example.com, not `{url}`"
    );
}

fn main() {
    check_default_server();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}

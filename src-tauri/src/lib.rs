//! The Tauri shell of Tutti. Thin by design: each command takes what it needs
//! from the managed [`tutti_core::Tutti`], calls one core method and maps the
//! error to `{ code, message }` ([`tutti_core::dto::ApiError`]). No SQL, HTTP,
//! FFT or automerge code lives here.
//!
//! To add a command: a core method, a `#[tauri::command]` in `commands.rs` (or
//! `mentor.rs` for the AI mentor), its name in `build.rs` and a permission in
//! `capabilities/default.json`.

mod commands;
mod mentor;

use tauri::Manager;

/// Starts the desktop app.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TUTTI_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let result = tauri::Builder::default()
        .setup(|app| {
            let core = tutti_core::Tutti::open_default()?;
            app.manage(core);
            app.manage(tutti_core::mentor::ChatCancels::default());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::settings_get,
            commands::settings_update,
            commands::profile_get,
            commands::profile_save,
            mentor::mentor_room_create,
            mentor::mentor_rooms,
            mentor::mentor_room_get,
            mentor::mentor_send,
            mentor::mentor_chat,
            mentor::mentor_chat_cancel,
            mentor::level_test_get,
            mentor::level_test_submit,
            mentor::challenges_generate,
            mentor::challenge_get,
            mentor::challenge_step_set,
            mentor::challenge_done_set,
            mentor::llm_settings_get,
            mentor::llm_settings_set,
            mentor::llm_key_set,
            mentor::llm_key_clear,
            mentor::llm_key_present,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Tutti could not start: {e}");
        std::process::exit(1);
    }
}

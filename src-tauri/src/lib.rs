//! The Tauri shell of Tutti. Thin by design: each command takes what it needs
//! from the managed [`tutti_core::Tutti`], calls one core method and maps the
//! error to `{ code, message }` ([`tutti_core::dto::ApiError`]). No SQL, HTTP,
//! FFT or automerge code lives here.
//!
//! To add a command: a core method, a `#[tauri::command]` in `commands.rs` (or
//! `mentor.rs` for the AI mentor, `account.rs` for the account and matching,
//! `chat.rs` for chats and their sync, `community.rs` for the community Q&A,
//! `practice.rs` for practice and the microphone), its name in `build.rs` and
//! a permission in `capabilities/default.json`.

mod account;
mod chat;
mod commands;
mod community;
mod courses;
mod mentor;
mod practice;

use tauri::Manager;

/// The error codes the shell makes itself (besides the core's and the
/// microphone's): `recording` when a recording is started twice or stopped
/// when none runs. `tests/error_codes.rs` exports them for the UI.
/// The sync server the app uses until the user chooses one, fixed when the
/// package is built: `TUTTI_DEFAULT_SERVER=https://… scripts/package.sh`
/// (build.rs checks it). Empty: no server until the user sets one.
const DEFAULT_SERVER: &str = match option_env!("TUTTI_DEFAULT_SERVER") {
    Some(url) => url,
    None => "",
};

/// When this process started (as `run` was called), to log the start-up time.
#[derive(Debug)]
pub struct Startup {
    at: std::time::Instant,
    painted: std::sync::atomic::AtomicBool,
}

impl Startup {
    fn now() -> Self {
        Self {
            at: std::time::Instant::now(),
            painted: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Logs the first paint once: the wall clock (for an outside observer
    /// that noted when it started the process) and the time since `run`.
    fn first_paint(&self) {
        if self.painted.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        tracing::info!(
            unix_ms,
            since_run_ms = self.at.elapsed().as_millis(),
            "first screen painted"
        );
    }
}

pub const SHELL_ERROR_CODES: &[&str] = &[practice::RECORDING_CODE];

fn core_language(app: &tauri::App) -> tutti_core::dto::Language {
    app.state::<tutti_core::Tutti>()
        .settings_get()
        .map(|s| s.language)
        .unwrap_or_default()
}

/// Starts the desktop app.
pub fn run() {
    let startup = Startup::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TUTTI_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let result = tauri::Builder::default()
        .manage(startup)
        .setup(|app| {
            let mut core = tutti_core::Tutti::open_default()?;
            // The sync server this package was built for (empty: none).
            core.set_default_server_url(DEFAULT_SERVER)?;
            app.manage(core);
            app.manage(tutti_core::mentor::ChatCancels::default());
            app.manage(practice::ActiveRecording::default());
            app.manage(chat::SyncSlot::default());
            // Signed in before: the chat syncs from the start (offline-tolerant).
            if matches!(app.state::<tutti_core::Tutti>().account_get(), Ok(Some(_))) {
                let handle = app.handle().clone();
                tauri::async_runtime::spawn(async move {
                    let core = handle.state::<tutti_core::Tutti>();
                    if let Err(e) = handle.state::<chat::SyncSlot>().start(&core).await {
                        tracing::warn!("chat sync not started: {}", e.message);
                    }
                });
            }
            // Takes a crash left mid-recording join the library (never lost).
            let title = match core_language(app) {
                tutti_core::dto::Language::Ko => "복구된 녹음",
                tutti_core::dto::Language::En => "Recovered take",
            };
            if let Err(e) = app
                .state::<tutti_core::Tutti>()
                .practice_recover_recordings(title)
            {
                tracing::warn!("recordings not recovered: {e}");
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_first_paint,
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
            mentor::level_test_performance_attach,
            mentor::challenges_generate,
            mentor::challenge_get,
            mentor::challenge_step_set,
            mentor::challenge_done_set,
            mentor::llm_settings_get,
            mentor::llm_settings_set,
            mentor::llm_key_set,
            mentor::llm_key_clear,
            mentor::llm_key_present,
            practice::practice_targets,
            practice::practice_target_import,
            practice::practice_target_from_level_test,
            practice::practice_target_delete,
            practice::practice_takes,
            practice::practice_take_import,
            practice::practice_take_grade,
            practice::practice_take_rename,
            practice::practice_take_delete,
            practice::practice_take_audio,
            practice::practice_take_export,
            practice::practice_inputs,
            practice::practice_record_start,
            practice::practice_record_stop,
            account::account_get,
            account::account_server_get,
            account::account_server_set,
            account::account_signup,
            account::account_login,
            account::account_logout,
            account::survey_get,
            account::survey_save,
            account::match_recommendations,
            account::matches_list,
            account::match_request,
            account::match_accept,
            account::match_decline,
            chat::chat_rooms,
            chat::chat_history,
            chat::chat_send,
            chat::chat_mark_read,
            chat::chat_sync_watch,
            courses::course_hobbies,
            courses::courses_list,
            courses::course_open,
            courses::course_event,
            courses::course_recommendations,
            courses::course_sharing_get,
            courses::course_sharing_set,
            courses::course_shared_delete,
            courses::courses_sync,
            community::community_ask,
            community::community_answer,
            community::community_answer_ai,
            community::community_edit_question,
            community::community_edit_answer,
            community::community_delete_question,
            community::community_delete_answer,
            community::community_accept,
            community::community_questions,
            community::community_thread,
            community::community_my_questions,
            community::community_vote,
            community::community_helpful,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Tutti could not start: {e}");
        std::process::exit(1);
    }
}

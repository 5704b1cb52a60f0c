//! Tauri commands of the people-to-people chat, plus the running
//! [`ChatSync`]: started after login (and at app start when an account
//! exists), stopped at logout. Its status is re-published through one
//! [`watch`] channel the UI subscribes to with `chat_sync_watch`, so the UI
//! keeps one subscription across logins.

use tauri::State;
use tauri::ipc::Channel;
use tokio::sync::{Mutex, watch};
use tutti_core::Tutti;
use tutti_core::chat::dto::{ChatMessageView, ChatRoom, SyncState, SyncStatus};
use tutti_core::chat::sync::ChatSync;
use tutti_core::dto::ApiError;

type CmdResult<T> = Result<T, ApiError>;

fn offline() -> SyncStatus {
    SyncStatus {
        state: SyncState::Offline,
        last_error: None,
        remote_changes: 0,
    }
}

/// The chat sync of the signed-in account, if running, and its status.
pub struct SyncSlot {
    running: Mutex<Option<ChatSync>>,
    status: watch::Sender<SyncStatus>,
}

impl Default for SyncSlot {
    fn default() -> Self {
        Self {
            running: Mutex::new(None),
            status: watch::channel(offline()).0,
        }
    }
}

impl SyncSlot {
    /// (Re)starts the sync; call inside the async runtime.
    pub async fn start(&self, core: &Tutti) -> Result<(), ApiError> {
        let mut running = self.running.lock().await;
        if let Some(old) = running.take() {
            old.stop().await;
        }
        let sync = core.chat_sync_start()?;
        let mut from = sync.status();
        let to = self.status.clone();
        tauri::async_runtime::spawn(async move {
            loop {
                let now = from.borrow_and_update().clone();
                to.send_replace(now);
                // Ends when that sync stops (its sender is dropped).
                if from.changed().await.is_err() {
                    break;
                }
            }
        });
        *running = Some(sync);
        Ok(())
    }

    /// Stops the sync (if any) and shows offline.
    pub async fn stop(&self) {
        if let Some(sync) = self.running.lock().await.take() {
            sync.stop().await;
        }
        self.status.send_replace(offline());
    }
}

#[tauri::command]
pub async fn chat_rooms(core: State<'_, Tutti>) -> CmdResult<Vec<ChatRoom>> {
    Ok(core.chat_rooms()?)
}

#[tauri::command]
pub async fn chat_history(
    core: State<'_, Tutti>,
    room_id: String,
) -> CmdResult<Vec<ChatMessageView>> {
    Ok(core.chat_history(&room_id)?)
}

/// Stored locally at once (works offline); the sync sends it when it can.
#[tauri::command]
pub async fn chat_send(
    core: State<'_, Tutti>,
    room_id: String,
    text: String,
) -> CmdResult<ChatMessageView> {
    Ok(core.chat_send(&room_id, &text)?)
}

#[tauri::command]
pub async fn chat_mark_read(core: State<'_, Tutti>, room_id: String) -> CmdResult<()> {
    Ok(core.chat_mark_read(&room_id)?)
}

/// Streams the sync status: the current one at once, then every change,
/// until the window goes away.
#[tauri::command]
pub async fn chat_sync_watch(
    slot: State<'_, SyncSlot>,
    on_status: Channel<SyncStatus>,
) -> CmdResult<()> {
    let mut rx = slot.status.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let now = rx.borrow_and_update().clone();
            if on_status.send(now).is_err() || rx.changed().await.is_err() {
                break;
            }
        }
    });
    Ok(())
}

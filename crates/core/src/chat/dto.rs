//! The chat's IPC types (camelCase, TypeScript via ts-rs).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A chat room: an accepted mentor–mentee match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatRoom {
    /// The match id.
    pub room_id: String,
    pub other_user_id: String,
    pub other_name: String,
    pub hobby: String,
    /// `mentor` or `mentee`.
    pub my_role: String,
    /// Messages by the other participant after the last-read marker.
    pub unread: u32,
    pub last_message: Option<ChatMessageView>,
}

/// One message as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChatMessageView {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub text: String,
    /// Milliseconds since the Unix epoch (the author's clock).
    #[ts(type = "number")]
    pub sent_at: i64,
    /// Written by this user.
    pub mine: bool,
}

/// Where the chat sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SyncState {
    /// Not running, or the server cannot be reached (it retries).
    Offline,
    /// Opening the connection.
    Connecting,
    /// Connected: local messages are sent and others' arrive live.
    Synced,
    /// Something other than the network failed (e.g. signed out); it retries.
    Error,
}

/// The sync state the shell shows, plus a counter of remote changes so the UI
/// knows when to re-read the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Why the last attempt failed, for people (never contains a token).
    pub last_error: Option<String>,
    /// Incremented whenever documents changed by the server were stored.
    #[ts(type = "number")]
    pub remote_changes: u64,
}

//! Mentor–mentee chat, local first. A chat room is an accepted match (same
//! id). Each participant writes only their own monthly Automerge document
//! (`tutti_sync::chat`); the documents' bytes live in SQLite, so
//! [`Tutti::chat_send`] stores a message at once, online or not, and the
//! [`sync::ChatSync`] task uploads it when the server is reachable and brings
//! the other participant's documents down. History is every participant's
//! messages merged in the order all peers agree on (time, author, id).
//!
//! [`document`] holds the Automerge side; [`sync`] the background task (which
//! also syncs the community documents, see [`crate::community`]) and
//! [`socket`] its WebSocket.

pub(crate) mod document;
pub mod dto;
mod socket;
pub mod sync;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tokio::sync::Notify;
use tutti_sync::chat::{ChatMessage, MAX_TEXT_CHARS};

use crate::account::dto::{Account, Match};
use crate::api::Tutti;
use crate::{Error, Result};
use dto::{ChatMessageView, ChatRoom};

/// Wakes a data directory's sync task when local chat data or the room list
/// changed (process-wide, keyed by data directory).
fn local_changes(data_dir: &Path) -> Arc<Notify> {
    static NOTIFIERS: OnceLock<Mutex<HashMap<PathBuf, Arc<Notify>>>> = OnceLock::new();
    let map = NOTIFIERS.get_or_init(Default::default);
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    map.entry(data_dir.to_path_buf()).or_default().clone()
}

pub(crate) fn notify_local_change(data_dir: &Path) {
    local_changes(data_dir).notify_one();
}

/// The accepted matches of `matches` (the chat rooms).
pub(crate) fn rooms_of(matches: &[Match]) -> impl Iterator<Item = &Match> {
    matches.iter().filter(|m| m.status == "accepted")
}

fn view(m: &ChatMessage, room: &Match, me: &str) -> ChatMessageView {
    let author = m.author_id.as_str();
    ChatMessageView {
        id: m.id.clone(),
        author_id: author.to_owned(),
        author_name: if author == room.mentor_id {
            room.mentor_name.clone()
        } else {
            room.mentee_name.clone()
        },
        text: m.text.clone(),
        sent_at: m.sent_at,
        mine: author == me,
    }
}

fn key(m: &ChatMessage) -> (i64, String, String) {
    (m.sent_at, m.author_id.as_str().to_owned(), m.id.clone())
}

impl Tutti {
    fn chat_room_of(&self, room_id: &str) -> Result<(Account, Match)> {
        let account = self.signed_in()?;
        let room = rooms_of(&self.matches_cached()?)
            .find(|m| m.id == room_id)
            .cloned()
            .ok_or_else(|| Error::NotFound {
                what: "chat room",
                field: "room_id",
                id: room_id.to_owned(),
            })?;
        Ok((account, room))
    }

    fn chat_messages(&self, room: &Match) -> Result<Vec<ChatMessage>> {
        let stored = self.store().chat_documents_in_room(&room.id)?;
        document::merged_history(room, &stored)
    }

    /// The chat rooms (accepted matches, as last fetched) with unread counts.
    pub fn chat_rooms(&self) -> Result<Vec<ChatRoom>> {
        let account = self.signed_in()?;
        let me = account.user_id.as_str();
        let matches = self.matches_cached()?;
        let mut rooms = Vec::new();
        for room in rooms_of(&matches) {
            let messages = self.chat_messages(room)?;
            let marker = self.store().chat_read_marker(&room.id)?;
            let unread = messages
                .iter()
                .filter(|m| {
                    m.author_id.as_str() != me && marker.as_ref().is_none_or(|r| key(m) > *r)
                })
                .count();
            let (other_id, other_name) = if room.mentor_id == me {
                (room.mentee_id.clone(), room.mentee_name.clone())
            } else {
                (room.mentor_id.clone(), room.mentor_name.clone())
            };
            rooms.push(ChatRoom {
                room_id: room.id.clone(),
                other_user_id: other_id,
                other_name,
                hobby: room.hobby.clone(),
                my_role: room.my_role.clone(),
                unread: u32::try_from(unread).unwrap_or(u32::MAX),
                last_message: messages.last().map(|m| view(m, room, me)),
            });
        }
        Ok(rooms)
    }

    /// The room's history: every participant's messages in merge order.
    pub fn chat_history(&self, room_id: &str) -> Result<Vec<ChatMessageView>> {
        let (account, room) = self.chat_room_of(room_id)?;
        Ok(self
            .chat_messages(&room)?
            .iter()
            .map(|m| view(m, &room, &account.user_id))
            .collect())
    }

    /// Sends a message: stored in this user's document at once (so it
    /// survives a restart) and synced by the running [`sync::ChatSync`].
    pub fn chat_send(&self, room_id: &str, text: &str) -> Result<ChatMessageView> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::invalid("text", "must not be empty"));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(Error::invalid(
                "text",
                format!("must be at most {MAX_TEXT_CHARS} characters"),
            ));
        }
        let (account, room) = self.chat_room_of(room_id)?;
        let message = document::append(&mut self.store(), &room, &account.user_id, text)?;
        notify_local_change(self.data_dir());
        Ok(view(&message, &room, &account.user_id))
    }

    /// Marks every message of the room as read.
    pub fn chat_mark_read(&self, room_id: &str) -> Result<()> {
        let (_, room) = self.chat_room_of(room_id)?;
        if let Some(last) = self.chat_messages(&room)?.last() {
            self.store().set_chat_read_marker(room_id, &key(last))?;
        }
        Ok(())
    }
}

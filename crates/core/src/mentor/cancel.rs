//! Cancelling a streaming reply from another call: the shell starts a reply
//! with [`ChatCancels::start`] and a later `mentor_chat_cancel` command calls
//! [`ChatCancels::cancel`] for the room.

use std::collections::HashMap;
use std::sync::Mutex;

use tutti_llm::CancellationToken;

/// The replies being streamed, one per room.
#[derive(Debug, Default)]
pub struct ChatCancels {
    running: Mutex<HashMap<String, (u64, CancellationToken)>>,
    next: Mutex<u64>,
}

/// One running reply; give it back to [`ChatCancels::finish`].
#[derive(Debug)]
pub struct ChatRun {
    room_id: String,
    serial: u64,
    pub token: CancellationToken,
}

impl ChatCancels {
    /// Registers a reply for `room_id`. A reply still running in that room is
    /// cancelled: one room has one reply at a time.
    pub fn start(&self, room_id: &str) -> ChatRun {
        let serial = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            *next += 1;
            *next
        };
        let token = CancellationToken::new();
        let older = self
            .running
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(room_id.to_owned(), (serial, token.clone()));
        if let Some((_, older)) = older {
            older.cancel();
        }
        ChatRun {
            room_id: room_id.to_owned(),
            serial,
            token,
        }
    }

    /// Forgets a reply that has ended (unless a newer one replaced it).
    pub fn finish(&self, run: ChatRun) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        if running
            .get(&run.room_id)
            .is_some_and(|(s, _)| *s == run.serial)
        {
            running.remove(&run.room_id);
        }
    }

    /// Cancels the room's running reply; `false` when none runs.
    pub fn cancel(&self, room_id: &str) -> bool {
        let running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        match running.get(room_id) {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_the_running_reply_only() {
        let cancels = ChatCancels::default();
        let a = cancels.start("a");
        let b = cancels.start("b");
        assert!(cancels.cancel("a"));
        assert!(a.token.is_cancelled());
        assert!(!b.token.is_cancelled(), "another room's reply keeps going");
        cancels.finish(a);
        assert!(!cancels.cancel("a"), "a finished reply cannot be cancelled");
    }

    #[test]
    fn a_new_reply_in_the_same_room_replaces_the_old_one() {
        let cancels = ChatCancels::default();
        let first = cancels.start("a");
        let second = cancels.start("a");
        assert!(first.token.is_cancelled());
        cancels.finish(first);
        assert!(
            cancels.cancel("a"),
            "finishing the old reply keeps the new one"
        );
        assert!(second.token.is_cancelled());
    }
}

//! The Automerge side of the chat: appending to this user's monthly document
//! through the store, and reading a room's documents back as one history.

use std::time::{SystemTime, UNIX_EPOCH};

use tutti_sync::automerge::{AutoCommit, Automerge};
use tutti_sync::chat::{
    ChatHeader, ChatLog, ChatMessage, append_message, chat_document_id, create_chat_document,
    merge_messages, month_of, new_message, read_chat, verify_chat_document,
};
use tutti_sync::{DocumentId, ProtocolError, UserId};

use crate::account::dto::Match;
use crate::store::Store;
use crate::store::chat::ChatDocumentRow;
use crate::{Error, Result};

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Where `owner`'s document of `room` for `month` is stored.
pub(crate) fn row(room_id: &str, owner_id: &str, month: &str) -> (DocumentId, ChatDocumentRow) {
    let id = chat_document_id(room_id, &UserId::new(owner_id), month);
    let row = ChatDocumentRow {
        document_id: id.encode(),
        room_id: room_id.to_owned(),
        owner_id: owner_id.to_owned(),
        month: month.to_owned(),
    };
    (id, row)
}

/// Every `YYYY-MM` from the match's creation to now (at most ten years).
pub(crate) fn room_months(room: &Match) -> Vec<String> {
    let now = month_of(now_ms());
    let start = room.created_at.get(..7).unwrap_or(&now).to_owned();
    let parse = |m: &str| -> Option<(i32, u32)> {
        Some((m.get(..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (Some(mut at), Some(end)) = (parse(&start), parse(&now)) else {
        return vec![now];
    };
    let mut months = Vec::new();
    while at <= end && months.len() < 120 {
        months.push(format!("{:04}-{:02}", at.0, at.1));
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    if months.is_empty() {
        months.push(now);
    }
    months
}

/// Appends `text` by `me` to my document of this month, creating it if
/// needed, in one transaction. Times only grow within my document, so my
/// messages keep the order I wrote them in.
pub(crate) fn append(store: &mut Store, room: &Match, me: &str, text: &str) -> Result<ChatMessage> {
    let now = now_ms();
    let month = month_of(now);
    let (_, row) = row(&room.id, me, &month);
    let header = ChatHeader {
        room_id: room.id.clone(),
        owner_id: UserId::new(me),
        month,
    };
    let mut sent = None;
    store.chat_document_update(&row, |old| {
        let mut doc = match old {
            Some(bytes) => AutoCommit::load(bytes).map_err(ProtocolError::from)?,
            None => create_chat_document(&header)?,
        };
        let last = read_chat(&doc)?.messages.iter().map(|m| m.sent_at).max();
        let at = last.map_or(now, |l| now.max(l + 1));
        let message = new_message(UserId::new(me), text, at);
        append_message(&mut doc, &message)?;
        sent = Some(message);
        Ok(doc.save())
    })?;
    sent.ok_or_else(|| Error::invalid("text", "the message was not written"))
}

/// A room's history from its stored documents: only documents of the room's
/// two participants whose header matches their id count.
pub(crate) fn merged_history(
    room: &Match,
    stored: &[(ChatDocumentRow, Vec<u8>)],
) -> Result<Vec<ChatMessage>> {
    let mut logs: Vec<ChatLog> = Vec::new();
    for (row, bytes) in stored {
        if row.owner_id != room.mentor_id && row.owner_id != room.mentee_id {
            continue;
        }
        let corrupt = |reason: String| Error::CorruptRecord {
            what: "chat document",
            id: row.document_id.clone(),
            reason,
        };
        let doc = Automerge::load(bytes).map_err(|e| corrupt(e.to_string()))?;
        if doc.get_heads().is_empty() {
            continue;
        }
        let id = DocumentId::parse(&row.document_id).map_err(|e| corrupt(e.to_string()))?;
        match verify_chat_document(&doc, &id).and_then(|_| read_chat(&doc)) {
            Ok(log) => logs.push(log),
            Err(e) => {
                tracing::warn!(document = %row.document_id, error = %e, "skipping a chat document")
            }
        }
    }
    Ok(merge_messages(logs.iter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room(created_at: &str) -> Match {
        Match {
            id: "room-1".into(),
            mentor_id: "mentor".into(),
            mentor_name: "M".into(),
            mentee_id: "mentee".into(),
            mentee_name: "E".into(),
            hobby: "piano".into(),
            status: "accepted".into(),
            my_role: "mentee".into(),
            created_at: created_at.into(),
            updated_at: created_at.into(),
        }
    }

    #[test]
    fn months_run_from_the_match_to_now() {
        let months = room_months(&room("2025-11-03T10:00:00Z"));
        assert_eq!(months[0], "2025-11");
        assert_eq!(months[2], "2026-01", "the year rolls over");
        assert_eq!(months.last().unwrap(), &month_of(now_ms()));
        assert_eq!(room_months(&room("garbage")), vec![month_of(now_ms())]);
    }

    #[test]
    fn appended_messages_keep_their_order_and_merge_with_the_other_side() {
        let mut store = Store::open_in_memory().unwrap();
        let r = room("2026-11-01T00:00:00Z");
        let texts = ["one", "two", "three"];
        for t in texts {
            append(&mut store, &r, "mentee", t).unwrap();
        }
        append(&mut store, &r, "mentor", "reply").unwrap();
        let stored = store.chat_documents_in_room("room-1").unwrap();
        assert_eq!(stored.len(), 2, "one document per participant");
        let history = merged_history(&r, &stored).unwrap();
        // Where the other side's message falls among sends of the same
        // millisecond is the clocks' call; one author's order is not.
        let mine: Vec<&str> = history
            .iter()
            .filter(|m| m.author_id.as_str() == "mentee")
            .map(|m| m.text.as_str())
            .collect();
        assert_eq!(mine, texts, "same-millisecond sends still keep their order");
        assert_eq!(history.len(), 4);
        assert!(
            history
                .iter()
                .any(|m| m.author_id.as_str() == "mentor" && m.text == "reply")
        );
    }
}

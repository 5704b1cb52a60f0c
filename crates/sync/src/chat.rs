//! The chat message document: one per participant, per room, per month.
//!
//! ```text
//! { roomId: "…", ownerId: "…", month: "2026-11",
//!   messages: [ { id, authorId, text, sentAt /* ms since epoch */ } ] }
//! ```
//!
//! Strings are written as Automerge text objects, which is what automerge-js 2.x
//! writes for plain JS strings (so a JS peer reads them back as strings); the
//! readers here accept both text objects and scalar strings, and `sentAt` as an
//! int, uint, integral float or timestamp.
//!
//! The document id is derived from (room, owner, month) with
//! [`chat_document_id`], so every member can compute every participant's
//! document id without asking, and the server can check that a newly uploaded
//! document is the one its header claims to be.
//!
//! The first change ("genesis": header and empty list) is made with an actor
//! derived from the document id and timestamp 0, so two devices of the same
//! owner that create the month's document offline produce the *same* change and
//! their `messages` lists merge instead of conflicting.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use serde::{Deserialize, Serialize};

use crate::acl::UserId;
use crate::document_id::DocumentId;
use crate::error::ProtocolError;

/// Longest message text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The header fields of a chat document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatHeader {
    pub room_id: String,
    pub owner_id: UserId,
    /// `YYYY-MM` (UTC).
    pub month: String,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    pub id: String,
    pub author_id: UserId,
    pub text: String,
    /// Milliseconds since the Unix epoch, as the author's clock saw it.
    pub sent_at: i64,
}

/// A message entry that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkippedMessage {
    pub index: usize,
    pub reason: String,
}

/// What one participant's document holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatLog {
    pub header: ChatHeader,
    pub messages: Vec<ChatMessage>,
    /// Entries that do not follow the schema or are not by the owner.
    pub skipped: Vec<SkippedMessage>,
}

pub(crate) fn schema(field: &str, reason: impl Into<String>) -> ProtocolError {
    ProtocolError::Schema {
        field: field.to_string(),
        reason: reason.into(),
    }
}

/// Checks a `YYYY-MM` month.
pub fn validate_month(month: &str) -> Result<(), ProtocolError> {
    let bytes = month.as_bytes();
    let digits = |r: std::ops::Range<usize>| bytes[r].iter().all(u8::is_ascii_digit);
    if bytes.len() != 7 || bytes[4] != b'-' || !digits(0..4) || !digits(5..7) {
        return Err(schema("month", format!("`{month}` is not YYYY-MM")));
    }
    let m: u8 = month[5..7].parse().unwrap_or(0);
    if !(1..=12).contains(&m) {
        return Err(schema("month", format!("`{month}` has no month {m}")));
    }
    Ok(())
}

/// The `YYYY-MM` (UTC) month of a time in milliseconds since the Unix epoch.
pub fn month_of(ms: i64) -> String {
    // days → civil date (Howard Hinnant's algorithm)
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}")
}

/// The id of `owner`'s message document in `room` for `month`.
pub fn chat_document_id(room_id: &str, owner_id: &UserId, month: &str) -> DocumentId {
    DocumentId::derived("chat-messages/v1", &[room_id, owner_id.as_str(), month])
}

pub(crate) fn put_text(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: &str,
) -> Result<(), ProtocolError> {
    let text = doc.put_object(obj, key, ObjType::Text)?;
    doc.splice_text(&text, 0, 0, value)?;
    Ok(())
}

/// A new chat document for `header`, with the deterministic genesis change.
/// Later changes use a fresh random actor.
pub fn create_chat_document(header: &ChatHeader) -> Result<AutoCommit, ProtocolError> {
    validate_month(&header.month)?;
    if header.room_id.is_empty() {
        return Err(schema("roomId", "empty"));
    }
    let id = chat_document_id(&header.room_id, &header.owner_id, &header.month);
    let mut doc = AutoCommit::new().with_actor(ActorId::from(id.as_bytes().to_vec()));
    put_text(&mut doc, &ROOT, "roomId", &header.room_id)?;
    put_text(&mut doc, &ROOT, "ownerId", header.owner_id.as_str())?;
    put_text(&mut doc, &ROOT, "month", &header.month)?;
    doc.put_object(ROOT, "messages", ObjType::List)?;
    doc.commit_with(
        CommitOptions::default()
            .with_message("genesis")
            .with_time(0),
    );
    doc.set_actor(ActorId::random());
    Ok(doc)
}

/// A new message with a random id.
pub fn new_message(author_id: UserId, text: impl Into<String>, sent_at: i64) -> ChatMessage {
    ChatMessage {
        id: ActorId::random().to_hex_string(),
        author_id,
        text: text.into(),
        sent_at,
    }
}

pub(crate) fn read_string<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<String, ProtocolError> {
    match doc.get(obj, key)? {
        Some((Value::Object(ObjType::Text), text_obj)) => Ok(doc.text(&text_obj)?),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Ok(s.to_string()),
            other => Err(schema(key, format!("expected a string, found {other}"))),
        },
        Some((Value::Object(t), _)) => Err(schema(key, format!("expected a string, found a {t}"))),
        None => Err(schema(key, "missing")),
    }
}

pub(crate) fn read_millis<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<i64, ProtocolError> {
    match doc.get(obj, key)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Int(i) | ScalarValue::Timestamp(i) => Ok(*i),
            ScalarValue::Uint(u) => i64::try_from(*u).map_err(|_| schema(key, "out of range")),
            ScalarValue::F64(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(*f as i64),
            other => Err(schema(key, format!("expected milliseconds, found {other}"))),
        },
        Some(_) => Err(schema(key, "expected milliseconds, found an object")),
        None => Err(schema(key, "missing")),
    }
}

fn messages_list<D: ReadDoc>(doc: &D) -> Result<ObjId, ProtocolError> {
    match doc.get(ROOT, "messages")? {
        Some((Value::Object(ObjType::List), obj)) => Ok(obj),
        Some(_) => Err(schema("messages", "expected a list")),
        None => Err(schema("messages", "missing")),
    }
}

/// Reads the header of a chat document.
pub fn read_header<D: ReadDoc>(doc: &D) -> Result<ChatHeader, ProtocolError> {
    let header = ChatHeader {
        room_id: read_string(doc, &ROOT, "roomId")?,
        owner_id: UserId::new(read_string(doc, &ROOT, "ownerId")?),
        month: read_string(doc, &ROOT, "month")?,
    };
    validate_month(&header.month)?;
    messages_list(doc)?;
    Ok(header)
}

/// Reads the header and checks that `document_id` is the id the header implies,
/// so a document cannot pose as another participant's or another month's.
pub fn verify_chat_document<D: ReadDoc>(
    doc: &D,
    document_id: &DocumentId,
) -> Result<ChatHeader, ProtocolError> {
    let header = read_header(doc)?;
    let expected = chat_document_id(&header.room_id, &header.owner_id, &header.month);
    if expected != *document_id {
        return Err(schema(
            "roomId/ownerId/month",
            format!("header belongs to document {expected}, not {document_id}"),
        ));
    }
    Ok(header)
}

/// Appends `message` to the owner's document. The author must be the owner.
pub fn append_message(doc: &mut AutoCommit, message: &ChatMessage) -> Result<(), ProtocolError> {
    let header = read_header(doc)?;
    if message.author_id != header.owner_id {
        return Err(schema(
            "authorId",
            format!(
                "{} may not write to {}'s document",
                message.author_id, header.owner_id
            ),
        ));
    }
    if message.id.is_empty() {
        return Err(schema("id", "empty"));
    }
    if message.text.chars().count() > MAX_TEXT_CHARS {
        return Err(schema(
            "text",
            format!("longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    let list = messages_list(doc)?;
    let index = doc.length(&list);
    let entry = doc.insert_object(&list, index, ObjType::Map)?;
    put_text(doc, &entry, "id", &message.id)?;
    put_text(doc, &entry, "authorId", message.author_id.as_str())?;
    put_text(doc, &entry, "text", &message.text)?;
    doc.put(&entry, "sentAt", ScalarValue::Int(message.sent_at))?;
    doc.commit();
    Ok(())
}

fn read_entry<D: ReadDoc>(doc: &D, entry: &ObjId) -> Result<ChatMessage, ProtocolError> {
    Ok(ChatMessage {
        id: read_string(doc, entry, "id")?,
        author_id: UserId::new(read_string(doc, entry, "authorId")?),
        text: read_string(doc, entry, "text")?,
        sent_at: read_millis(doc, entry, "sentAt")?,
    })
}

/// Reads a participant's document: its header, the messages by its owner, and
/// the entries skipped (malformed, or claiming another author).
pub fn read_chat<D: ReadDoc>(doc: &D) -> Result<ChatLog, ProtocolError> {
    let header = read_header(doc)?;
    let list = messages_list(doc)?;
    let mut messages = Vec::new();
    let mut skipped = Vec::new();
    for index in 0..doc.length(&list) {
        let read = match doc.get(&list, index)? {
            Some((Value::Object(ObjType::Map), entry)) => read_entry(doc, &entry),
            _ => Err(schema("messages[]", "expected a map")),
        };
        match read {
            Ok(m) if m.author_id == header.owner_id => messages.push(m),
            Ok(m) => skipped.push(SkippedMessage {
                index,
                reason: format!(
                    "authorId {} is not the owner {}",
                    m.author_id, header.owner_id
                ),
            }),
            Err(e) => skipped.push(SkippedMessage {
                index,
                reason: e.to_string(),
            }),
        }
    }
    Ok(ChatLog {
        header,
        messages,
        skipped,
    })
}

/// All participants' messages as one list in the order every peer agrees on:
/// by `sentAt`, then `authorId`, then `id`; a message present twice (same
/// author and id) is kept once.
pub fn merge_messages<'a>(logs: impl IntoIterator<Item = &'a ChatLog>) -> Vec<ChatMessage> {
    let mut all: Vec<ChatMessage> = logs
        .into_iter()
        .flat_map(|log| log.messages.iter().cloned())
        .collect();
    all.sort_by(|a, b| (a.sent_at, &a.author_id, &a.id).cmp(&(b.sent_at, &b.author_id, &b.id)));
    all.dedup_by(|a, b| a.author_id == b.author_id && a.id == b.id);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(owner: &str) -> ChatHeader {
        ChatHeader {
            room_id: "room-1".into(),
            owner_id: UserId::new(owner),
            month: "2026-11".into(),
        }
    }

    #[test]
    fn months_are_computed_in_utc() {
        assert_eq!(month_of(0), "1970-01");
        // 2026-11-30T23:59:59.999Z and one millisecond later
        assert_eq!(month_of(1_796_083_199_999), "2026-11");
        assert_eq!(month_of(1_796_083_200_000), "2026-12");
        assert_eq!(
            month_of(951_782_400_000),
            "2000-02",
            "2000-02-29 (leap day)"
        );
        assert_eq!(month_of(-1), "1969-12");
    }

    #[test]
    fn month_validation_names_the_problem() {
        assert!(validate_month("2026-11").is_ok());
        for bad in ["2026-13", "2026-00", "26-11", "2026/11", "２０２６-11"] {
            assert!(validate_month(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn append_and_read_round_trip() {
        let mut doc = create_chat_document(&header("alice")).expect("create");
        let m = new_message(UserId::new("alice"), "안녕하세요", 1_000);
        append_message(&mut doc, &m).expect("append");
        let log = read_chat(&doc).expect("read");
        assert_eq!(log.header, header("alice"));
        assert_eq!(log.messages, vec![m]);
        assert!(log.skipped.is_empty());
    }

    #[test]
    fn only_the_owner_appends() {
        let mut doc = create_chat_document(&header("alice")).expect("create");
        let m = new_message(UserId::new("bob"), "hi", 1);
        assert!(matches!(
            append_message(&mut doc, &m),
            Err(ProtocolError::Schema { ref field, .. }) if field == "authorId"
        ));
    }

    #[test]
    fn offline_creations_on_two_devices_merge_cleanly() {
        let mut laptop = create_chat_document(&header("alice")).expect("create");
        let mut desktop = create_chat_document(&header("alice")).expect("create");
        append_message(&mut laptop, &new_message(UserId::new("alice"), "a", 1)).expect("a");
        append_message(&mut desktop, &new_message(UserId::new("alice"), "b", 2)).expect("b");
        laptop.merge(&mut desktop).expect("merge");
        let texts: Vec<String> = read_chat(&laptop)
            .expect("read")
            .messages
            .into_iter()
            .map(|m| m.text)
            .collect();
        assert_eq!(
            texts.len(),
            2,
            "same genesis → one list, both messages: {texts:?}"
        );
    }

    #[test]
    fn the_document_id_must_match_the_header() {
        let doc = create_chat_document(&header("alice")).expect("create");
        let right = chat_document_id("room-1", &UserId::new("alice"), "2026-11");
        assert!(verify_chat_document(&doc, &right).is_ok());
        let bobs = chat_document_id("room-1", &UserId::new("bob"), "2026-11");
        assert!(verify_chat_document(&doc, &bobs).is_err());
    }

    #[test]
    fn entries_by_others_or_malformed_are_skipped_with_reasons() {
        let mut doc = create_chat_document(&header("alice")).expect("create");
        append_message(&mut doc, &new_message(UserId::new("alice"), "ok", 5)).expect("ok");
        // written behind the helper's back, as a misbehaving client could
        let list = messages_list(&doc).expect("list");
        let forged = doc.insert_object(&list, 1, ObjType::Map).expect("insert");
        doc.put(&forged, "id", "x").expect("put");
        doc.put(&forged, "authorId", "bob").expect("put");
        doc.put(&forged, "text", "forged").expect("put");
        doc.put(&forged, "sentAt", 6).expect("put");
        doc.insert(&list, 2, "not a map").expect("insert");
        let log = read_chat(&doc).expect("read");
        assert_eq!(log.messages.len(), 1);
        assert_eq!(
            log.skipped.iter().map(|s| s.index).collect::<Vec<_>>(),
            [1, 2]
        );
    }

    #[test]
    fn merge_orders_by_time_then_author_then_id_and_dedups() {
        let m = |author: &str, id: &str, at: i64| ChatMessage {
            id: id.into(),
            author_id: UserId::new(author),
            text: format!("{author}{id}"),
            sent_at: at,
        };
        let alice = ChatLog {
            header: header("alice"),
            messages: vec![m("alice", "2", 10), m("alice", "1", 30)],
            skipped: vec![],
        };
        let bob = ChatLog {
            header: header("bob"),
            messages: vec![m("bob", "9", 10), m("bob", "3", 20)],
            skipped: vec![],
        };
        let merged = merge_messages([&alice, &bob, &alice]);
        let order: Vec<String> = merged.iter().map(|m| m.text.clone()).collect();
        assert_eq!(order, ["alice2", "bob9", "bob3", "alice1"]);
        assert_eq!(
            merge_messages([&bob, &alice]),
            merged,
            "input order does not matter"
        );
    }
}

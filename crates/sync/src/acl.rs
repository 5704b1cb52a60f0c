//! Who may read and who may write a document: pure functions over a [`DocAcl`].
//!
//! # The write rule
//!
//! Write permission is a whole-document yes/no, decided by the connection's
//! authenticated user, never by the Automerge actor id inside a change. Actor
//! ids are chosen freely by clients (automerge-repo JS picks a random one per
//! document), so they authenticate nothing; binding an actor to a user is only
//! meaningful through the connection that delivered the change.
//!
//! So the rule is: **a change is new if the server's copy of the document does
//! not contain its hash; every new change must arrive over a connection of a
//! user allowed to write that document.** Every kind of document in Tutti has
//! exactly one writer, its owner (a chat participant's monthly outbox, a
//! community question, an answer), so every actor that appears in a stored
//! document was introduced by its owner: the actor → user binding is implied by
//! the document. A reader may resend changes the server already has (that is
//! harmless and happens after a server restore), but never introduce one.

use std::fmt;

use automerge::{ActorId, Automerge, Change, ChangeHash};
use serde::{Deserialize, Serialize};

use crate::error::ProtocolError;

/// An account id on the sync server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub String);

impl UserId {
    /// A user id from text.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a document is, which decides its schema and who may join its readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum DocKind {
    /// One participant's messages in one chat room for one month.
    #[serde(rename_all = "camelCase")]
    ChatMessages { room_id: String, month: String },
    /// A document only its owner reads and writes.
    Private,
    /// A community question: its asker's document, readable by every
    /// signed-in user. The hobby is fixed at creation.
    #[serde(rename_all = "camelCase")]
    CommunityQuestion { question_id: String, hobby: String },
    /// One answer to a community question: its author's document, readable
    /// by every signed-in user. `ai_model` is set (and fixed) when the text
    /// came from an AI provider.
    #[serde(rename_all = "camelCase")]
    CommunityAnswer {
        question_id: String,
        answer_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ai_model: Option<String>,
    },
}

impl DocKind {
    /// True for documents every authenticated user may read (community posts).
    pub fn is_public(&self) -> bool {
        matches!(
            self,
            DocKind::CommunityQuestion { .. } | DocKind::CommunityAnswer { .. }
        )
    }
}

/// A document's owner and readers, as the server stores them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocAcl {
    /// The only user who may change the document.
    pub owner: UserId,
    /// Users who may read it besides the owner.
    pub readers: Vec<UserId>,
    /// What the document is.
    pub kind: DocKind,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The user may not read the document (and so learns nothing about it).
    #[error("user {user} may not read this document")]
    NotReadable { user: UserId },
    /// The user may read but not write the document.
    #[error("user {user} may not change a document owned by {owner} ({count} new changes refused)")]
    NotWriter {
        user: UserId,
        owner: UserId,
        count: usize,
    },
    /// The incoming payload did not parse as Automerge changes.
    #[error("malformed changes: {0}")]
    Malformed(String),
}

/// A change that arrived from a peer and that the server does not have yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingChange {
    /// The change's hash.
    pub hash: ChangeHash,
    /// The actor the change claims to be by.
    pub actor: ActorId,
}

/// May `user` read the document? The owner and the listed readers may; so
/// may every authenticated user when the kind is public (community posts).
pub fn authorize_read(user: &UserId, acl: &DocAcl) -> bool {
    acl.owner == *user || acl.readers.contains(user) || acl.kind.is_public()
}

/// May `user` write the document? Every kind has one writer, its owner.
pub fn authorize_write(user: &UserId, acl: &DocAcl) -> bool {
    match acl.kind {
        DocKind::ChatMessages { .. }
        | DocKind::Private
        | DocKind::CommunityQuestion { .. }
        | DocKind::CommunityAnswer { .. } => acl.owner == *user,
    }
}

/// Decides whether `incoming` (the changes new to the server's copy) may be
/// applied for `user`. An empty list is always allowed: sync messages without
/// new changes are how readers read.
pub fn authorize_change(
    user: &UserId,
    acl: &DocAcl,
    incoming: &[IncomingChange],
) -> Result<(), Refusal> {
    if !authorize_read(user, acl) {
        return Err(Refusal::NotReadable { user: user.clone() });
    }
    if incoming.is_empty() || authorize_write(user, acl) {
        return Ok(());
    }
    Err(Refusal::NotWriter {
        user: user.clone(),
        owner: acl.owner.clone(),
        count: incoming.len(),
    })
}

/// The changes in a sync message's chunks that `doc` does not contain yet.
///
/// Each chunk is either one change (parsed on its own) or a whole document
/// (sync v2 sends those; loaded on its own to list its changes). This is the
/// check done before anything is applied: nothing here mutates `doc`.
pub fn new_changes_in(
    doc: &Automerge,
    message: &automerge::sync::Message,
) -> Result<Vec<IncomingChange>, ProtocolError> {
    let mut out: Vec<IncomingChange> = Vec::new();
    let mut push = |change: &Change| {
        let hash = change.hash();
        if doc.get_change_meta_by_hash(&hash).is_none() && !out.iter().any(|c| c.hash == hash) {
            out.push(IncomingChange {
                hash,
                actor: change.actor_id().clone(),
            });
        }
    };
    for chunk in message.changes.iter() {
        match Change::try_from(chunk) {
            Ok(change) => push(&change),
            Err(change_err) => {
                let whole = Automerge::load(chunk).map_err(|doc_err| {
                    ProtocolError::Automerge(format!(
                        "chunk of {} bytes is neither a change ({change_err}) nor a document ({doc_err})",
                        chunk.len()
                    ))
                })?;
                for change in whole.get_changes(&[]) {
                    push(&change);
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    fn acl() -> DocAcl {
        DocAcl {
            owner: UserId::new("alice"),
            readers: vec![UserId::new("bob")],
            kind: DocKind::ChatMessages {
                room_id: "room".into(),
                month: "2026-11".into(),
            },
        }
    }

    fn change() -> IncomingChange {
        IncomingChange {
            hash: ChangeHash([1; 32]),
            actor: ActorId::random(),
        }
    }

    #[test]
    fn owner_and_readers_read_others_do_not() {
        assert!(authorize_read(&UserId::new("alice"), &acl()));
        assert!(authorize_read(&UserId::new("bob"), &acl()));
        assert!(!authorize_read(&UserId::new("mallory"), &acl()));
    }

    #[test]
    fn only_the_owner_introduces_changes() {
        let alice = UserId::new("alice");
        let bob = UserId::new("bob");
        assert_eq!(authorize_change(&alice, &acl(), &[change()]), Ok(()));
        assert_eq!(
            authorize_change(&bob, &acl(), &[]),
            Ok(()),
            "reading is fine"
        );
        assert_eq!(
            authorize_change(&bob, &acl(), &[change(), change()]),
            Err(Refusal::NotWriter {
                user: bob,
                owner: alice,
                count: 2
            })
        );
        let mallory = UserId::new("mallory");
        assert_eq!(
            authorize_change(&mallory, &acl(), &[]),
            Err(Refusal::NotReadable { user: mallory })
        );
    }

    #[test]
    fn community_posts_are_read_by_anyone_and_written_by_their_owner() {
        let question = DocAcl {
            owner: UserId::new("asker"),
            readers: vec![],
            kind: DocKind::CommunityQuestion {
                question_id: "q1".into(),
                hobby: "guitar".into(),
            },
        };
        let answer = DocAcl {
            owner: UserId::new("helper"),
            readers: vec![],
            kind: DocKind::CommunityAnswer {
                question_id: "q1".into(),
                answer_id: "a1".into(),
                ai_model: None,
            },
        };
        let stranger = UserId::new("stranger");
        for acl in [&question, &answer] {
            assert!(authorize_read(&stranger, acl), "public: {:?}", acl.kind);
            assert_eq!(authorize_change(&stranger, acl, &[]), Ok(()), "reading");
            assert_eq!(
                authorize_change(&stranger, acl, &[change()]),
                Err(Refusal::NotWriter {
                    user: stranger.clone(),
                    owner: acl.owner.clone(),
                    count: 1
                }),
                "only the owner writes"
            );
            assert_eq!(authorize_change(&acl.owner, acl, &[change()]), Ok(()));
        }
        assert!(!acl().kind.is_public(), "chat documents stay private");
    }

    #[test]
    fn community_kinds_round_trip_as_stored_json() {
        let kind = DocKind::CommunityAnswer {
            question_id: "q1".into(),
            answer_id: "a1".into(),
            ai_model: Some("smollm2".into()),
        };
        let json = serde_json::to_string(&kind).expect("json");
        assert_eq!(
            json,
            r#"{"type":"communityAnswer","questionId":"q1","answerId":"a1","aiModel":"smollm2"}"#
        );
        assert_eq!(serde_json::from_str::<DocKind>(&json).expect("back"), kind);
        let human: DocKind =
            serde_json::from_str(r#"{"type":"communityAnswer","questionId":"q","answerId":"a"}"#)
                .expect("no aiModel");
        assert!(matches!(
            human,
            DocKind::CommunityAnswer { ai_model: None, .. }
        ));
    }

    #[test]
    fn new_changes_are_those_the_server_lacks() {
        let mut server = AutoCommit::new();
        server.put(ROOT, "a", 1).expect("put");
        let mut client = server.fork();
        client.put(ROOT, "b", 2).expect("put");
        let mut server = server.document().clone();

        // a sync message from the client to a server whose state is fresh
        use automerge::sync::{State, SyncDoc};
        let (mut s_state, mut c_state) = (State::new(), State::new());
        let client_doc = client.document().clone();
        let first = client_doc
            .generate_sync_message(&mut c_state)
            .expect("first message");
        server
            .receive_sync_message(&mut s_state, first)
            .expect("receive");
        let reply = server.generate_sync_message(&mut s_state).expect("reply");
        let mut client_doc = client_doc;
        client_doc
            .receive_sync_message(&mut c_state, reply)
            .expect("receive");
        let with_changes = client_doc
            .generate_sync_message(&mut c_state)
            .expect("message with the change");
        let new = new_changes_in(&server, &with_changes).expect("parse");
        assert_eq!(new.len(), 1, "only the change adding `b` is new");
        assert_eq!(&new[0].actor, client_doc.get_actor());
    }

    #[test]
    fn whole_document_chunks_are_listed_too() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "a", 1).expect("put");
        doc.commit();
        doc.put(ROOT, "b", 2).expect("put");
        let message = automerge::sync::Message {
            heads: vec![],
            need: vec![],
            have: vec![],
            changes: doc.save().into(),
            flags: None,
            version: automerge::sync::MessageVersion::V2,
        };
        let empty = Automerge::new();
        let new = new_changes_in(&empty, &message).expect("parse");
        assert_eq!(new.len(), 2, "both commits are new to an empty document");
    }

    #[test]
    fn garbage_chunks_are_an_error() {
        let message = automerge::sync::Message {
            heads: vec![],
            need: vec![],
            have: vec![],
            changes: vec![vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3]].into(),
            flags: None,
            version: automerge::sync::MessageVersion::V1,
        };
        assert!(new_changes_in(&Automerge::new(), &message).is_err());
    }
}

//! What a newly uploaded document says it is, checked against its id.
//!
//! When a peer uploads a document the server has never seen, the server must
//! decide its owner and readers. The document's content claims them (a chat
//! document names its room, owner and month), and the claim is only believed
//! if the document id is the one derived from those fields. The server then
//! checks what only it knows (is the owner a member of the room?) and answers
//! with the [`DocAcl`](crate::DocAcl) to store.
//!
//! To add a kind of document: add a `DocKind` variant, a reader here that
//! recognises it, and a derived-id function beside its schema.

use automerge::{Automerge, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use crate::acl::{DocKind, UserId};
use crate::chat::verify_chat_document;
use crate::document_id::DocumentId;
use crate::error::ProtocolError;

/// What a new document claims to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocClaim {
    /// The user the document says owns it.
    pub owner: UserId,
    /// What it is (for a chat document: room and month).
    pub kind: DocKind,
}

impl DocClaim {
    /// Reads the claim of `doc`, uploaded as `document_id`.
    pub fn read(document_id: &DocumentId, doc: &Automerge) -> Result<Self, ProtocolError> {
        if doc.get(ROOT, "messages")?.is_some() {
            let header = verify_chat_document(doc, document_id)?;
            return Ok(Self {
                owner: header.owner_id,
                kind: DocKind::ChatMessages {
                    room_id: header.room_id,
                    month: header.month,
                },
            });
        }
        Err(ProtocolError::Schema {
            field: "(root)".into(),
            reason: "not a kind of document this server accepts (no `messages` list)".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{ChatHeader, chat_document_id, create_chat_document};

    #[test]
    fn a_chat_document_claims_its_owner_room_and_month() {
        let header = ChatHeader {
            room_id: "r".into(),
            owner_id: UserId::new("alice"),
            month: "2026-11".into(),
        };
        let mut doc = create_chat_document(&header).expect("create");
        let id = chat_document_id("r", &header.owner_id, "2026-11");
        let claim = DocClaim::read(&id, doc.document()).expect("claim");
        assert_eq!(claim.owner, header.owner_id);
        assert_eq!(
            claim.kind,
            DocKind::ChatMessages {
                room_id: "r".into(),
                month: "2026-11".into()
            }
        );
        assert!(
            DocClaim::read(&DocumentId::random(), doc.document()).is_err(),
            "a random id does not match the header"
        );
        assert!(
            DocClaim::read(&id, &Automerge::new()).is_err(),
            "empty document"
        );
    }
}

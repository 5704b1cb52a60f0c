//! What a newly uploaded document says it is, checked against its id.
//!
//! When a peer uploads a document the server has never seen, the server must
//! decide its owner and readers. The document's content claims them (a chat
//! document names its room, owner and month; a community question its id and
//! asker; an answer its question, id, author and AI label), and the claim is only believed
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
use crate::community;
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
        match community::document_type(doc).as_deref() {
            Some(community::QUESTION_TYPE) => {
                let q = community::verify_question_document(doc, document_id)?;
                return Ok(Self {
                    owner: q.asker_id,
                    kind: DocKind::CommunityQuestion {
                        question_id: q.question_id,
                        hobby: q.hobby,
                    },
                });
            }
            Some(community::ANSWER_TYPE) => {
                let a = community::verify_answer_document(doc, document_id)?;
                return Ok(Self {
                    owner: a.author_id,
                    kind: DocKind::CommunityAnswer {
                        question_id: a.question_id,
                        answer_id: a.answer_id,
                        ai_model: a.ai.map(|ai| ai.model),
                    },
                });
            }
            _ => {}
        }
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
            reason: "not a kind of document this server accepts (neither a `messages` list \
                     nor a community `type`)"
                .into(),
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

    #[test]
    fn community_documents_claim_their_owner_and_ids() {
        use crate::community::{
            AiLabel, NewAnswer, NewQuestion, answer_document_id, create_answer, create_question,
            question_document_id,
        };
        let asker = UserId::new("asker");
        let mut q = create_question(&NewQuestion {
            question_id: "q1".into(),
            asker_id: asker.clone(),
            hobby: "guitar".into(),
            title: "바레코드".into(),
            body: "어떻게 잡나요?".into(),
            created_at: 1,
        })
        .expect("question");
        let id = question_document_id("q1", &asker);
        let claim = DocClaim::read(&id, q.document()).expect("claim");
        assert_eq!(claim.owner, asker);
        assert_eq!(
            claim.kind,
            DocKind::CommunityQuestion {
                question_id: "q1".into(),
                hobby: "guitar".into()
            }
        );
        let other = question_document_id("q1", &UserId::new("mallory"));
        assert!(
            DocClaim::read(&other, q.document()).is_err(),
            "a question cannot pose under another asker's id"
        );

        let helper = UserId::new("helper");
        let mut a = create_answer(&NewAnswer {
            question_id: "q1".into(),
            answer_id: "a1".into(),
            author_id: helper.clone(),
            body: "검지로 눌러요".into(),
            created_at: 2,
            ai: Some(AiLabel {
                model: "smollm2".into(),
            }),
        })
        .expect("answer");
        let id = answer_document_id("q1", "a1", &helper);
        let claim = DocClaim::read(&id, a.document()).expect("claim");
        assert_eq!(claim.owner, helper);
        assert_eq!(
            claim.kind,
            DocKind::CommunityAnswer {
                question_id: "q1".into(),
                answer_id: "a1".into(),
                ai_model: Some("smollm2".into())
            }
        );
    }
}

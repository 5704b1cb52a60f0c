//! Creating documents: a peer uploads a document storage does not have. It
//! syncs into a provisional copy (answered like an empty document, so the peer
//! sends its changes); once it holds changes its claim is checked against this
//! connection's user and handed to the driver (`AuthorizeNewDocument`), whose
//! decision creates it (`CreateDocument`) or refuses it.

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, Change};

use super::Session;
use crate::acl::{DocAcl, IncomingChange, authorize_change};
use crate::action::Action;
use crate::claim::DocClaim;
use crate::document_id::DocumentId;
use crate::documents::{Access, Documents};
use crate::error::ProtocolError;

impl Session {
    pub(super) fn on_absent(
        &mut self,
        document_id: DocumentId,
        is_request: bool,
        data: Vec<u8>,
        actions: &mut Vec<Action>,
    ) {
        let creating = self
            .docs
            .values()
            .filter(|pd| pd.provisional.is_some())
            .count();
        let Some(pd) = self.docs.get(&document_id) else {
            return;
        };
        if pd.provisional.is_none() {
            if is_request {
                // stays subscribed: told through `document_changed` if it appears
                return actions.extend(self.to_peer(document_id, None));
            }
            if creating >= self.limits.max_new_documents {
                return actions.push(self.error_to_peer(format!(
                    "document {document_id}: too many new documents at once (limit {})",
                    self.limits.max_new_documents
                )));
            }
        }
        let message = match sync::Message::decode(&data) {
            Ok(m) => m,
            Err(e) => return actions.push(self.invalid_sync(document_id, e.to_string())),
        };
        let user = self.principal.user_id.clone();
        let Some(pd) = self.docs.get_mut(&document_id) else {
            return;
        };
        let Some(state) = pd.state.as_mut() else {
            return;
        };
        let provisional = pd.provisional.get_or_insert_with(Automerge::new);
        let outcome = match provisional.receive_sync_message(state, message) {
            Err(e) => Err(ProtocolError::from(e).to_string()),
            Ok(()) if provisional.get_heads().is_empty() => {
                // nothing yet: answer as an empty document, so the peer sends its changes
                let reply = provisional.generate_sync_message(state).map(|m| m.encode());
                if let Some(data) = reply {
                    actions.extend(self.to_peer(document_id, Some(data)));
                }
                return;
            }
            Ok(()) => match DocClaim::read(&document_id, provisional) {
                Ok(claim) if claim.owner == user => Ok(claim),
                Ok(claim) => Err(format!(
                    "it claims to be owned by {}, but this connection is {user}",
                    claim.owner
                )),
                Err(e) => Err(e.to_string()),
            },
        };
        match outcome {
            Ok(claim) => {
                pd.awaiting_authorization = true;
                actions.push(Action::AuthorizeNewDocument { document_id, claim });
            }
            Err(reason) => {
                pd.provisional = None;
                pd.state = Some(sync::State::new());
                actions.push(self.error_to_peer(format!(
                    "document {document_id}: creation refused: {reason}"
                )));
            }
        }
    }

    /// The driver's answer to `AuthorizeNewDocument`: the ACL to store the new
    /// document with, or why it may not be created.
    pub fn new_document_decided(
        &mut self,
        document_id: DocumentId,
        decision: Result<DocAcl, String>,
        docs: &mut Documents,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(pd) = self.docs.get_mut(&document_id) else {
            return actions;
        };
        if !pd.awaiting_authorization {
            return actions;
        }
        pd.awaiting_authorization = false;
        let Some(provisional) = pd.provisional.take() else {
            return actions;
        };
        let acl = match decision {
            Ok(acl) if acl.owner == self.principal.user_id => acl,
            Ok(acl) => {
                pd.state = Some(sync::State::new());
                actions.push(self.error_to_peer(format!(
                    "document {document_id}: creation refused: it would be owned by {}, not {}",
                    acl.owner, self.principal.user_id
                )));
                self.drain(document_id, docs, &mut actions);
                return actions;
            }
            Err(reason) => {
                pd.state = Some(sync::State::new());
                actions.push(self.error_to_peer(format!(
                    "document {document_id}: creation refused: {reason}"
                )));
                self.drain(document_id, docs, &mut actions);
                return actions;
            }
        };
        match docs.access(&document_id) {
            Access::Ready => self.adopt_provisional(document_id, provisional, docs, &mut actions),
            _ => {
                let data = provisional.save();
                docs.insert_created(document_id, acl.clone(), provisional);
                actions.push(Action::CreateDocument {
                    document_id,
                    acl,
                    data,
                });
            }
        }
        self.drain(document_id, docs, &mut actions);
        actions
    }

    /// Merges a provisional copy into the stored document that appeared
    /// meanwhile (created by another connection), as an ordinary write.
    pub(super) fn adopt_provisional(
        &mut self,
        document_id: DocumentId,
        provisional: Automerge,
        docs: &mut Documents,
        actions: &mut Vec<Action>,
    ) {
        let user = self.principal.user_id.clone();
        let Some(entry) = docs.loaded_mut(&document_id) else {
            return;
        };
        let new: Vec<Change> = provisional
            .get_changes(&[])
            .into_iter()
            .filter(|c| entry.doc.get_change_meta_by_hash(&c.hash()).is_none())
            .collect();
        let incoming: Vec<IncomingChange> = new
            .iter()
            .map(|c| IncomingChange {
                hash: c.hash(),
                actor: c.actor_id().clone(),
            })
            .collect();
        if let Err(refusal) = authorize_change(&user, &entry.acl, &incoming) {
            return self.refuse(document_id, refusal, docs, actions);
        }
        let before = entry.doc.get_heads();
        if let Err(e) = entry.doc.apply_changes(new) {
            return actions.push(self.invalid_sync(document_id, e.to_string()));
        }
        if entry.doc.get_heads() == before {
            return self.reply(document_id, docs, actions);
        }
        let changes = entry
            .doc
            .get_changes(&before)
            .iter()
            .flat_map(|c| c.raw_bytes().iter().copied())
            .collect();
        entry.pending_stores += 1;
        actions.push(Action::StoreChanges {
            document_id,
            changes,
        });
    }
}

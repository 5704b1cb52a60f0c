//! The per-document part of a server session: queueing, authorising and
//! applying sync messages, creating new documents, replying.

use automerge::sync::{self, SyncDoc};

use super::{PeerDoc, Session, sanitize};
use crate::acl::{Refusal, authorize_change, authorize_read, new_changes_in};
use crate::action::Action;
use crate::document_id::DocumentId;
use crate::documents::{Access, Documents};
use crate::error::ProtocolError;

impl Session {
    pub(super) fn on_document_message(
        &mut self,
        document_id: DocumentId,
        is_request: bool,
        data: Vec<u8>,
        docs: &mut Documents,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.docs.contains_key(&document_id) {
            if self.docs.len() >= self.limits.max_open_documents {
                actions.push(self.error_to_peer(format!(
                    "document {document_id}: too many documents open on this connection (limit {})",
                    self.limits.max_open_documents
                )));
                return actions;
            }
            let state = match self.storage_key(document_id) {
                Some(key) => {
                    actions.push(Action::LoadSyncState { key });
                    // load the document meanwhile, not after
                    if docs.access(&document_id) == Access::StartLoad {
                        actions.push(Action::LoadDocument { document_id });
                    }
                    None
                }
                None => Some(sync::State::new()),
            };
            self.docs.insert(
                document_id,
                PeerDoc {
                    state,
                    ..PeerDoc::default()
                },
            );
            docs.subscribe(document_id, self.connection);
        }
        let limit = self.limits.max_queued_messages;
        let queued = self.docs.get(&document_id).map_or(0, |pd| pd.queue.len());
        if queued >= limit {
            return self.fatal(
                docs,
                format!("more than {limit} messages queued for document {document_id}"),
            );
        }
        if let Some(pd) = self.docs.get_mut(&document_id) {
            pd.queue.push_back((is_request, data));
        }
        self.drain(document_id, docs, &mut actions);
        actions
    }

    /// Runs queued messages for as long as the document and state are ready.
    pub(super) fn drain(
        &mut self,
        document_id: DocumentId,
        docs: &mut Documents,
        actions: &mut Vec<Action>,
    ) {
        loop {
            let Some(pd) = self.docs.get(&document_id) else {
                return;
            };
            if pd.state.is_none() || pd.awaiting_authorization || pd.queue.is_empty() {
                return;
            }
            let access = docs.access(&document_id);
            if matches!(access, Access::Wait) {
                return;
            }
            if matches!(access, Access::StartLoad) {
                actions.push(Action::LoadDocument { document_id });
                return;
            }
            if let Access::Failed(reason) = access {
                self.forget(document_id, docs);
                actions.push(self.error_to_peer(format!(
                    "document {document_id} could not be loaded: {reason}"
                )));
                return;
            }
            let Some((is_request, data)) = self
                .docs
                .get_mut(&document_id)
                .and_then(|pd| pd.queue.pop_front())
            else {
                return;
            };
            if access == Access::Absent {
                self.on_absent(document_id, is_request, data, actions);
            } else {
                self.on_present(document_id, data, docs, actions);
            }
        }
    }

    pub(super) fn invalid_sync(&self, document_id: DocumentId, reason: String) -> Action {
        self.error_to_peer(
            ProtocolError::InvalidSyncMessage {
                document_id: document_id.to_string(),
                reason,
            }
            .to_string(),
        )
    }

    pub(super) fn refuse(
        &mut self,
        document_id: DocumentId,
        refusal: Refusal,
        docs: &mut Documents,
        actions: &mut Vec<Action>,
    ) {
        if let Refusal::NotReadable { .. } = refusal {
            self.forget(document_id, docs);
            actions.extend(self.to_peer(document_id, None));
        } else {
            actions.push(
                self.error_to_peer(format!("document {document_id}: change refused: {refusal}")),
            );
        }
    }

    fn on_present(
        &mut self,
        document_id: DocumentId,
        data: Vec<u8>,
        docs: &mut Documents,
        actions: &mut Vec<Action>,
    ) {
        let user = self.principal.user_id.clone();
        let readable = docs
            .acl(&document_id)
            .is_some_and(|acl| authorize_read(&user, acl));
        if !readable {
            self.forget(document_id, docs);
            actions.extend(self.to_peer(document_id, None));
            return;
        }
        if let Some(provisional) = self
            .docs
            .get_mut(&document_id)
            .and_then(|pd| pd.provisional.take())
        {
            self.adopt_provisional(document_id, provisional, docs, actions);
        }
        let message = match sync::Message::decode(&data) {
            Ok(m) => m,
            Err(e) => return actions.push(self.invalid_sync(document_id, e.to_string())),
        };
        let Some(entry) = docs.loaded_mut(&document_id) else {
            return;
        };
        let incoming = match new_changes_in(&entry.doc, &message) {
            Ok(incoming) => incoming,
            Err(e) => return actions.push(self.invalid_sync(document_id, e.to_string())),
        };
        if let Err(refusal) = authorize_change(&user, &entry.acl, &incoming) {
            return self.refuse(document_id, refusal, docs, actions);
        }
        let Some(state) = self
            .docs
            .get_mut(&document_id)
            .and_then(|pd| pd.state.as_mut())
        else {
            return;
        };
        sanitize(state, &entry.doc);
        let before = entry.doc.get_heads();
        if let Err(e) = entry.doc.receive_sync_message(state, message) {
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

    /// Sends the peer a sync message if it lacks anything, unless a store is
    /// pending (then `document_changed` will come once it is durable).
    pub(super) fn reply(
        &mut self,
        document_id: DocumentId,
        docs: &mut Documents,
        actions: &mut Vec<Action>,
    ) {
        let user = self.principal.user_id.clone();
        let Some(entry) = docs.loaded_mut(&document_id) else {
            return;
        };
        if entry.pending_stores > 0 || !authorize_read(&user, &entry.acl) {
            return;
        }
        let Some(state) = self
            .docs
            .get_mut(&document_id)
            .and_then(|pd| pd.state.as_mut())
        else {
            return;
        };
        sanitize(state, &entry.doc);
        let data = entry.doc.generate_sync_message(state).map(|m| m.encode());
        if let Some(data) = data {
            actions.extend(self.to_peer(document_id, Some(data)));
        }
    }
}

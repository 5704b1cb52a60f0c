//! The server side of one connection: handshake, per-document sync state,
//! authorisation of every incoming change, and document creation.
//!
//! The session does no I/O. It reads frames and returns [`Action`]s; the driver
//! (the sync server's WebSocket task) performs them and reports back through
//! `sync_state_loaded`, `document_changed`, `new_document_decided` and
//! `deliver_ephemeral`. Documents live in the shared [`Documents`] table.
//!
//! Per document, incoming messages queue until both the document and this
//! peer's persisted sync state are loaded, then run in order:
//! - readable, loaded document: the Automerge sync message is decoded, the
//!   changes new to the server are listed and authorised for this user
//!   ([`authorize_change`](crate::authorize_change)); refused → an `error` to the peer and nothing is
//!   applied, stored or forwarded; allowed → applied, and if anything changed,
//!   `StoreChanges` (the reply waits until the store is durable);
//! - not readable: `doc-unavailable`, and the session forgets the document;
//! - unknown to storage: a `request` gets `doc-unavailable` (and the peer hears
//!   about the document if it is created later); a `sync` starts a provisional
//!   copy that syncs like an empty document until it holds changes, whose claim
//!   ([`DocClaim`](crate::DocClaim)) is then checked and handed to the driver to authorise.

use std::collections::{HashMap, VecDeque};

use automerge::Automerge;
use automerge::sync;

use crate::acl::authorize_read;
use crate::action::{Action, Principal, ServerIdentity, SessionLimits, SyncStateKey};
use crate::document_id::DocumentId;
use crate::documents::{Access, ConnectionId, Documents};
use crate::error::ProtocolError;
use crate::message::{PROTOCOL_VERSION, RepoMessage};
use crate::peer::{PeerId, PeerMetadata};

#[derive(Debug)]
enum Phase {
    AwaitingJoin,
    Joined {
        peer_id: PeerId,
        metadata: PeerMetadata,
    },
    Closed,
}

mod creation;
mod document;

#[derive(Debug, Default)]
struct PeerDoc {
    /// `None` while the persisted state is being loaded.
    state: Option<sync::State>,
    /// Automerge sync messages (with "was a `request`") waiting for the
    /// document or the state.
    queue: VecDeque<(bool, Vec<u8>)>,
    /// A document being created by this peer (unknown to storage).
    provisional: Option<Automerge>,
    awaiting_authorization: bool,
}

/// One connection's protocol state on the server.
#[derive(Debug)]
pub struct Session {
    connection: ConnectionId,
    server: ServerIdentity,
    principal: Principal,
    limits: SessionLimits,
    phase: Phase,
    docs: HashMap<DocumentId, PeerDoc>,
}

/// Drops `shared_heads` the document does not have (a state persisted while a
/// store later failed), which would otherwise make Automerge reason about
/// changes it cannot find.
fn sanitize(state: &mut sync::State, doc: &Automerge) {
    if state
        .shared_heads
        .iter()
        .any(|h| doc.get_change_meta_by_hash(h).is_none())
    {
        *state = sync::State::new();
    }
}

impl Session {
    /// A session for a new connection of `principal` to `server`.
    pub fn new(
        connection: ConnectionId,
        server: ServerIdentity,
        principal: Principal,
        limits: SessionLimits,
    ) -> Self {
        Self {
            connection,
            server,
            principal,
            limits,
            phase: Phase::AwaitingJoin,
            docs: HashMap::new(),
        }
    }

    /// This connection's id.
    pub fn connection(&self) -> ConnectionId {
        self.connection
    }

    /// The peer id given in `join`, once joined.
    pub fn peer_id(&self) -> Option<&PeerId> {
        match &self.phase {
            Phase::Joined { peer_id, .. } => Some(peer_id),
            _ => None,
        }
    }

    /// The authenticated user.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// True once the session has ended (error, `leave`, or [`Self::close`]).
    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// Handles one binary frame from the peer.
    pub fn handle_frame(&mut self, frame: &[u8], docs: &mut Documents) -> Vec<Action> {
        if self.is_closed() {
            return Vec::new();
        }
        match RepoMessage::decode_with_limit(frame, self.limits.max_message_bytes) {
            Ok(message) => self.handle(message, docs),
            Err(e) => self.fatal(docs, e.to_string()),
        }
    }

    /// Handles one decoded message from the peer.
    pub fn handle(&mut self, message: RepoMessage, docs: &mut Documents) -> Vec<Action> {
        let joined_as = match &self.phase {
            Phase::Closed => return Vec::new(),
            Phase::AwaitingJoin => None,
            Phase::Joined { peer_id, .. } => Some(peer_id.clone()),
        };
        if let RepoMessage::Join {
            sender_id,
            peer_metadata,
            supported_protocol_versions,
        } = message
        {
            return self.on_join(
                joined_as,
                sender_id,
                peer_metadata,
                supported_protocol_versions,
                docs,
            );
        }
        let Some(peer_id) = joined_as else {
            return self.fatal(
                docs,
                ProtocolError::Handshake(format!(
                    "expected `join` first, got `{}`",
                    message.message_type()
                ))
                .to_string(),
            );
        };
        if let Some(sender) = message.sender_id()
            && *sender != peer_id
        {
            return self.fatal(
                docs,
                ProtocolError::Handshake(format!(
                    "senderId {sender} is not the joined peer {peer_id}"
                ))
                .to_string(),
            );
        }
        match message {
            RepoMessage::Request {
                target_id,
                document_id,
                data,
                ..
            } if target_id == self.server.peer_id => {
                self.on_document_message(document_id, true, data, docs)
            }
            RepoMessage::Sync {
                target_id,
                document_id,
                data,
                ..
            } if target_id == self.server.peer_id => {
                self.on_document_message(document_id, false, data, docs)
            }
            RepoMessage::Request { target_id, .. }
            | RepoMessage::Sync { target_id, .. }
            | RepoMessage::Ephemeral { target_id, .. }
                if target_id != self.server.peer_id =>
            {
                vec![self.error_to_peer(format!(
                    "targetId {target_id} is not this server ({})",
                    self.server.peer_id
                ))]
            }
            RepoMessage::Ephemeral { document_id, .. } => {
                let readable = docs
                    .acl(&document_id)
                    .is_some_and(|acl| authorize_read(&self.principal.user_id, acl));
                if readable && self.docs.contains_key(&document_id) {
                    vec![Action::Broadcast {
                        document_id,
                        message,
                    }]
                } else {
                    Vec::new()
                }
            }
            RepoMessage::Leave { .. } => {
                let mut actions = self.close(docs);
                actions.push(Action::Close {
                    reason: "peer left".into(),
                });
                actions
            }
            RepoMessage::Peer { .. } => self.fatal(
                docs,
                ProtocolError::Handshake("a client must not send `peer`".into()).to_string(),
            ),
            // The peer reports an error and will close; documents it lacks are
            // its business; heads gossip is not used by this server.
            RepoMessage::Error { .. }
            | RepoMessage::DocUnavailable { .. }
            | RepoMessage::RemoteSubscriptionChange { .. }
            | RepoMessage::RemoteHeadsChanged { .. }
            | RepoMessage::Request { .. }
            | RepoMessage::Sync { .. }
            | RepoMessage::Join { .. } => Vec::new(),
        }
    }

    fn on_join(
        &mut self,
        joined_as: Option<PeerId>,
        sender_id: PeerId,
        peer_metadata: Option<PeerMetadata>,
        versions: Option<Vec<String>>,
        docs: &mut Documents,
    ) -> Vec<Action> {
        if let Some(existing) = joined_as
            && existing != sender_id
        {
            return self.fatal(
                docs,
                ProtocolError::Handshake(format!(
                    "already joined as {existing}, cannot rejoin as {sender_id}"
                ))
                .to_string(),
            );
        }
        // automerge-repo's WebSocketServerAdapter: an absent list means "1".
        let supported = versions.is_none_or(|v| v.iter().any(|v| v == PROTOCOL_VERSION));
        if !supported {
            // same text as automerge-repo's server sends
            return self.fatal(docs, "unsupported protocol version".into());
        }
        let reply = RepoMessage::Peer {
            sender_id: self.server.peer_id.clone(),
            target_id: sender_id.clone(),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some(self.server.storage_id.clone()),
                is_ephemeral: false,
            }),
            selected_protocol_version: PROTOCOL_VERSION.to_string(),
        };
        self.phase = Phase::Joined {
            peer_id: sender_id,
            metadata: peer_metadata.unwrap_or_default(),
        };
        vec![Action::Send(reply.encode())]
    }

    /// The peer must go: an `error`, the session's `close` actions, `Close`.
    fn fatal(&mut self, docs: &mut Documents, reason: String) -> Vec<Action> {
        let mut actions = vec![self.error_to_peer(reason.clone())];
        actions.extend(self.close(docs));
        actions.push(Action::Close { reason });
        actions
    }

    fn error_to_peer(&self, message: String) -> Action {
        Action::Send(
            RepoMessage::Error {
                sender_id: Some(self.server.peer_id.clone()),
                target_id: self.peer_id().cloned(),
                message,
            }
            .encode(),
        )
    }

    fn to_peer(&self, document_id: DocumentId, data: Option<Vec<u8>>) -> Option<Action> {
        let target_id = self.peer_id()?.clone();
        let sender_id = self.server.peer_id.clone();
        let message = match data {
            Some(data) => RepoMessage::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            },
            None => RepoMessage::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            },
        };
        Some(Action::Send(message.encode()))
    }

    fn storage_key(&self, document_id: DocumentId) -> Option<SyncStateKey> {
        match &self.phase {
            Phase::Joined { metadata, .. } => {
                metadata
                    .persistent_storage()
                    .map(|storage_id| SyncStateKey {
                        user_id: self.principal.user_id.clone(),
                        storage_id: storage_id.clone(),
                        document_id,
                    })
            }
            _ => None,
        }
    }

    /// The sync states worth persisting now (peer with a persistent storage
    /// id, something shared), keyed for storage.
    pub fn sync_states(&self) -> Vec<(SyncStateKey, Vec<u8>)> {
        self.docs
            .iter()
            .filter_map(|(id, pd)| {
                let state = pd.state.as_ref()?;
                if state.shared_heads.is_empty() || pd.provisional.is_some() {
                    return None;
                }
                Some((self.storage_key(*id)?, state.encode()))
            })
            .collect()
    }

    /// Ends the session (the socket closed, or the session decided to close):
    /// returns `PersistSyncState` for every state worth keeping, and
    /// unsubscribes from every document. Idempotent.
    pub fn close(&mut self, docs: &mut Documents) -> Vec<Action> {
        let actions = self
            .sync_states()
            .into_iter()
            .map(|(key, state)| Action::PersistSyncState { key, state })
            .collect();
        for id in self.docs.keys() {
            docs.unsubscribe(id, self.connection);
        }
        self.docs.clear();
        self.phase = Phase::Closed;
        actions
    }

    /// The persisted sync state for `document_id` was loaded (`None`: there is
    /// none). Unreadable bytes are treated as none: a full sync is always correct.
    pub fn sync_state_loaded(
        &mut self,
        document_id: DocumentId,
        state: Option<&[u8]>,
        docs: &mut Documents,
    ) -> Vec<Action> {
        let Some(pd) = self.docs.get_mut(&document_id) else {
            return Vec::new();
        };
        if pd.state.is_some() {
            return Vec::new();
        }
        pd.state = Some(
            state
                .and_then(|bytes| sync::State::decode(bytes).ok())
                .unwrap_or_default(),
        );
        let mut actions = Vec::new();
        self.drain(document_id, docs, &mut actions);
        actions
    }

    /// The document was loaded, changed (stores durable, other instances'
    /// changes applied) or dropped from memory: process what is queued and
    /// send the peer what it lacks.
    pub fn document_changed(
        &mut self,
        document_id: DocumentId,
        docs: &mut Documents,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(pd) = self.docs.get(&document_id) else {
            return actions;
        };
        if self.is_closed() || pd.awaiting_authorization || pd.state.is_none() {
            return actions;
        }
        if !pd.queue.is_empty() {
            self.drain(document_id, docs, &mut actions);
            return actions;
        }
        match docs.access(&document_id) {
            Access::Ready => {
                let readable = docs
                    .acl(&document_id)
                    .is_some_and(|acl| authorize_read(&self.principal.user_id, acl));
                if !readable {
                    self.forget(document_id, docs);
                    actions.extend(self.to_peer(document_id, None));
                    return actions;
                }
                if let Some(provisional) = self
                    .docs
                    .get_mut(&document_id)
                    .and_then(|pd| pd.provisional.take())
                {
                    self.adopt_provisional(document_id, provisional, docs, &mut actions);
                } else {
                    self.reply(document_id, docs, &mut actions);
                }
            }
            Access::StartLoad => actions.push(Action::LoadDocument { document_id }),
            Access::Absent | Access::Wait | Access::Failed(_) => {}
        }
        actions
    }

    /// Another subscriber sent an ephemeral message about a document: pass it
    /// on if this peer syncs that document and may read it.
    pub fn deliver_ephemeral(
        &mut self,
        message: &RepoMessage,
        docs: &mut Documents,
    ) -> Vec<Action> {
        let RepoMessage::Ephemeral {
            sender_id,
            document_id,
            session_id,
            count,
            data,
            ..
        } = message
        else {
            return Vec::new();
        };
        let Some(target_id) = self.peer_id().cloned() else {
            return Vec::new();
        };
        let readable = docs
            .acl(document_id)
            .is_some_and(|acl| authorize_read(&self.principal.user_id, acl));
        if !readable || !self.docs.contains_key(document_id) || *sender_id == target_id {
            return Vec::new();
        }
        vec![Action::Send(
            RepoMessage::Ephemeral {
                sender_id: sender_id.clone(),
                target_id,
                document_id: *document_id,
                session_id: session_id.clone(),
                count: *count,
                data: data.clone(),
            }
            .encode(),
        )]
    }

    fn forget(&mut self, document_id: DocumentId, docs: &mut Documents) {
        self.docs.remove(&document_id);
        docs.unsubscribe(&document_id, self.connection);
    }
}

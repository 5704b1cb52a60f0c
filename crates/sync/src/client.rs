//! The desktop side of a connection to the sync server, sans-IO.
//!
//! The app owns a `ClientSession` per server connection, holds its Automerge
//! documents in it, and moves frames: [`ClientSession::connect`] gives the
//! `join` frame, [`ClientSession::handle_frame`] takes each frame from the
//! server and returns frames to send plus [`ClientEvent`]s for the UI, and
//! [`ClientSession::sync_document`] announces local edits. Sync state per
//! document can be exported and imported so a reconnect (even after a restart)
//! only exchanges what changed.

use std::collections::BTreeMap;

use automerge::Automerge;
use automerge::sync::{self, SyncDoc};
use serde::{Deserialize, Serialize};

use crate::document_id::DocumentId;
use crate::error::ProtocolError;
use crate::message::{DEFAULT_MAX_MESSAGE_BYTES, PROTOCOL_VERSION, RepoMessage};
use crate::peer::{PeerId, PeerMetadata, StorageId};

/// Where a document stands with the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DocStatus {
    /// We asked for it and have not heard back.
    Requesting,
    /// The server has answered with sync messages.
    Syncing,
    /// The server says it does not have it or we may not see it.
    Unavailable,
}

/// Something the app (and its UI) should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum ClientEvent {
    /// The handshake finished.
    #[serde(rename_all = "camelCase")]
    Connected {
        server_peer_id: PeerId,
        server_storage_id: Option<StorageId>,
    },
    /// Changes from the server were applied to this document.
    #[serde(rename_all = "camelCase")]
    DocumentChanged { document_id: DocumentId },
    /// The server does not have this document or refuses to share it.
    #[serde(rename_all = "camelCase")]
    DocumentUnavailable { document_id: DocumentId },
    /// The server reported an error (for example a refused change).
    #[serde(rename_all = "camelCase")]
    ServerError { message: String },
    /// Another peer's ephemeral data about a document.
    #[serde(rename_all = "camelCase")]
    Ephemeral {
        document_id: DocumentId,
        sender_id: PeerId,
        data: Vec<u8>,
    },
}

/// Frames to send to the server, in order, and events for the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientOutput {
    pub frames: Vec<Vec<u8>>,
    pub events: Vec<ClientEvent>,
}

#[derive(Debug)]
struct ClientDoc {
    doc: Automerge,
    state: sync::State,
    status: DocStatus,
}

/// One client connection's protocol state and the documents it syncs.
#[derive(Debug)]
pub struct ClientSession {
    peer_id: PeerId,
    metadata: PeerMetadata,
    server: Option<(PeerId, Option<StorageId>)>,
    docs: BTreeMap<DocumentId, ClientDoc>,
    max_message_bytes: usize,
    ephemeral_session: String,
    ephemeral_count: u64,
}

impl ClientSession {
    /// A client presenting itself as `peer_id` with `metadata` (give a
    /// persistent storage id to let the server keep sync state for it).
    pub fn new(peer_id: PeerId, metadata: PeerMetadata) -> Self {
        Self {
            peer_id,
            metadata,
            server: None,
            docs: BTreeMap::new(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            ephemeral_session: automerge::ActorId::random().to_hex_string(),
            ephemeral_count: 0,
        }
    }

    /// Starts (or restarts) the handshake: returns the `join` frame to send
    /// first. In-flight sync bookkeeping is dropped; shared heads are kept.
    pub fn connect(&mut self) -> Vec<u8> {
        self.disconnected();
        RepoMessage::Join {
            sender_id: self.peer_id.clone(),
            peer_metadata: Some(self.metadata.clone()),
            supported_protocol_versions: Some(vec![PROTOCOL_VERSION.to_string()]),
        }
        .encode()
    }

    /// The connection is gone: forget the server and reset what was in flight.
    pub fn disconnected(&mut self) {
        self.server = None;
        for d in self.docs.values_mut() {
            d.state = sync::State::decode(&d.state.encode()).unwrap_or_default();
        }
    }

    /// This client's peer id.
    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    /// What this client presents in `join`.
    pub fn metadata(&self) -> &PeerMetadata {
        &self.metadata
    }

    /// True once the server answered `join` with `peer`.
    pub fn is_connected(&self) -> bool {
        self.server.is_some()
    }

    /// The server's storage id (to key persisted client-side sync state by).
    pub fn server_storage_id(&self) -> Option<&StorageId> {
        self.server.as_ref().and_then(|(_, s)| s.as_ref())
    }

    /// Starts syncing a document this client has (created or loaded locally).
    pub fn open_document(&mut self, document_id: DocumentId, doc: Automerge) {
        self.docs.insert(
            document_id,
            ClientDoc {
                doc,
                state: sync::State::new(),
                status: DocStatus::Requesting,
            },
        );
    }

    /// Starts syncing a document this client does not have yet.
    pub fn request_document(&mut self, document_id: DocumentId) {
        self.open_document(document_id, Automerge::new());
    }

    /// Stops syncing a document and hands it back.
    pub fn close_document(&mut self, document_id: &DocumentId) -> Option<Automerge> {
        self.docs.remove(document_id).map(|d| d.doc)
    }

    /// A synced document.
    pub fn document(&self, document_id: &DocumentId) -> Option<&Automerge> {
        self.docs.get(document_id).map(|d| &d.doc)
    }

    /// A synced document, to change locally; call [`Self::sync_document`] after.
    pub fn document_mut(&mut self, document_id: &DocumentId) -> Option<&mut Automerge> {
        self.docs.get_mut(document_id).map(|d| &mut d.doc)
    }

    /// The documents being synced.
    pub fn document_ids(&self) -> impl Iterator<Item = &DocumentId> {
        self.docs.keys()
    }

    /// Where a document stands with the server.
    pub fn status(&self, document_id: &DocumentId) -> Option<DocStatus> {
        self.docs.get(document_id).map(|d| d.status)
    }

    /// The sync state to persist for this document (keyed by the server's storage id).
    pub fn export_sync_state(&self, document_id: &DocumentId) -> Option<Vec<u8>> {
        self.docs.get(document_id).map(|d| d.state.encode())
    }

    /// Restores a persisted sync state for an open document.
    pub fn import_sync_state(
        &mut self,
        document_id: &DocumentId,
        bytes: &[u8],
    ) -> Result<(), ProtocolError> {
        let d = self
            .docs
            .get_mut(document_id)
            .ok_or_else(|| ProtocolError::UnknownDocument(document_id.to_string()))?;
        d.state = sync::State::decode(bytes)
            .map_err(|e| ProtocolError::InvalidSyncState(e.to_string()))?;
        Ok(())
    }

    /// The frame (if any) that tells the server what changed in this document.
    /// Nothing before the handshake finished.
    pub fn sync_document(&mut self, document_id: &DocumentId) -> Option<Vec<u8>> {
        let (server, _) = self.server.as_ref()?;
        let d = self.docs.get_mut(document_id)?;
        let data = d.doc.generate_sync_message(&mut d.state)?.encode();
        let (sender_id, target_id, document_id) =
            (self.peer_id.clone(), server.clone(), *document_id);
        let message = if d.status == DocStatus::Requesting && d.doc.get_heads().is_empty() {
            RepoMessage::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
        } else {
            RepoMessage::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            }
        };
        Some(message.encode())
    }

    /// [`Self::sync_document`] for every open document.
    pub fn sync_all(&mut self) -> Vec<Vec<u8>> {
        let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
        ids.iter().filter_map(|id| self.sync_document(id)).collect()
    }

    /// An ephemeral message about an open document for the other readers.
    pub fn ephemeral(&mut self, document_id: &DocumentId, data: Vec<u8>) -> Option<Vec<u8>> {
        let (server, _) = self.server.as_ref()?;
        self.docs.get(document_id)?;
        self.ephemeral_count += 1;
        Some(
            RepoMessage::Ephemeral {
                sender_id: self.peer_id.clone(),
                target_id: server.clone(),
                document_id: *document_id,
                session_id: self.ephemeral_session.clone(),
                count: self.ephemeral_count,
                data,
            }
            .encode(),
        )
    }

    /// Handles one frame from the server. A frame that does not decode, or a
    /// sync message that does not apply, is an error (the app should drop the
    /// connection and reconnect).
    pub fn handle_frame(&mut self, frame: &[u8]) -> Result<ClientOutput, ProtocolError> {
        let message = RepoMessage::decode_with_limit(frame, self.max_message_bytes)?;
        let mut out = ClientOutput::default();
        match message {
            RepoMessage::Peer {
                sender_id,
                peer_metadata,
                selected_protocol_version,
                ..
            } => {
                if selected_protocol_version != PROTOCOL_VERSION {
                    return Err(ProtocolError::Handshake(format!(
                        "server selected protocol version {selected_protocol_version}"
                    )));
                }
                let storage = peer_metadata.and_then(|m| m.storage_id);
                self.server = Some((sender_id.clone(), storage.clone()));
                out.events.push(ClientEvent::Connected {
                    server_peer_id: sender_id,
                    server_storage_id: storage,
                });
                out.frames = self.sync_all();
            }
            RepoMessage::Error { message, .. } => {
                out.events.push(ClientEvent::ServerError { message });
            }
            RepoMessage::Sync {
                document_id, data, ..
            }
            | RepoMessage::Request {
                document_id, data, ..
            } => {
                let Some(d) = self.docs.get_mut(&document_id) else {
                    return Ok(out);
                };
                let invalid = |reason: String| ProtocolError::InvalidSyncMessage {
                    document_id: document_id.to_string(),
                    reason,
                };
                let msg = sync::Message::decode(&data).map_err(|e| invalid(e.to_string()))?;
                let before = d.doc.get_heads();
                d.doc
                    .receive_sync_message(&mut d.state, msg)
                    .map_err(|e| invalid(e.to_string()))?;
                d.status = DocStatus::Syncing;
                if d.doc.get_heads() != before {
                    out.events
                        .push(ClientEvent::DocumentChanged { document_id });
                }
                out.frames.extend(self.sync_document(&document_id));
            }
            RepoMessage::DocUnavailable { document_id, .. } => {
                if let Some(d) = self.docs.get_mut(&document_id) {
                    d.status = DocStatus::Unavailable;
                    out.events
                        .push(ClientEvent::DocumentUnavailable { document_id });
                }
            }
            RepoMessage::Ephemeral {
                document_id,
                sender_id,
                data,
                ..
            } => out.events.push(ClientEvent::Ephemeral {
                document_id,
                sender_id,
                data,
            }),
            RepoMessage::Join { .. }
            | RepoMessage::Leave { .. }
            | RepoMessage::RemoteSubscriptionChange { .. }
            | RepoMessage::RemoteHeadsChanged { .. } => {}
        }
        Ok(out)
    }
}

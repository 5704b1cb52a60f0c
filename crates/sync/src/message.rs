//! The automerge-repo wire messages, as CBOR maps in WebSocket binary frames.
//!
//! Field names and shapes follow automerge-repo:
//! - `packages/automerge-repo-network-websocket/src/messages.ts`: `join`
//!   `{type, senderId, peerMetadata, supportedProtocolVersions}`, `peer`
//!   `{type, senderId, peerMetadata, selectedProtocolVersion, targetId}`, `error`
//!   `{type, senderId, message, targetId}`, `leave` `{type, senderId}`;
//!   `protocolVersion.ts`: the only version is `"1"`.
//! - `packages/automerge-repo/src/network/messages.ts`: `sync`/`request`
//!   `{type, senderId, targetId, documentId, data}`, `doc-unavailable`
//!   `{type, senderId, targetId, documentId}`, `ephemeral` (+ `count`,
//!   `sessionId`), `remote-subscription-change` (`add`, `remove`: storage ids),
//!   `remote-heads-changed` (`newHeads`: storage id → `{heads, timestamp}`).
//! - `packages/automerge-repo/src/helpers/cbor.ts`: cbor-x with
//!   `{tagUint8Array: false, useRecords: false}`, i.e. plain maps and untagged
//!   byte strings; `documentId` is the bs58check text.

use serde::{Deserialize, Serialize};

use crate::cbor::{MapFields, Writer};
use crate::document_id::DocumentId;
use crate::error::ProtocolError;
use crate::peer::{PeerId, PeerMetadata, StorageId};

/// The one protocol version of the WebSocket adapter (`ProtocolV1`).
pub const PROTOCOL_VERSION: &str = "1";

/// Default upper bound of a frame; bigger frames are refused before decoding.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

const MAX_LIST_ITEMS: usize = 1024;

/// A peer's heads of one document as announced in `remote-heads-changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteHeads {
    /// Change hashes (hex in automerge-repo).
    pub heads: Vec<String>,
    /// Milliseconds since the Unix epoch on the announcing peer.
    pub timestamp: u64,
}

/// One automerge-repo message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoMessage {
    /// Client → server, first message on a connection.
    Join {
        sender_id: PeerId,
        peer_metadata: Option<PeerMetadata>,
        /// `None` when the field is absent (the JS server then assumes `"1"`).
        supported_protocol_versions: Option<Vec<String>>,
    },
    /// Server → client, the answer to `join`.
    Peer {
        sender_id: PeerId,
        target_id: PeerId,
        peer_metadata: Option<PeerMetadata>,
        selected_protocol_version: String,
    },
    /// Either way: something went wrong.
    Error {
        sender_id: Option<PeerId>,
        target_id: Option<PeerId>,
        message: String,
    },
    /// Client → server: the client is going away.
    Leave { sender_id: PeerId },
    /// The first sync message for a document the sender does not have yet.
    Request {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// An Automerge sync message for a document.
    Sync {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        data: Vec<u8>,
    },
    /// The sender does not have (or will not share) the document.
    DocUnavailable {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
    },
    /// Application data about a document that is not stored (presence, cursors).
    Ephemeral {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        session_id: String,
        count: u64,
        data: Vec<u8>,
    },
    /// Subscribe to / unsubscribe from other storage ids' heads.
    RemoteSubscriptionChange {
        sender_id: PeerId,
        target_id: PeerId,
        add: Vec<StorageId>,
        remove: Vec<StorageId>,
    },
    /// Another storage's heads of a document changed.
    RemoteHeadsChanged {
        sender_id: PeerId,
        target_id: PeerId,
        document_id: DocumentId,
        new_heads: Vec<(StorageId, RemoteHeads)>,
    },
}

fn required<T>(
    value: Option<T>,
    message_type: &str,
    field: &'static str,
) -> Result<T, ProtocolError> {
    value.ok_or_else(|| ProtocolError::MissingField {
        message_type: message_type.to_string(),
        field,
    })
}

fn peer_field(m: &MapFields<'_>, t: &str, field: &'static str) -> Result<PeerId, ProtocolError> {
    let text = required(m.str(field)?, t, field)?;
    PeerId::new(text).map_err(|e| rename_field(e, field))
}

fn optional_peer_field(
    m: &MapFields<'_>,
    field: &'static str,
) -> Result<Option<PeerId>, ProtocolError> {
    m.str(field)?
        .map(|t| PeerId::new(t).map_err(|e| rename_field(e, field)))
        .transpose()
}

fn rename_field(e: ProtocolError, field: &str) -> ProtocolError {
    match e {
        ProtocolError::InvalidField { reason, .. } => ProtocolError::InvalidField {
            field: field.to_string(),
            reason,
        },
        other => other,
    }
}

fn document_field(m: &MapFields<'_>, t: &str) -> Result<DocumentId, ProtocolError> {
    if let Ok(Some(bytes)) = m.bytes("documentId") {
        return DocumentId::from_slice(bytes);
    }
    DocumentId::parse(required(m.str("documentId")?, t, "documentId")?)
}

fn data_field(m: &MapFields<'_>, t: &str) -> Result<Vec<u8>, ProtocolError> {
    Ok(required(m.bytes("data")?, t, "data")?.to_vec())
}

fn storage_ids(m: &MapFields<'_>, field: &str) -> Result<Vec<StorageId>, ProtocolError> {
    m.str_array(field, MAX_LIST_ITEMS)?
        .unwrap_or_default()
        .into_iter()
        .map(|s| StorageId::new(s).map_err(|e| rename_field(e, field)))
        .collect()
}

fn metadata_field(m: &MapFields<'_>) -> Result<Option<PeerMetadata>, ProtocolError> {
    let Some(meta) = m.map("peerMetadata")? else {
        return Ok(None);
    };
    let storage_id = meta
        .str("storageId")?
        .map(|s| StorageId::new(s).map_err(|e| rename_field(e, "peerMetadata.storageId")))
        .transpose()?;
    Ok(Some(PeerMetadata {
        storage_id,
        is_ephemeral: meta.bool("isEphemeral")?.unwrap_or(false),
    }))
}

fn new_heads_field(
    m: &MapFields<'_>,
    t: &str,
) -> Result<Vec<(StorageId, RemoteHeads)>, ProtocolError> {
    let heads_map = required(m.map("newHeads")?, t, "newHeads")?;
    let mut out = Vec::new();
    for key in heads_map.keys() {
        if out.len() == MAX_LIST_ITEMS {
            return Err(ProtocolError::InvalidField {
                field: "newHeads".into(),
                reason: format!("more than {MAX_LIST_ITEMS} storage ids"),
            });
        }
        let storage = StorageId::new(key).map_err(|e| rename_field(e, "newHeads"))?;
        let entry = required(heads_map.map(key)?, t, "newHeads.<storageId>")?;
        let heads = entry
            .str_array("heads", MAX_LIST_ITEMS)?
            .unwrap_or_default()
            .into_iter()
            .map(str::to_string)
            .collect();
        let timestamp = entry.uint("timestamp")?.unwrap_or(0);
        out.push((storage, RemoteHeads { heads, timestamp }));
    }
    Ok(out)
}

impl RepoMessage {
    /// Decodes one frame, refusing frames over [`DEFAULT_MAX_MESSAGE_BYTES`].
    pub fn decode(frame: &[u8]) -> Result<Self, ProtocolError> {
        Self::decode_with_limit(frame, DEFAULT_MAX_MESSAGE_BYTES)
    }

    /// Decodes one frame, refusing frames over `max_bytes` before parsing them.
    pub fn decode_with_limit(frame: &[u8], max_bytes: usize) -> Result<Self, ProtocolError> {
        if frame.len() > max_bytes {
            return Err(ProtocolError::TooLarge {
                size: frame.len(),
                limit: max_bytes,
            });
        }
        let m = MapFields::parse(frame)?;
        let t = required(m.str("type")?, "(untyped)", "type")?;
        let message = match t {
            "join" => Self::Join {
                sender_id: peer_field(&m, t, "senderId")?,
                peer_metadata: metadata_field(&m)?,
                supported_protocol_versions: m
                    .str_array("supportedProtocolVersions", 16)?
                    .map(|v| v.into_iter().map(str::to_string).collect()),
            },
            "peer" => Self::Peer {
                sender_id: peer_field(&m, t, "senderId")?,
                target_id: peer_field(&m, t, "targetId")?,
                peer_metadata: metadata_field(&m)?,
                selected_protocol_version: required(
                    m.str("selectedProtocolVersion")?,
                    t,
                    "selectedProtocolVersion",
                )?
                .to_string(),
            },
            "error" => Self::Error {
                sender_id: optional_peer_field(&m, "senderId")?,
                target_id: optional_peer_field(&m, "targetId")?,
                message: required(m.str("message")?, t, "message")?.to_string(),
            },
            "leave" => Self::Leave {
                sender_id: peer_field(&m, t, "senderId")?,
            },
            "request" | "sync" => {
                let sender_id = peer_field(&m, t, "senderId")?;
                let target_id = peer_field(&m, t, "targetId")?;
                let document_id = document_field(&m, t)?;
                let data = data_field(&m, t)?;
                if t == "request" {
                    Self::Request {
                        sender_id,
                        target_id,
                        document_id,
                        data,
                    }
                } else {
                    Self::Sync {
                        sender_id,
                        target_id,
                        document_id,
                        data,
                    }
                }
            }
            "doc-unavailable" => Self::DocUnavailable {
                sender_id: peer_field(&m, t, "senderId")?,
                target_id: peer_field(&m, t, "targetId")?,
                document_id: document_field(&m, t)?,
            },
            "ephemeral" => Self::Ephemeral {
                sender_id: peer_field(&m, t, "senderId")?,
                target_id: peer_field(&m, t, "targetId")?,
                document_id: document_field(&m, t)?,
                session_id: required(m.str("sessionId")?, t, "sessionId")?.to_string(),
                count: required(m.uint("count")?, t, "count")?,
                data: data_field(&m, t)?,
            },
            "remote-subscription-change" => Self::RemoteSubscriptionChange {
                sender_id: peer_field(&m, t, "senderId")?,
                target_id: peer_field(&m, t, "targetId")?,
                add: storage_ids(&m, "add")?,
                remove: storage_ids(&m, "remove")?,
            },
            "remote-heads-changed" => Self::RemoteHeadsChanged {
                sender_id: peer_field(&m, t, "senderId")?,
                target_id: peer_field(&m, t, "targetId")?,
                document_id: document_field(&m, t)?,
                new_heads: new_heads_field(&m, t)?,
            },
            other => return Err(ProtocolError::UnknownType(other.chars().take(64).collect())),
        };
        Ok(message)
    }

    /// Encodes this message as one CBOR map (shortest-form headers; field order
    /// as automerge-repo builds its objects).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        match self {
            Self::Join {
                sender_id,
                peer_metadata,
                supported_protocol_versions,
            } => {
                let n = 2
                    + usize::from(peer_metadata.is_some())
                    + usize::from(supported_protocol_versions.is_some());
                w.map(n).str("type").str("join");
                w.str("senderId").str(sender_id.as_str());
                if let Some(meta) = peer_metadata {
                    write_metadata(&mut w, meta);
                }
                if let Some(versions) = supported_protocol_versions {
                    w.str("supportedProtocolVersions").array(versions.len());
                    for v in versions {
                        w.str(v);
                    }
                }
            }
            Self::Peer {
                sender_id,
                target_id,
                peer_metadata,
                selected_protocol_version,
            } => {
                w.map(4 + usize::from(peer_metadata.is_some()));
                w.str("type").str("peer");
                w.str("senderId").str(sender_id.as_str());
                if let Some(meta) = peer_metadata {
                    write_metadata(&mut w, meta);
                }
                w.str("selectedProtocolVersion")
                    .str(selected_protocol_version);
                w.str("targetId").str(target_id.as_str());
            }
            Self::Error {
                sender_id,
                target_id,
                message,
            } => {
                w.map(2 + usize::from(sender_id.is_some()) + usize::from(target_id.is_some()));
                w.str("type").str("error");
                if let Some(s) = sender_id {
                    w.str("senderId").str(s.as_str());
                }
                w.str("message").str(message);
                if let Some(t) = target_id {
                    w.str("targetId").str(t.as_str());
                }
            }
            Self::Leave { sender_id } => {
                w.map(2).str("type").str("leave");
                w.str("senderId").str(sender_id.as_str());
            }
            Self::Request {
                sender_id,
                target_id,
                document_id,
                data,
            }
            | Self::Sync {
                sender_id,
                target_id,
                document_id,
                data,
            } => {
                w.map(5).str("type").str(self.message_type());
                w.str("senderId").str(sender_id.as_str());
                w.str("targetId").str(target_id.as_str());
                w.str("documentId").str(&document_id.encode());
                w.str("data").bytes(data);
            }
            Self::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            } => {
                w.map(4).str("type").str("doc-unavailable");
                w.str("senderId").str(sender_id.as_str());
                w.str("targetId").str(target_id.as_str());
                w.str("documentId").str(&document_id.encode());
            }
            Self::Ephemeral {
                sender_id,
                target_id,
                document_id,
                session_id,
                count,
                data,
            } => {
                w.map(7).str("type").str("ephemeral");
                w.str("senderId").str(sender_id.as_str());
                w.str("targetId").str(target_id.as_str());
                w.str("count").uint(*count);
                w.str("sessionId").str(session_id);
                w.str("documentId").str(&document_id.encode());
                w.str("data").bytes(data);
            }
            Self::RemoteSubscriptionChange {
                sender_id,
                target_id,
                add,
                remove,
            } => {
                w.map(5).str("type").str("remote-subscription-change");
                w.str("senderId").str(sender_id.as_str());
                w.str("targetId").str(target_id.as_str());
                for (key, ids) in [("add", add), ("remove", remove)] {
                    w.str(key).array(ids.len());
                    for id in ids {
                        w.str(id.as_str());
                    }
                }
            }
            Self::RemoteHeadsChanged {
                sender_id,
                target_id,
                document_id,
                new_heads,
            } => {
                w.map(5).str("type").str("remote-heads-changed");
                w.str("senderId").str(sender_id.as_str());
                w.str("targetId").str(target_id.as_str());
                w.str("documentId").str(&document_id.encode());
                w.str("newHeads").map(new_heads.len());
                for (storage, heads) in new_heads {
                    w.str(storage.as_str()).map(2);
                    w.str("heads").array(heads.heads.len());
                    for h in &heads.heads {
                        w.str(h);
                    }
                    w.str("timestamp").uint(heads.timestamp);
                }
            }
        }
        w.finish()
    }

    /// The `type` field of this message.
    pub fn message_type(&self) -> &'static str {
        match self {
            Self::Join { .. } => "join",
            Self::Peer { .. } => "peer",
            Self::Error { .. } => "error",
            Self::Leave { .. } => "leave",
            Self::Request { .. } => "request",
            Self::Sync { .. } => "sync",
            Self::DocUnavailable { .. } => "doc-unavailable",
            Self::Ephemeral { .. } => "ephemeral",
            Self::RemoteSubscriptionChange { .. } => "remote-subscription-change",
            Self::RemoteHeadsChanged { .. } => "remote-heads-changed",
        }
    }

    /// The sender, when the message type has one.
    pub fn sender_id(&self) -> Option<&PeerId> {
        match self {
            Self::Error { sender_id, .. } => sender_id.as_ref(),
            Self::Join { sender_id, .. }
            | Self::Peer { sender_id, .. }
            | Self::Leave { sender_id }
            | Self::Request { sender_id, .. }
            | Self::Sync { sender_id, .. }
            | Self::DocUnavailable { sender_id, .. }
            | Self::Ephemeral { sender_id, .. }
            | Self::RemoteSubscriptionChange { sender_id, .. }
            | Self::RemoteHeadsChanged { sender_id, .. } => Some(sender_id),
        }
    }

    /// The document the message is about, when it is about one.
    pub fn document_id(&self) -> Option<DocumentId> {
        match self {
            Self::Request { document_id, .. }
            | Self::Sync { document_id, .. }
            | Self::DocUnavailable { document_id, .. }
            | Self::Ephemeral { document_id, .. }
            | Self::RemoteHeadsChanged { document_id, .. } => Some(*document_id),
            _ => None,
        }
    }
}

fn write_metadata(w: &mut Writer, meta: &PeerMetadata) {
    w.str("peerMetadata")
        .map(1 + usize::from(meta.storage_id.is_some()));
    if let Some(storage) = &meta.storage_id {
        w.str("storageId").str(storage.as_str());
    }
    w.str("isEphemeral").bool(meta.is_ephemeral);
}

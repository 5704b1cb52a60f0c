//! What a server [`Session`](crate::Session) asks its driver to do, and the
//! configuration it is created with.

use serde::{Deserialize, Serialize};

use crate::acl::{DocAcl, UserId};
use crate::claim::DocClaim;
use crate::document_id::DocumentId;
use crate::message::{DEFAULT_MAX_MESSAGE_BYTES, RepoMessage};
use crate::peer::{PeerId, StorageId};

/// Who the server is on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerIdentity {
    /// The server's peer id (`senderId` of everything it sends).
    pub peer_id: PeerId,
    /// The server's storage id, announced in `peer` so clients can keep their
    /// sync state with the server between connections.
    pub storage_id: StorageId,
}

/// The authenticated user of a connection (from the bearer token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    pub user_id: UserId,
}

/// Per-connection limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionLimits {
    /// Frames larger than this are refused (error, then close).
    pub max_message_bytes: usize,
    /// Documents one connection may sync at once.
    pub max_open_documents: usize,
    /// Documents one connection may be in the middle of creating.
    pub max_new_documents: usize,
    /// Messages queued for one document while it loads.
    pub max_queued_messages: usize,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            max_open_documents: 10_000,
            max_new_documents: 64,
            max_queued_messages: 256,
        }
    }
}

/// The key persisted sync state is stored under: the user, the peer's storage
/// id and the document. Including the user means a peer that presents someone
/// else's storage id only ever sees its own user's states.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStateKey {
    pub user_id: UserId,
    pub storage_id: StorageId,
    pub document_id: DocumentId,
}

/// One thing the driver must do. Actions are returned in order; `Send`s must
/// reach the peer in that order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Send this binary frame to this connection's peer.
    Send(Vec<u8>),
    /// Load the document from storage, then call
    /// [`Documents::finish_load`](crate::Documents::finish_load) (or
    /// `load_failed`) and `document_changed` on every connection it returns.
    LoadDocument { document_id: DocumentId },
    /// Load the persisted sync state, then call
    /// [`Session::sync_state_loaded`](crate::Session::sync_state_loaded).
    LoadSyncState { key: SyncStateKey },
    /// Durably append these change chunks to the document, then call
    /// [`Documents::store_finished`](crate::Documents::store_finished) and
    /// `document_changed` on every connection it returns (that is how the
    /// writer gets its acknowledgement and other subscribers get the change;
    /// with several server instances, also notify the others). On failure call
    /// `Documents::store_failed` and close this connection.
    StoreChanges {
        document_id: DocumentId,
        changes: Vec<u8>,
    },
    /// Durably create the document with this ACL and content, then proceed as
    /// for `StoreChanges`.
    CreateDocument {
        document_id: DocumentId,
        acl: DocAcl,
        data: Vec<u8>,
    },
    /// A peer uploads a document the server does not know. Decide (e.g. is the
    /// claimed owner, who is this connection's user, a member of the room?)
    /// and call [`Session::new_document_decided`](crate::Session::new_document_decided)
    /// with the ACL to store, or a refusal.
    AuthorizeNewDocument {
        document_id: DocumentId,
        claim: DocClaim,
    },
    /// Store this sync state under `key` (overwriting).
    PersistSyncState { key: SyncStateKey, state: Vec<u8> },
    /// Give this message to the other subscribers of the document: call
    /// [`Session::deliver_ephemeral`](crate::Session::deliver_ephemeral) on
    /// every connection in `Documents::subscribers` except this one.
    Broadcast {
        document_id: DocumentId,
        message: RepoMessage,
    },
    /// Close the connection (after sending the frames before this action).
    Close { reason: String },
}

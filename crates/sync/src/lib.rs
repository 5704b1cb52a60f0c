//! Sans-IO Automerge sync for Tutti: the automerge-repo wire protocol, the
//! server's per-connection session and shared document table, the desktop
//! client's session, document authorisation rules and the chat and community
//! (Q&A) document schemas.
//!
//! Shared by the sync server and the desktop app. No sockets, no async runtime,
//! no database: callers feed frames in and carry [`Action`]s / frames out.
//!
//! # What lives where
//! - [`message`]: [`RepoMessage`], the CBOR messages automerge-repo's WebSocket
//!   adapter speaks (`join`, `peer`, `request`, `sync`, `doc-unavailable`, …),
//!   with decode errors that name the field ([`ProtocolError`]).
//! - [`document_id`]: [`DocumentId`], bs58check of 16 bytes, as automerge-repo.
//! - [`acl`]: [`DocAcl`], [`authorize_read`], [`authorize_change`] and the write
//!   rule (the owner writes; a change is judged by the connection's user, not
//!   by its actor id). Public kinds ([`DocKind::is_public`]) are read by anyone.
//! - [`session`]: the server side of one connection ([`Session`]) over the
//!   shared [`Documents`] table; [`action`]: what it asks the driver to do.
//! - [`client`]: [`ClientSession`], the desktop side.
//! - [`chat`]: the per-participant, per-room, per-month message document.
//! - [`community`]: community Q&A, the asker's question document and each
//!   author's answer document (public to read, owner-written), with the check
//!   that a stored post stays what it was created as.
//! - [`claim`]: what a newly uploaded document claims to be ([`DocClaim`]).
//! - [`server_error`]: [`ServerErrorCode`], the codes of the server's HTTP
//!   error responses, which the server writes and the desktop app reads.
//!
//! # CBOR library
//! `minicbor` (decoding) over `ciborium`: automerge-repo's messages are flat
//! maps read field by field, and minicbor's zero-copy decoder lets each field be
//! checked for its CBOR type and reported by name, accepts what cbor-x writes
//! (map16 headers for every object, `undefined` for unset properties, float64
//! for integers above 2^32), skips unknown fields iteratively (no recursion, so
//! deeply nested junk cannot overflow the stack) and never builds a generic
//! value tree. samod (the Rust automerge-repo) uses it for the same reasons.
//! Encoding is a few map/text/bytes headers, written by hand (infallible).
//!
//! # Extending
//! A new message type: a variant in [`RepoMessage`] with its decode/encode arm
//! and a round-trip test. A new kind of document: a [`DocKind`] variant, its
//! write rule in [`acl::authorize_write`], a claim reader in [`claim`], and a
//! schema module like [`chat`].

pub mod acl;
pub mod action;
mod cbor;
pub mod chat;
pub mod claim;
pub mod client;
pub mod community;
pub mod document_id;
pub mod documents;
pub mod error;
pub mod message;
pub mod peer;
pub mod server_error;
pub mod session;

pub use acl::{
    DocAcl, DocKind, IncomingChange, Refusal, UserId, authorize_change, authorize_read,
    new_changes_in,
};
pub use action::{Action, Principal, ServerIdentity, SessionLimits, SyncStateKey};
pub use chat::{ChatHeader, ChatLog, ChatMessage, chat_document_id};
pub use claim::DocClaim;
pub use client::{ClientEvent, ClientOutput, ClientSession, DocStatus};
pub use document_id::DocumentId;
pub use documents::{ConnectionId, Documents, StoredDocument};
pub use error::ProtocolError;
pub use message::{PROTOCOL_VERSION, RemoteHeads, RepoMessage};
pub use peer::{PeerId, PeerMetadata, StorageId};
pub use server_error::ServerErrorCode;
pub use session::Session;

/// The automerge crate this crate is built on, for callers that need its types.
pub use automerge;

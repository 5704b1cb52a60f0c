//! Automerge sync over WebSocket at `GET /sync`, driving `tutti-sync`'s
//! sans-IO server [`Session`](tutti_sync::Session).
//!
//! - The upgrade is authenticated (`Authorization: Bearer <access token>` or
//!   `?token=`); anything else is a JSON 401 before any upgrade.
//! - A connection lives only as long as the session that opened it
//!   ([`lifetime`]): at the access token's expiry, and when a re-check (every
//!   `--session-check-interval-secs`) finds the session revoked (logout,
//!   replayed refresh token) or the token replaced, the server sends an
//!   `error` message, persists the peer's sync states and closes with code
//!   **4001** ([`CLOSE_SESSION_ENDED`]), reason `"access token expired"` or
//!   `"session revoked"`. The client refreshes its tokens (or signs in
//!   again) and reconnects; its next connection sends only the delta.
//! - At server shutdown ([`SyncHub::close_all`]) every connection persists its
//!   peer's sync states and closes with **1001** (going away).
//! - Each connection owns one `Session`; all connections of this instance share
//!   one [`Documents`] table inside [`SyncHub`]. The connection task
//!   ([`connection`]) performs the session's actions against [`Storage`]
//!   ([`persistence`]): a change is stored (the storage call returned `Ok`)
//!   before the writer's acknowledgement or any forwarding happens.
//! - Other connections of this instance hear about a document through their
//!   event channel; other instances through [`Storage::notify_change`]
//!   (PostgreSQL LISTEN/NOTIFY), which [`relay`] turns into loads here.
//! - Chat rooms are accepted matches: a participant's monthly document for room
//!   `<match id>` is created when its owner first uploads it, readable by the
//!   match's two parties and writable by its owner only.
//!
//! - Community questions and answers are public (any signed-in user reads
//!   them) and written by their owner; before a change to one is stored its
//!   content is checked and after, the thread index is rewritten from it
//!   ([`community`]). The community assistant's answers, which the server
//!   writes itself, go through the same decision, checks, store and index
//!   ([`community::create_post`]).
//!
//! To add a kind of document: its claim and `DocKind` in `tutti-sync`, and its
//! ACL decision in [`persistence::decide_new_document`].

pub mod community;
mod connection;
mod lifetime;
pub mod persistence;
pub mod relay;

pub use lifetime::{
    CLOSE_SESSION_ENDED, REASON_SESSION_REVOKED, REASON_SHUTDOWN, REASON_TOKEN_EXPIRED,
};

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tutti_sync::ServerErrorCode;

use axum::Router;
use axum::extract::ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, watch};
use tutti_sync::{
    ConnectionId, DocumentId, Documents, PeerId, RepoMessage, ServerIdentity, SessionLimits,
    StorageId,
};

use crate::api::auth::bearer_token;
use crate::api::error::{ApiError, ErrorBody};
use crate::config::Config;
use crate::{AppState, Error, tokens};

/// What one connection task is told by others.
#[derive(Debug, Clone)]
pub(crate) enum ConnEvent {
    /// Call `document_changed` (loaded, stored, changed by another instance).
    DocumentChanged(DocumentId),
    /// Another subscriber's ephemeral message.
    Ephemeral(RepoMessage),
}

#[derive(Debug, Default)]
pub(crate) struct HubTable {
    pub(crate) docs: Documents,
    conns: HashMap<ConnectionId, mpsc::UnboundedSender<ConnEvent>>,
    /// The highest stored change sequence number this instance has read per
    /// loaded document (what a notification from another instance loads after).
    pub(crate) seen_seq: HashMap<DocumentId, i64>,
}

impl HubTable {
    /// Tells these connections (except `except`) that a document changed.
    pub(crate) fn tell(
        &self,
        connections: &[ConnectionId],
        except: Option<ConnectionId>,
        event: &ConnEvent,
    ) {
        for c in connections {
            if Some(*c) == except {
                continue;
            }
            if let Some(tx) = self.conns.get(c) {
                // a closed receiver is a connection on its way out
                let _ = tx.send(event.clone());
            }
        }
    }
}

/// The sync state of one server instance: who it is on the wire, the limits
/// of each connection, the shared document table, and the shutdown signal
/// its connections watch.
#[derive(Debug)]
pub struct SyncHub {
    identity: ServerIdentity,
    limits: SessionLimits,
    max_loaded_documents: usize,
    next_connection: AtomicU64,
    table: Mutex<HubTable>,
    /// True once the server shuts down: every connection closes (1001).
    closing: watch::Sender<bool>,
    /// How many connections are registered.
    open: watch::Sender<usize>,
}

impl SyncHub {
    /// A hub for a server whose storage is identified by `storage_id`.
    pub fn new(storage_id: StorageId, limits: SessionLimits, max_loaded_documents: usize) -> Self {
        Self {
            identity: ServerIdentity {
                peer_id: PeerId::random(),
                storage_id,
            },
            limits,
            max_loaded_documents,
            next_connection: AtomicU64::new(1),
            table: Mutex::new(HubTable::default()),
            closing: watch::Sender::new(false),
            open: watch::Sender::new(0),
        }
    }

    /// How many sync connections are open now.
    pub fn open_connections(&self) -> usize {
        *self.open.borrow()
    }

    /// Tells every connection, and any opened from now on, to persist its
    /// peer's sync states and close with 1001 (the server is going away).
    pub fn close_all(&self) {
        self.closing.send_replace(true);
    }

    /// Waits until no connection is open, at most `limit`. False when some
    /// were still open at the limit.
    pub async fn all_closed(&self, limit: Duration) -> bool {
        let mut open = self.open.subscribe();
        matches!(
            tokio::time::timeout(limit, open.wait_for(|n| *n == 0)).await,
            Ok(Ok(_))
        )
    }

    /// The server's peer and storage id.
    pub fn identity(&self) -> &ServerIdentity {
        &self.identity
    }

    /// How many documents are in memory now.
    pub fn loaded_documents(&self) -> usize {
        self.lock().docs.loaded_count()
    }

    /// Evicts least-recently-used documents beyond the configured maximum.
    pub fn evict(&self) -> usize {
        let mut table = self.lock();
        let evicted = table.docs.evict_to(self.max_loaded_documents);
        for id in &evicted {
            table.seen_seq.remove(id);
        }
        evicted.len()
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, HubTable> {
        // a panic while holding the lock leaves the table usable: every
        // mutation is a single sans-IO call
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new connection: its id, its event channel and the shutdown signal.
    fn register(
        &self,
    ) -> (
        ConnectionId,
        mpsc::UnboundedReceiver<ConnEvent>,
        watch::Receiver<bool>,
    ) {
        let id = ConnectionId(self.next_connection.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = mpsc::unbounded_channel();
        let mut table = self.lock();
        table.conns.insert(id, tx);
        self.open.send_replace(table.conns.len());
        (id, rx, self.closing.subscribe())
    }

    fn unregister(&self, id: ConnectionId) {
        let mut table = self.lock();
        table.conns.remove(&id);
        self.open.send_replace(table.conns.len());
    }
}

/// The storage id the server announces: the same for every instance sharing
/// one store, and across restarts, so clients may key their sync state by it.
/// SQLite: a random id kept in `<data-dir>/storage-id`; PostgreSQL: derived
/// from the database URL (all instances of one database share it).
pub fn storage_id(config: &Config) -> Result<StorageId, Error> {
    let text = match &config.database_url {
        Some(url) => {
            let digest = Sha256::digest(url.expose().as_bytes());
            let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
            format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            )
        }
        None => {
            let path = config.data_dir.join("storage-id");
            let data_dir = |source| Error::DataDir {
                path: path.clone(),
                source,
            };
            match std::fs::read_to_string(&path) {
                Ok(text) if !text.trim().is_empty() => text.trim().to_owned(),
                Ok(_) => write_storage_id(&path).map_err(data_dir)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    write_storage_id(&path).map_err(data_dir)?
                }
                Err(e) => return Err(data_dir(e)),
            }
        }
    };
    StorageId::new(text).map_err(|e| Error::CorruptRow(format!("storage id: {e}")))
}

fn write_storage_id(path: &std::path::Path) -> std::io::Result<String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let id = StorageId::random().as_str().to_owned();
    std::fs::write(path, &id)?;
    Ok(id)
}

/// `GET /sync`.
pub fn router() -> Router<AppState> {
    Router::new().route("/sync", get(upgrade))
}

#[derive(Debug, Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

fn query_token(uri: &Uri) -> Option<String> {
    Query::<TokenQuery>::try_from_uri(uri)
        .ok()
        .and_then(|q| q.0.token)
        .filter(|t| !t.is_empty())
}

/// Resolves the connection's session before anything is upgraded: its user,
/// and the access token (hash and expiry) the connection keeps checking.
async fn authenticate(state: &AppState, parts: &Parts) -> Result<lifetime::Grant, ApiError> {
    let token = bearer_token(parts)
        .map(str::to_owned)
        .or_else(|| query_token(&parts.uri))
        .ok_or_else(|| {
            ApiError::unauthorized(
                ServerErrorCode::Unauthenticated,
                "send Authorization: Bearer <access token> or ?token=<access token>",
            )
        })?;
    let access_hash = tokens::hash(&token);
    let session = state
        .storage
        .session_by_access_token(&access_hash, crate::accounts::now())
        .await?
        .ok_or_else(|| {
            ApiError::unauthorized(
                ServerErrorCode::InvalidToken,
                "the access token is invalid or expired",
            )
        })?;
    Ok(lifetime::Grant::new(session, access_hash))
}

/// Opens an Automerge repo sync connection (automerge-repo's WebSocket
/// protocol: binary CBOR frames, `join` first).
#[utoipa::path(get, path = "/sync", tag = "sync",
    params(("token" = Option<String>, Query,
        description = "The access token, for clients that cannot set headers")),
    responses(
        (status = 101, description = "Switching to the WebSocket sync protocol"),
        (status = 400, description = "Not a WebSocket upgrade request", body = ErrorBody),
        (status = 401, description = "No valid access token", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn upgrade(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let grant = match authenticate(&state, &parts).await {
        Ok(grant) => grant,
        Err(e) => return e.into_response(),
    };
    let ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection> =
        <WebSocketUpgrade as FromRequestParts<AppState>>::from_request_parts(&mut parts, &state)
            .await;
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => {
            return ApiError::new(
                rejection.status(),
                ServerErrorCode::NotAWebsocketUpgrade,
                format!("/sync speaks WebSocket only: {}", rejection.body_text()),
            )
            .into_response();
        }
    };
    let hub = state.sync.clone();
    let storage = state.storage.clone();
    let check_every = Duration::from_secs(state.config.session_check_interval_secs.max(1));
    // room above the session's own limit, so an oversized frame reaches the
    // session and gets a protocol error instead of a dropped socket
    let frame_limit = hub.limits.max_message_bytes.saturating_mul(2);
    ws.max_message_size(frame_limit)
        .max_frame_size(frame_limit)
        .on_upgrade(move |socket| connection::run(hub, storage, grant, check_every, socket))
}

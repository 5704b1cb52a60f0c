//! [`ChatSync`]: the background task that keeps this device's synced
//! documents — chat messages and community posts — in step with the sync
//! server over `/sync` (WebSocket, automerge-repo protocol, driven through
//! `tutti_sync::ClientSession`). It has its own SQLite connection, reconnects
//! with exponential backoff, persists each document's sync state per server
//! (so a reconnect sends only what changed), and publishes a [`SyncStatus`]
//! the shell can watch. `documents` says which documents it syncs and where
//! they are stored.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod documents;

use futures_util::StreamExt;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tutti_sync::{
    ClientEvent, ClientSession, DocumentId, PeerId, PeerMetadata, RepoMessage, StorageId,
};

use super::dto::{SyncState, SyncStatus};
use super::local_changes;
use super::socket::{open, send};
use crate::account::dto::Account;
use crate::account::{ACCOUNT, ServerClient, is_offline};
use crate::api::Tutti;
use crate::store::Store;
use crate::{Error, Result, data_dir};
use documents::{DocRow, Retry};

const MIN_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
const DEVICE_STORAGE_ID: &str = "device_storage_id";

/// The running sync (chat and community documents) of one data directory.
/// Dropping it stops the task.
#[derive(Debug)]
pub struct ChatSync {
    status: watch::Receiver<SyncStatus>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Tutti {
    /// Starts syncing the chat rooms and community posts in the background
    /// (call inside a tokio runtime). Works signed out or offline too: it
    /// keeps retrying.
    pub fn chat_sync_start(&self) -> Result<ChatSync> {
        let db = self.data_dir().join(data_dir::DATABASE_FILE);
        // Its own connection: SQLite (WAL) serialises it with the app's.
        let store = Store::open(&db)?;
        let (status_tx, status) = watch::channel(SyncStatus {
            state: SyncState::Connecting,
            last_error: None,
            remote_changes: 0,
        });
        let (stop, stop_rx) = watch::channel(false);
        let worker = Worker {
            data_dir: self.data_dir().to_path_buf(),
            store,
            status: status_tx,
            local: local_changes(self.data_dir()),
            rows: HashMap::new(),
            retry: Retry::default(),
        };
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| Error::invalid("runtime", "start the chat sync inside a tokio runtime"))?;
        let task = runtime.spawn(worker.run(stop_rx));
        Ok(ChatSync {
            status,
            stop,
            task: Some(task),
        })
    }
}

impl ChatSync {
    /// A receiver of every status change (for the shell to forward to the UI).
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// The current status.
    pub fn current(&self) -> SyncStatus {
        self.status.borrow().clone()
    }

    /// Stops the task after persisting its sync state and closing the socket.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take()
            && let Err(e) = task.await
        {
            tracing::warn!(error = %e, "the chat sync task ended abnormally");
        }
    }
}

impl Drop for ChatSync {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

enum Ended {
    Stopped,
}

struct Worker {
    data_dir: PathBuf,
    store: Store,
    status: watch::Sender<SyncStatus>,
    local: Arc<Notify>,
    /// Where each open document is stored.
    rows: HashMap<DocumentId, DocRow>,
    /// Documents whose creation the server refused, to offer again.
    retry: Retry,
}

impl Worker {
    fn set_state(&self, state: SyncState, last_error: Option<String>) {
        self.status.send_modify(|s| {
            s.state = state;
            if state != SyncState::Connecting {
                s.last_error = last_error;
            }
        });
    }

    async fn run(mut self, mut stop: watch::Receiver<bool>) {
        let mut backoff = MIN_BACKOFF;
        loop {
            self.set_state(SyncState::Connecting, None);
            let outcome = self.connection(&mut stop).await;
            self.rows.clear();
            self.retry = Retry::default();
            match outcome {
                Ok(Ended::Stopped) => break,
                Err((e, was_connected)) => {
                    if was_connected {
                        backoff = MIN_BACKOFF;
                    }
                    let state = if is_offline(&e) {
                        SyncState::Offline
                    } else {
                        SyncState::Error
                    };
                    tracing::info!(error = %e, retry_in = ?backoff, "chat sync disconnected");
                    self.set_state(state, Some(e.to_string()));
                }
            }
            tokio::select! {
                () = stopped(&mut stop) => break,
                () = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
        self.set_state(SyncState::Offline, None);
    }

    fn account(&self) -> Result<(Account, ServerClient)> {
        let account: Account = self
            .store
            .account_state(ACCOUNT)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .ok_or(Error::NotSignedIn)?;
        // The server signed in to (the user's choice or the build's default).
        let url = account.server_url.clone();
        let allow_insecure = self.store.insecure_allowed(&url)?;
        Ok((
            account,
            ServerClient::new(&url, &self.data_dir, allow_insecure)?,
        ))
    }

    fn storage_id(&self) -> Result<StorageId> {
        if let Some(id) = self.store.account_state(DEVICE_STORAGE_ID)?
            && let Ok(id) = StorageId::new(id)
        {
            return Ok(id);
        }
        let id = StorageId::random();
        self.store
            .set_account_state(DEVICE_STORAGE_ID, id.as_str())?;
        Ok(id)
    }

    /// One connection, from opening to its end. The flag says whether the
    /// handshake had finished (so the backoff restarts).
    async fn connection(
        &mut self,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<Ended, (Error, bool)> {
        let (account, server) = self.account().map_err(|e| (e, false))?;
        // The room list may have changed (a match accepted elsewhere).
        let matches = crate::account::fetch_matches(&server)
            .await
            .map_err(|e| (e, false))?;
        crate::account::save_matches(&self.store, &matches).map_err(|e| (e, false))?;
        // New answers in the threads the user follows.
        if let Err(e) = crate::community::refresh_opened_threads(&mut self.store, &server).await {
            if is_offline(&e) {
                return Err((e, false));
            }
            tracing::warn!(error = %e, "could not refresh the followed community threads");
        }
        let mut ws = open(&server).await.map_err(|e| (e, false))?;
        let mut session = ClientSession::new(
            PeerId::random(),
            PeerMetadata {
                storage_id: Some(self.storage_id().map_err(|e| (e, false))?),
                is_ephemeral: false,
            },
        );
        let join = session.connect();
        send(&mut ws, vec![join]).await.map_err(|e| (e, false))?;
        let mut server_key: Option<String> = None;
        loop {
            let connected = server_key.is_some();
            let fail = |e: Error| (e, connected);
            tokio::select! {
                () = stopped(stop) => {
                    if let Some(key) = &server_key {
                        self.save_states(&session, key);
                    }
                    let _ = ws.close(None).await;
                    return Ok(Ended::Stopped);
                }
                () = self.local.notified(), if connected => {
                    let key = server_key.clone().unwrap_or_default();
                    self.load_local(&mut session, &account, &key).map_err(fail)?;
                    let frames = self.sync_frames(&mut session);
                    send(&mut ws, frames).await.map_err(fail)?;
                }
                () = tokio::time::sleep_until(self.retry.at.unwrap_or_else(Instant::now)), if connected && self.retry.at.is_some() => {
                    self.retry.at = None;
                    let key = server_key.clone().unwrap_or_default();
                    self.load_local(&mut session, &account, &key).map_err(fail)?;
                    let frames = self.sync_frames(&mut session);
                    send(&mut ws, frames).await.map_err(fail)?;
                }
                frame = ws.next() => {
                    let bytes = match frame {
                        Some(Ok(Message::Binary(b))) => b.to_vec(),
                        Some(Ok(Message::Close(_))) | None => {
                            return Err(fail(Error::ServerUnreachable("the server closed the connection".into())));
                        }
                        Some(Ok(_)) => continue,
                        Some(Err(e)) => return Err(fail(Error::ServerUnreachable(e.to_string()))),
                    };
                    let frames = self
                        .handle(&mut session, &account, &mut server_key, &bytes)
                        .map_err(fail)?;
                    send(&mut ws, frames).await.map_err(fail)?;
                }
            }
        }
    }

    /// Handles one frame from the server; returns the frames to send.
    fn handle(
        &mut self,
        session: &mut ClientSession,
        account: &Account,
        server_key: &mut Option<String>,
        frame: &[u8],
    ) -> Result<Vec<Vec<u8>>> {
        let out = session.handle_frame(frame)?;
        let mut frames = out.frames;
        for event in out.events {
            match event {
                ClientEvent::Connected {
                    server_peer_id,
                    server_storage_id,
                } => {
                    let key = server_storage_id.map_or_else(
                        || server_peer_id.as_str().to_owned(),
                        |s| s.as_str().to_owned(),
                    );
                    self.load_local(session, account, &key)?;
                    frames.extend(self.sync_frames(session));
                    *server_key = Some(key);
                    self.set_state(SyncState::Synced, None);
                    tracing::info!("chat sync connected");
                }
                ClientEvent::DocumentChanged { document_id } => {
                    self.persist(session, &document_id)?;
                    self.status.send_modify(|s| s.remote_changes += 1);
                }
                ClientEvent::ServerError { message } => {
                    tracing::warn!(%message, "the sync server reported an error");
                    self.creation_refused(session, &message);
                    self.status.send_modify(|s| s.last_error = Some(message));
                }
                ClientEvent::DocumentUnavailable { .. } | ClientEvent::Ephemeral { .. } => {}
            }
        }
        if let (
            Some(key),
            Ok(RepoMessage::Sync { document_id, .. } | RepoMessage::Request { document_id, .. }),
        ) = (server_key.as_deref(), RepoMessage::decode(frame))
            && let Some(state) = session.export_sync_state(&document_id)
        {
            let id = document_id.encode();
            self.store.set_chat_sync_state(&id, key, &state)?;
        }
        Ok(frames)
    }
}

/// Resolves once a stop was asked for (or the handle is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

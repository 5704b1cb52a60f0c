//! One WebSocket connection: frames in → [`Session`] → actions performed in
//! order against storage, the shared table and the socket.
//!
//! Besides frames and hub events, the loop watches three ends of its own
//! ([`super::lifetime`]): the access token's expiry, a re-check of the
//! session every `--session-check-interval-secs`, and the hub's shutdown
//! signal. The first two send an `error` message; all three leave the loop
//! like a peer's close does, so the peer's sync states are persisted, and only
//! then send the close frame: **4001** `"access token expired"` or
//! `"session revoked"`, or **1001** `"server shutting down"`.
//!
//! Each re-check also checkpoints the per-peer sync states that changed since
//! they were last saved ([`Connection::checkpoint`]), so a server that dies
//! without closing its sockets costs a reconnecting peer at most one interval
//! of sync progress (a full sync is always correct, only slower).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, close_code};
use tokio::time::{Instant, MissedTickBehavior};
use tutti_sync::{
    Action, ConnectionId, DocumentId, Documents, Principal, RepoMessage, Session, SyncStateKey,
};

use super::lifetime::{
    CLOSE_SESSION_ENDED, Ended, Grant, REASON_SHUTDOWN, close_frame, shutting_down,
};
use super::{ConnEvent, SyncHub, community, persistence};
use crate::storage::Storage;

struct Connection {
    hub: Arc<SyncHub>,
    storage: Arc<dyn Storage>,
    session: Session,
    socket: WebSocket,
    /// The socket failed or was closed: actions still run, frames are dropped.
    socket_gone: bool,
    /// The session asked to close.
    closing: bool,
    /// The close frame sent once the sync states are persisted (`None`: a
    /// plain close, answering the peer's).
    farewell: Option<CloseFrame>,
    /// The sync states as last saved, so a checkpoint writes only changes.
    saved: HashMap<SyncStateKey, Vec<u8>>,
}

/// Serves one upgraded connection of `grant`'s user until either side closes
/// it, its session ends (token expiry, revocation; re-checked every
/// `check_every`) or the server shuts down.
pub(super) async fn run(
    hub: Arc<SyncHub>,
    storage: Arc<dyn Storage>,
    grant: Grant,
    check_every: Duration,
    socket: WebSocket,
) {
    let (id, mut events, mut shutdown) = hub.register();
    let session = Session::new(
        id,
        hub.identity.clone(),
        Principal {
            user_id: grant.user.clone(),
        },
        hub.limits.clone(),
    );
    let mut conn = Connection {
        hub: hub.clone(),
        storage,
        session,
        socket,
        socket_gone: false,
        closing: false,
        farewell: None,
        saved: HashMap::new(),
    };
    let expiry = tokio::time::sleep_until(grant.expiry());
    tokio::pin!(expiry);
    let mut recheck = tokio::time::interval_at(Instant::now() + check_every, check_every);
    recheck.set_missed_tick_behavior(MissedTickBehavior::Delay);
    tracing::debug!(connection = id.0, user = %conn.session.principal().user_id, "sync connection open");
    while !conn.closing && !conn.socket_gone {
        tokio::select! {
            frame = conn.socket.recv() => match frame {
                Some(Ok(Message::Binary(bytes))) => {
                    let actions = conn.with_docs(|s, d| s.handle_frame(&bytes, d));
                    conn.perform(actions).await;
                }
                Some(Ok(Message::Text(_))) => {
                    conn.protocol_error(
                        "text frames are not part of the sync protocol: send binary CBOR frames",
                    )
                    .await;
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                // answered with our close once the sync states are persisted
                Some(Ok(Message::Close(_))) => conn.closing = true,
                None => conn.socket_gone = true,
                Some(Err(e)) => {
                    tracing::debug!(connection = id.0, error = %e, "sync socket failed");
                    conn.socket_gone = true;
                }
            },
            Some(event) = events.recv() => {
                let actions = conn.with_docs(|s, d| match &event {
                    ConnEvent::DocumentChanged(doc) => s.document_changed(*doc, d),
                    ConnEvent::Ephemeral(message) => s.deliver_ephemeral(message, d),
                });
                conn.perform(actions).await;
            }
            () = &mut expiry => conn.session_ended(Ended::TokenExpired).await,
            _ = recheck.tick() => {
                if let Some(ended) = grant.recheck(conn.storage.as_ref(), id).await {
                    conn.session_ended(ended).await;
                } else {
                    conn.checkpoint().await;
                }
            }
            () = shutting_down(&mut shutdown) => {
                conn.closing = true;
                conn.farewell = Some(close_frame(close_code::AWAY, REASON_SHUTDOWN));
            }
        }
    }
    // persist what the peer has, so its next connection sends only the delta
    let actions = conn.with_docs(|s, d| s.close(d));
    conn.perform(actions).await;
    if !conn.socket_gone {
        let farewell = conn.farewell.take();
        let _ = conn.socket.send(Message::Close(farewell)).await;
    }
    hub.unregister(id);
    tracing::debug!(connection = id.0, "sync connection closed");
}

impl Connection {
    fn id(&self) -> ConnectionId {
        self.session.connection()
    }

    /// Saves the sync states that changed since they were last saved.
    async fn checkpoint(&mut self) {
        for (key, state) in self.session.sync_states() {
            if self.saved.get(&key) != Some(&state)
                && persistence::save_sync_state(self.storage.as_ref(), &key, &state).await
            {
                self.saved.insert(key, state);
            }
        }
    }

    fn with_docs<T>(&mut self, f: impl FnOnce(&mut Session, &mut Documents) -> T) -> T {
        let mut table = self.hub.lock();
        f(&mut self.session, &mut table.docs)
    }

    async fn send(&mut self, frame: Vec<u8>) {
        if self.socket_gone {
            return;
        }
        if self
            .socket
            .send(Message::Binary(frame.into()))
            .await
            .is_err()
        {
            self.socket_gone = true;
        }
    }

    /// The sync protocol's `error` message to this peer.
    async fn send_error(&mut self, message: String) {
        let frame = RepoMessage::Error {
            sender_id: Some(self.hub.identity.peer_id.clone()),
            target_id: self.session.peer_id().cloned(),
            message,
        }
        .encode();
        self.send(frame).await;
    }

    /// An `error` message to the peer, then close (a frame the session never
    /// sees, e.g. a text frame).
    async fn protocol_error(&mut self, message: &str) {
        self.send_error(message.to_owned()).await;
        self.close(close_code::PROTOCOL, message).await;
    }

    /// The session behind the connection ended: an `error` message now, and
    /// the loop ends; the close (4001) follows once the sync states are
    /// persisted.
    async fn session_ended(&mut self, ended: Ended) {
        tracing::info!(
            connection = self.id().0,
            reason = ended.reason(),
            "sync connection's session ended"
        );
        self.send_error(ended.message().to_owned()).await;
        self.closing = true;
        self.farewell = Some(close_frame(CLOSE_SESSION_ENDED, ended.reason()));
    }

    async fn close(&mut self, code: u16, reason: &str) {
        self.closing = true;
        if self.socket_gone {
            return;
        }
        let frame = close_frame(code, reason);
        let _ = self.socket.send(Message::Close(Some(frame))).await;
        self.socket_gone = true;
    }

    /// Tells the connections that `document_id` changed: this one at once
    /// (its actions run before the rest of `queue`), the others by event.
    fn changed(
        &mut self,
        document_id: DocumentId,
        connections: &[tutti_sync::ConnectionId],
        queue: &mut VecDeque<Action>,
    ) {
        let me = self.id();
        let mut table = self.hub.lock();
        table.tell(
            connections,
            Some(me),
            &ConnEvent::DocumentChanged(document_id),
        );
        if connections.contains(&me) {
            let next = self.session.document_changed(document_id, &mut table.docs);
            for action in next.into_iter().rev() {
                queue.push_front(action);
            }
        }
    }

    async fn perform(&mut self, actions: Vec<Action>) {
        let mut queue: VecDeque<Action> = actions.into();
        while let Some(action) = queue.pop_front() {
            match action {
                Action::Send(frame) => self.send(frame).await,
                Action::Close { reason } => {
                    tracing::debug!(connection = self.id().0, %reason, "session closes the connection");
                    self.close(close_code::POLICY, &reason).await;
                }
                Action::LoadDocument { document_id } => {
                    let loaded = persistence::load(self.storage.as_ref(), &document_id).await;
                    let connections = {
                        let mut table = self.hub.lock();
                        match loaded {
                            Ok(Some(loaded)) => {
                                table.seen_seq.insert(document_id, loaded.seq);
                                table.docs.finish_load(document_id, Some(loaded.stored))
                            }
                            Ok(None) => table.docs.finish_load(document_id, None),
                            Err(e) => {
                                tracing::warn!(%document_id, error = %e, "loading a document failed");
                                table.docs.load_failed(document_id, e.to_string())
                            }
                        }
                    };
                    self.changed(document_id, &connections, &mut queue);
                }
                Action::LoadSyncState { key } => {
                    let state = persistence::load_sync_state(self.storage.as_ref(), &key).await;
                    let next = self.with_docs(|s, d| {
                        s.sync_state_loaded(key.document_id, state.as_deref(), d)
                    });
                    prepend(&mut queue, next);
                }
                Action::StoreChanges {
                    document_id,
                    changes,
                } => {
                    let Ok(post) = self.vet(document_id, &mut queue).await else {
                        continue;
                    };
                    let user = self.session.principal().user_id.clone();
                    let stored = persistence::store_changes(
                        self.storage.as_ref(),
                        &document_id,
                        &user,
                        &changes,
                    )
                    .await;
                    self.index(document_id, post, stored.is_ok()).await;
                    self.stored(document_id, stored.map(|_| ()), &mut queue)
                        .await;
                }
                Action::CreateDocument {
                    document_id,
                    acl,
                    data,
                } => {
                    let Ok(post) = self.vet(document_id, &mut queue).await else {
                        continue;
                    };
                    let stored =
                        persistence::create(self.storage.as_ref(), &document_id, &acl, &data).await;
                    self.index(document_id, post, stored.is_ok()).await;
                    self.stored(document_id, stored.map(|_| ()), &mut queue)
                        .await;
                }
                Action::AuthorizeNewDocument { document_id, claim } => {
                    let decision = match persistence::decide_new_document(
                        self.storage.as_ref(),
                        &document_id,
                        &claim,
                    )
                    .await
                    {
                        Ok(decision) => decision,
                        Err(e) => {
                            tracing::warn!(%document_id, error = %e, "deciding a new document failed");
                            Err("the server could not check the room".into())
                        }
                    };
                    let next =
                        self.with_docs(|s, d| s.new_document_decided(document_id, decision, d));
                    prepend(&mut queue, next);
                }
                Action::PersistSyncState { key, state } => {
                    if persistence::save_sync_state(self.storage.as_ref(), &key, &state).await {
                        self.saved.insert(key, state);
                    }
                }
                Action::Broadcast {
                    document_id,
                    message,
                } => {
                    let table = self.hub.lock();
                    let subscribers = table.docs.subscribers(&document_id);
                    table.tell(
                        &subscribers,
                        Some(self.id()),
                        &ConnEvent::Ephemeral(message),
                    );
                }
            }
        }
    }

    /// Checks a community post's applied content before it is stored
    /// ([`community`]). `Err(())`: refused, and already handled like a failed
    /// store (copy dropped, writer told and disconnected). `Ok(None)`: not a
    /// community post.
    async fn vet(
        &mut self,
        document_id: DocumentId,
        queue: &mut VecDeque<Action>,
    ) -> Result<Option<community::Post>, ()> {
        let refusal = match community::current(&self.hub, &document_id) {
            None => return Ok(None),
            Some(Err(reason)) => reason,
            Some(Ok(post)) => match community::vet(self.storage.as_ref(), &post).await {
                Ok(Ok(())) => return Ok(Some(post)),
                Ok(Err(reason)) => reason,
                Err(e) => {
                    tracing::warn!(%document_id, error = %e, "checking a community post failed");
                    "the server could not check the post".to_owned()
                }
            },
        };
        tracing::info!(%document_id, %refusal, "community change refused");
        let connections = self.hub.lock().docs.store_failed(&document_id);
        self.changed(document_id, &connections, queue);
        self.send_error(format!("document {document_id}: change refused: {refusal}"))
            .await;
        self.close(close_code::POLICY, "a change was refused").await;
        Err(())
    }

    /// After a community post is stored, its index rows are rewritten (before
    /// the writer's acknowledgement, so the HTTP thread shows what was
    /// acknowledged). A failed index write is logged: the change is stored,
    /// and the next change of the post rewrites the rows.
    async fn index(
        &mut self,
        document_id: DocumentId,
        post: Option<community::Post>,
        stored: bool,
    ) {
        let Some(post) = post.filter(|_| stored) else {
            return;
        };
        if let Err(e) = community::index(self.storage.as_ref(), &document_id, &post).await {
            tracing::warn!(%document_id, error = %e, "indexing a community post failed");
        }
    }

    /// A store finished: on success every subscriber (the writer included,
    /// which is its acknowledgement) hears about it, and so do the other
    /// instances; on failure the in-memory copy is dropped and the writer is
    /// told and disconnected.
    async fn stored(
        &mut self,
        document_id: DocumentId,
        result: Result<(), crate::Error>,
        queue: &mut VecDeque<Action>,
    ) {
        match result {
            Ok(()) => {
                let connections = self.hub.lock().docs.store_finished(&document_id);
                self.changed(document_id, &connections, queue);
                if let Err(e) = self.storage.notify_change(&document_id.to_string()).await {
                    // other instances catch up at their next load or notification
                    tracing::warn!(%document_id, error = %e, "notifying other instances failed");
                }
            }
            Err(e) => {
                tracing::warn!(%document_id, error = %e, "storing changes failed");
                let connections = self.hub.lock().docs.store_failed(&document_id);
                self.changed(document_id, &connections, queue);
                self.send_error(format!(
                    "document {document_id}: the change could not be stored"
                ))
                .await;
                self.close(close_code::ERROR, "a change could not be stored")
                    .await;
            }
        }
    }
}

fn prepend(queue: &mut VecDeque<Action>, next: Vec<Action>) {
    for action in next.into_iter().rev() {
        queue.push_front(action);
    }
}

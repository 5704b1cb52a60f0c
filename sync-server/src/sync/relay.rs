//! Changes stored by other server instances (announced through
//! [`Storage::subscribe_changes`], PostgreSQL LISTEN/NOTIFY) are loaded into
//! this instance's table and pushed to its connections; idle documents are
//! evicted from memory.
//!
//! A notification only hints: the store is the truth, so a lost or lagging
//! notification delays a peer until the document next changes or reloads.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;
use tutti_sync::DocumentId;

use super::{ConnEvent, SyncHub, persistence};
use crate::storage::Storage;

/// How often idle documents are evicted.
pub const EVICTION_INTERVAL: Duration = Duration::from_secs(5);

/// Applies other instances' changes until the storage's notification stream ends.
pub async fn run(hub: Arc<SyncHub>, storage: Arc<dyn Storage>) {
    let mut notifications = storage.subscribe_changes();
    loop {
        match notifications.recv().await {
            Ok(note) if note.origin != storage.instance_id() => {
                match DocumentId::parse(&note.doc_id) {
                    Ok(id) => changed_elsewhere(&hub, storage.as_ref(), id).await,
                    Err(e) => {
                        tracing::debug!(doc_id = %note.doc_id, error = %e, "notification for a non-sync document")
                    }
                }
            }
            Ok(_) => {}
            Err(RecvError::Lagged(skipped)) => {
                tracing::warn!(
                    skipped,
                    "change notifications lagged; peers catch up on their next change"
                );
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Another instance stored a change to `id` (or this one did outside any
/// connection, e.g. the community assistant's answer): a loaded copy takes
/// the stored changes, a known absence is forgotten, and the subscribed
/// connections are told.
pub(crate) async fn changed_elsewhere(hub: &SyncHub, storage: &dyn Storage, id: DocumentId) {
    let (loaded, after) = {
        let table = hub.lock();
        (
            table.docs.heads(&id).is_some(),
            table.seen_seq.get(&id).copied().unwrap_or(0),
        )
    };
    if loaded {
        match persistence::load_since(storage, &id, after).await {
            Ok((data, seq)) => {
                let mut table = hub.lock();
                if table.docs.heads(&id).is_some() {
                    let connections = match table.docs.apply_stored_changes(&id, &data) {
                        Ok(connections) => {
                            let seen = table.seen_seq.entry(id).or_insert(0);
                            *seen = (*seen).max(seq);
                            connections
                        }
                        Err(e) => {
                            tracing::warn!(document_id = %id, error = %e, "changes from another instance do not apply; reloading");
                            table.docs.store_failed(&id)
                        }
                    };
                    table.tell(&connections, None, &ConnEvent::DocumentChanged(id));
                    return;
                }
            }
            Err(e) => {
                tracing::warn!(document_id = %id, error = %e, "loading another instance's changes failed");
                return;
            }
        }
    }
    // not in memory (or a known absence: it was just created elsewhere):
    // subscribers load it afresh
    let mut table = hub.lock();
    let connections = table.docs.invalidate(&id);
    table.tell(&connections, None, &ConnEvent::DocumentChanged(id));
}

/// Evicts idle documents every [`EVICTION_INTERVAL`], forever.
pub async fn evict_periodically(hub: Arc<SyncHub>) {
    let mut tick = tokio::time::interval(EVICTION_INTERVAL);
    loop {
        tick.tick().await;
        let evicted = hub.evict();
        if evicted > 0 {
            tracing::debug!(evicted, "evicted idle documents");
        }
    }
}

//! The server's in-memory documents, shared by all connections of one server
//! instance: loaded copies, who is subscribed, what is being stored, eviction.
//!
//! The table only ever holds what storage has (or is about to have, while a
//! store is pending). While a document has stores pending, no session sends
//! sync messages for it: a peer learns about a change (and the writer gets its
//! acknowledgement, which in Automerge sync is the server's next message whose
//! heads include the change) only after the change is durable.

use std::collections::{BTreeSet, HashMap};

use automerge::{Automerge, ChangeHash};
use serde::{Deserialize, Serialize};

use crate::acl::DocAcl;
use crate::document_id::DocumentId;
use crate::error::ProtocolError;

/// Identifies one connection (one [`crate::Session`]) within a server instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConnectionId(pub u64);

/// A document as storage returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// Its owner and readers.
    pub acl: DocAcl,
    /// A saved document and/or appended change chunks, in any mix
    /// (`Automerge::load` accepts the concatenation); empty for a document
    /// whose ACL was registered before any content arrived.
    pub data: Vec<u8>,
}

#[derive(Debug)]
pub(crate) struct LoadedDocument {
    pub(crate) doc: Automerge,
    pub(crate) acl: DocAcl,
    pub(crate) pending_stores: u32,
    last_used: u64,
}

#[derive(Debug)]
enum Slot {
    Loading,
    Absent,
    Failed(String),
    Loaded(Box<LoadedDocument>),
}

/// What a session finds when it looks a document up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Access {
    /// Loaded and usable.
    Ready,
    /// Storage has no such document.
    Absent,
    /// Someone is loading it; the caller will be told through `document_changed`.
    Wait,
    /// Nobody is loading it; the caller must emit `LoadDocument`.
    StartLoad,
    /// Loading failed.
    Failed(String),
}

/// All documents of one server instance. Not thread-safe by itself: the server
/// keeps it behind one lock (or in one task) and passes `&mut` to sessions.
#[derive(Debug, Default)]
pub struct Documents {
    slots: HashMap<DocumentId, Slot>,
    subscribers: HashMap<DocumentId, BTreeSet<ConnectionId>>,
    clock: u64,
}

impl Documents {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Storage answered a `LoadDocument`: `None` when it has no such document.
    /// Returns the connections to call `document_changed` on.
    pub fn finish_load(
        &mut self,
        document_id: DocumentId,
        stored: Option<StoredDocument>,
    ) -> Vec<ConnectionId> {
        if let Some(Slot::Loaded(existing)) = self.slots.get_mut(&document_id) {
            // created here while the load ran: keep it, add what storage had
            if let Some(stored) = stored
                && let Err(e) = existing.doc.load_incremental(&stored.data)
            {
                self.slots.insert(
                    document_id,
                    Slot::Failed(format!("stored data does not load: {e}")),
                );
            }
            return self.subscribers(&document_id);
        }
        let slot = match stored {
            None => Slot::Absent,
            Some(stored) => match Automerge::load(&stored.data) {
                Ok(doc) => {
                    self.clock += 1;
                    Slot::Loaded(Box::new(LoadedDocument {
                        doc,
                        acl: stored.acl,
                        pending_stores: 0,
                        last_used: self.clock,
                    }))
                }
                Err(e) => Slot::Failed(format!("stored data does not load: {e}")),
            },
        };
        self.slots.insert(document_id, slot);
        self.subscribers(&document_id)
    }

    /// Storage failed to answer a `LoadDocument`. Returns the connections to
    /// call `document_changed` on (they will send the peer an error).
    pub fn load_failed(&mut self, document_id: DocumentId, reason: String) -> Vec<ConnectionId> {
        self.slots.insert(document_id, Slot::Failed(reason));
        self.subscribers(&document_id)
    }

    /// A `StoreChanges`/`CreateDocument` for `document_id` is durable. Returns
    /// the connections to call `document_changed` on, which is every subscriber
    /// once no store is pending any more, and nobody before.
    pub fn store_finished(&mut self, document_id: &DocumentId) -> Vec<ConnectionId> {
        match self.slots.get_mut(document_id) {
            Some(Slot::Loaded(d)) => {
                d.pending_stores = d.pending_stores.saturating_sub(1);
                if d.pending_stores > 0 {
                    return Vec::new();
                }
            }
            _ => return Vec::new(),
        }
        self.subscribers(document_id)
    }

    /// A store for `document_id` failed: the in-memory copy holds changes that
    /// are not durable, so it is dropped and will be reloaded from storage.
    /// Returns the connections to call `document_changed` on. The server should
    /// also close the connection whose change failed to store.
    pub fn store_failed(&mut self, document_id: &DocumentId) -> Vec<ConnectionId> {
        self.slots.remove(document_id);
        self.subscribers(document_id)
    }

    /// Changes stored by another server instance (announced through PostgreSQL
    /// LISTEN/NOTIFY). Applied if the document is loaded here; returns the
    /// connections to call `document_changed` on when that changed anything.
    pub fn apply_stored_changes(
        &mut self,
        document_id: &DocumentId,
        changes: &[u8],
    ) -> Result<Vec<ConnectionId>, ProtocolError> {
        let Some(Slot::Loaded(d)) = self.slots.get_mut(document_id) else {
            return Ok(Vec::new());
        };
        let before = d.doc.get_heads();
        d.doc.load_incremental(changes)?;
        if d.doc.get_heads() == before || d.pending_stores > 0 {
            return Ok(Vec::new());
        }
        Ok(self.subscribers(document_id))
    }

    /// Storage changed `document_id` behind this table's back (another server
    /// instance stored or created it). A known absence or failure is forgotten
    /// so the next access loads it again; a loaded copy is kept (give it the
    /// changes with [`Self::apply_stored_changes`]). Returns the connections to
    /// call `document_changed` on.
    pub fn invalidate(&mut self, document_id: &DocumentId) -> Vec<ConnectionId> {
        if matches!(
            self.slots.get(document_id),
            Some(Slot::Absent | Slot::Failed(_))
        ) {
            self.slots.remove(document_id);
        }
        self.subscribers(document_id)
    }

    /// Drops least-recently-used documents until at most `max_loaded` are in
    /// memory. Documents with stores pending or a load running are kept; known
    /// absences and failures are dropped first. Subscriptions survive eviction
    /// (a subscribed session reloads the document when it next needs it).
    /// Returns the evicted ids.
    pub fn evict_to(&mut self, max_loaded: usize) -> Vec<DocumentId> {
        let mut evicted: Vec<DocumentId> = self
            .slots
            .iter()
            .filter(|(_, s)| matches!(s, Slot::Absent | Slot::Failed(_)))
            .map(|(id, _)| *id)
            .collect();
        for id in &evicted {
            self.slots.remove(id);
        }
        let loaded = self.loaded_count();
        if loaded > max_loaded {
            let mut candidates: Vec<(u64, DocumentId)> = self
                .slots
                .iter()
                .filter_map(|(id, s)| match s {
                    Slot::Loaded(d) if d.pending_stores == 0 => Some((d.last_used, *id)),
                    _ => None,
                })
                .collect();
            candidates.sort_unstable();
            for (_, id) in candidates.into_iter().take(loaded - max_loaded) {
                self.slots.remove(&id);
                evicted.push(id);
            }
        }
        evicted
    }

    /// How many documents are loaded in memory.
    pub fn loaded_count(&self) -> usize {
        self.slots
            .values()
            .filter(|s| matches!(s, Slot::Loaded(_)))
            .count()
    }

    /// The connections subscribed to `document_id`.
    pub fn subscribers(&self, document_id: &DocumentId) -> Vec<ConnectionId> {
        self.subscribers
            .get(document_id)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }

    /// The whole loaded document, saved compactly (to replace the stored
    /// change log when compacting). `None` when not loaded.
    pub fn snapshot(&self, document_id: &DocumentId) -> Option<Vec<u8>> {
        match self.slots.get(document_id) {
            Some(Slot::Loaded(d)) => Some(d.doc.save()),
            _ => None,
        }
    }

    /// The heads of a loaded document.
    pub fn heads(&self, document_id: &DocumentId) -> Option<Vec<ChangeHash>> {
        match self.slots.get(document_id) {
            Some(Slot::Loaded(d)) => Some(d.doc.get_heads()),
            _ => None,
        }
    }

    /// A loaded document's current content (for reading it, e.g. to index
    /// it). `None` when not loaded.
    pub fn document(&self, document_id: &DocumentId) -> Option<&Automerge> {
        match self.slots.get(document_id) {
            Some(Slot::Loaded(d)) => Some(&d.doc),
            _ => None,
        }
    }

    /// The ACL of a loaded document.
    pub fn acl(&self, document_id: &DocumentId) -> Option<&DocAcl> {
        match self.slots.get(document_id) {
            Some(Slot::Loaded(d)) => Some(&d.acl),
            _ => None,
        }
    }

    pub(crate) fn access(&mut self, document_id: &DocumentId) -> Access {
        match self.slots.get(document_id) {
            Some(Slot::Loaded(_)) => Access::Ready,
            Some(Slot::Absent) => Access::Absent,
            Some(Slot::Loading) => Access::Wait,
            Some(Slot::Failed(reason)) => Access::Failed(reason.clone()),
            None => {
                self.slots.insert(*document_id, Slot::Loading);
                Access::StartLoad
            }
        }
    }

    pub(crate) fn loaded_mut(&mut self, document_id: &DocumentId) -> Option<&mut LoadedDocument> {
        self.clock += 1;
        let clock = self.clock;
        match self.slots.get_mut(document_id) {
            Some(Slot::Loaded(d)) => {
                d.last_used = clock;
                Some(d)
            }
            _ => None,
        }
    }

    pub(crate) fn insert_created(&mut self, document_id: DocumentId, acl: DocAcl, doc: Automerge) {
        self.clock += 1;
        self.slots.insert(
            document_id,
            Slot::Loaded(Box::new(LoadedDocument {
                doc,
                acl,
                pending_stores: 1,
                last_used: self.clock,
            })),
        );
    }

    pub(crate) fn subscribe(&mut self, document_id: DocumentId, connection: ConnectionId) {
        self.subscribers
            .entry(document_id)
            .or_default()
            .insert(connection);
    }

    pub(crate) fn unsubscribe(&mut self, document_id: &DocumentId, connection: ConnectionId) {
        if let Some(set) = self.subscribers.get_mut(document_id) {
            set.remove(&connection);
            if set.is_empty() {
                self.subscribers.remove(document_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::{DocKind, UserId};
    use automerge::transaction::Transactable;

    fn stored(value: i64) -> StoredDocument {
        let mut doc = automerge::AutoCommit::new();
        doc.put(automerge::ROOT, "v", value).expect("put");
        StoredDocument {
            acl: DocAcl {
                owner: UserId::new("alice"),
                readers: vec![],
                kind: DocKind::Private,
            },
            data: doc.save(),
        }
    }

    #[test]
    fn loads_are_started_once_and_waiters_are_told() {
        let mut docs = Documents::new();
        let id = DocumentId::random();
        docs.subscribe(id, ConnectionId(1));
        docs.subscribe(id, ConnectionId(2));
        assert_eq!(docs.access(&id), Access::StartLoad);
        assert_eq!(docs.access(&id), Access::Wait, "second asker waits");
        let told = docs.finish_load(id, Some(stored(1)));
        assert_eq!(told, vec![ConnectionId(1), ConnectionId(2)]);
        assert_eq!(docs.access(&id), Access::Ready);
    }

    #[test]
    fn corrupt_stored_data_is_a_failure_not_a_panic() {
        let mut docs = Documents::new();
        let id = DocumentId::random();
        let mut bad = stored(1);
        bad.data = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 9, 9];
        docs.finish_load(id, Some(bad));
        assert!(matches!(docs.access(&id), Access::Failed(_)));
    }

    #[test]
    fn subscribers_hear_only_when_the_last_pending_store_finishes() {
        let mut docs = Documents::new();
        let id = DocumentId::random();
        docs.subscribe(id, ConnectionId(7));
        docs.insert_created(id, stored(1).acl, Automerge::new());
        docs.loaded_mut(&id).expect("loaded").pending_stores += 1; // two stores now
        assert!(docs.store_finished(&id).is_empty(), "one still pending");
        assert_eq!(docs.store_finished(&id), vec![ConnectionId(7)]);
    }

    #[test]
    fn eviction_keeps_pending_and_recent_documents() {
        let mut docs = Documents::new();
        let ids: Vec<DocumentId> = (0..5).map(|_| DocumentId::random()).collect();
        for (i, id) in ids.iter().enumerate() {
            docs.finish_load(*id, Some(stored(i as i64)));
        }
        docs.loaded_mut(&ids[0]).expect("loaded").pending_stores = 1;
        docs.loaded_mut(&ids[1]); // touched: most recent
        let absent = DocumentId::random();
        docs.finish_load(absent, None);
        let evicted = docs.evict_to(2);
        assert!(evicted.contains(&absent));
        assert_eq!(docs.loaded_count(), 2);
        assert!(
            docs.heads(&ids[0]).is_some(),
            "pending store pins the document"
        );
        assert!(docs.heads(&ids[1]).is_some(), "most recently used stays");
    }

    #[test]
    fn a_document_created_elsewhere_is_loaded_again() {
        let mut docs = Documents::new();
        let id = DocumentId::random();
        docs.subscribe(id, ConnectionId(4));
        assert_eq!(docs.access(&id), Access::StartLoad);
        docs.finish_load(id, None);
        assert_eq!(docs.access(&id), Access::Absent);
        assert_eq!(docs.invalidate(&id), vec![ConnectionId(4)]);
        assert_eq!(
            docs.access(&id),
            Access::StartLoad,
            "the known absence is forgotten"
        );
    }

    #[test]
    fn changes_from_other_instances_are_applied_and_announced() {
        let mut docs = Documents::new();
        let id = DocumentId::random();
        let original = stored(1);
        docs.finish_load(id, Some(original.clone()));
        docs.subscribe(id, ConnectionId(3));
        let mut other = automerge::AutoCommit::load(&original.data).expect("load");
        other.put(automerge::ROOT, "v", 2).expect("put");
        let change = other.save_incremental();
        assert_eq!(
            docs.apply_stored_changes(&id, &change),
            Ok(vec![ConnectionId(3)])
        );
        assert_eq!(
            docs.apply_stored_changes(&id, &change),
            Ok(vec![]),
            "a repeated notification changes nothing"
        );
    }
}

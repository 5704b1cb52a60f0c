//! Documents in [`Storage`]: loading one for the shared table, storing the
//! changes a session accepted, creating a new one, deciding the ACL of a
//! document a peer uploads, and each peer's sync state.
//!
//! A document is stored as its ACL (`documents` + `document_members`, the
//! `kind` column holding the `DocKind` as JSON), an optional snapshot and its
//! changes, one row per Automerge change in arrival (causal) order.

use automerge::{Automerge, Change};
use tutti_sync::automerge;
use tutti_sync::{DocAcl, DocClaim, DocKind, DocumentId, StoredDocument, SyncStateKey, UserId};

use crate::Error;
use crate::accounts::now;
use crate::storage::{DocumentRecord, MatchStatus, Storage};

/// A loaded document and the highest change sequence number it includes.
#[derive(Debug)]
pub struct Loaded {
    pub stored: StoredDocument,
    pub seq: i64,
}

fn corrupt(document_id: &DocumentId, what: impl std::fmt::Display) -> Error {
    Error::CorruptRow(format!("document {document_id}: {what}"))
}

/// The ACL of a stored document record.
pub fn acl_of(record: &DocumentRecord) -> Result<DocAcl, Error> {
    let kind: DocKind = serde_json::from_str(&record.kind)
        .map_err(|e| Error::CorruptRow(format!("document {} kind: {e}", record.id)))?;
    Ok(DocAcl {
        owner: UserId::new(record.owner_id.clone()),
        readers: record.members.iter().cloned().map(UserId::new).collect(),
        kind,
    })
}

/// A peer's persisted sync state for a document: `None` when there is none,
/// and when it cannot be read (logged; a full sync is always correct).
pub async fn load_sync_state(storage: &dyn Storage, key: &SyncStateKey) -> Option<Vec<u8>> {
    storage
        .peer_state(
            key.user_id.as_str(),
            key.storage_id.as_str(),
            &key.document_id.to_string(),
        )
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "loading a peer's sync state failed");
            None
        })
}

/// Persists a peer's sync state; a failure is logged (that peer's next
/// connection then syncs in full) and returns `false`.
pub async fn save_sync_state(storage: &dyn Storage, key: &SyncStateKey, state: &[u8]) -> bool {
    let saved = storage
        .save_peer_state(
            key.user_id.as_str(),
            key.storage_id.as_str(),
            &key.document_id.to_string(),
            state,
            now(),
        )
        .await;
    match saved {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "persisting a peer's sync state failed");
            false
        }
    }
}

/// Loads a document: `None` when storage has no such document.
pub async fn load(
    storage: &dyn Storage,
    document_id: &DocumentId,
) -> Result<Option<Loaded>, Error> {
    let id = document_id.to_string();
    let Some(record) = storage.document(&id).await? else {
        return Ok(None);
    };
    let acl = acl_of(&record)?;
    let snapshot = storage.snapshot(&id).await?;
    let after = snapshot.as_ref().map_or(0, |s| s.up_to_seq);
    let changes = storage.changes_since(&id, after).await?;
    let seq = changes.last().map_or(after, |c| c.seq);
    let mut data = snapshot.map(|s| s.bytes).unwrap_or_default();
    for change in changes {
        data.extend_from_slice(&change.bytes);
    }
    Ok(Some(Loaded {
        stored: StoredDocument { acl, data },
        seq,
    }))
}

/// The change chunks of what another instance stored after `after_seq`
/// (with the snapshot first if one was taken past it), and the new highest seq.
pub async fn load_since(
    storage: &dyn Storage,
    document_id: &DocumentId,
    after_seq: i64,
) -> Result<(Vec<u8>, i64), Error> {
    let id = document_id.to_string();
    let mut data = Vec::new();
    let mut after = after_seq;
    if let Some(snapshot) = storage.snapshot(&id).await?
        && snapshot.up_to_seq > after_seq
    {
        data = snapshot.bytes;
        after = snapshot.up_to_seq;
    }
    let changes = storage.changes_since(&id, after).await?;
    let seq = changes.last().map_or(after, |c| c.seq);
    for change in changes {
        data.extend_from_slice(&change.bytes);
    }
    Ok((data, seq))
}

const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Splits concatenated Automerge chunks (magic, checksum, type, uLEB128
/// length, body) into the individual chunks.
pub fn split_chunks(mut bytes: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut chunks = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 9 || bytes[..4] != CHUNK_MAGIC {
            return Err("not an Automerge chunk (bad magic bytes)".into());
        }
        let mut len: u64 = 0;
        let mut at = 9;
        let mut shift = 0;
        loop {
            let byte = *bytes.get(at).ok_or("truncated chunk length")?;
            at += 1;
            len |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return Err("chunk length is not a valid uLEB128".into());
            }
        }
        let end = usize::try_from(len)
            .ok()
            .and_then(|l| at.checked_add(l))
            .filter(|end| *end <= bytes.len())
            .ok_or("truncated chunk")?;
        chunks.push(&bytes[..end]);
        bytes = &bytes[end..];
    }
    Ok(chunks)
}

/// Durably appends the change chunks `changes` (as the session's
/// `StoreChanges` gives them) to a document, written by `author`. Returns the
/// highest sequence number stored, if any change was new.
pub async fn store_changes(
    storage: &dyn Storage,
    document_id: &DocumentId,
    author: &UserId,
    changes: &[u8],
) -> Result<Option<i64>, Error> {
    let id = document_id.to_string();
    let chunks = split_chunks(changes).map_err(|e| corrupt(document_id, e))?;
    let mut last = None;
    for chunk in chunks {
        let change = Change::try_from(chunk).map_err(|e| corrupt(document_id, e))?;
        let hash = change.hash().to_string();
        if let Some(seq) = storage
            .append_change(&id, &hash, author.as_str(), chunk, now())
            .await?
        {
            last = Some(seq);
        }
    }
    Ok(last)
}

/// Durably creates a document with `acl` and the content of the saved
/// document `data`. A document created meanwhile with the same owner and kind
/// (another connection or instance of the same user) is written to instead.
pub async fn create(
    storage: &dyn Storage,
    document_id: &DocumentId,
    acl: &DocAcl,
    data: &[u8],
) -> Result<Option<i64>, Error> {
    let id = document_id.to_string();
    let kind = serde_json::to_string(&acl.kind).map_err(|e| corrupt(document_id, e))?;
    let record = DocumentRecord {
        id: id.clone(),
        owner_id: acl.owner.as_str().to_owned(),
        kind,
        members: acl.readers.iter().map(|u| u.as_str().to_owned()).collect(),
        created_at: now(),
    };
    match storage.create_document(&record).await {
        Ok(()) => {}
        Err(Error::DocumentExists) => {
            let existing = storage
                .document(&id)
                .await?
                .ok_or_else(|| corrupt(document_id, "exists and does not"))?;
            if acl_of(&existing)?.owner != acl.owner || existing.kind != record.kind {
                return Err(Error::DocumentExists);
            }
        }
        Err(e) => return Err(e),
    }
    let doc = Automerge::load(data).map_err(|e| corrupt(document_id, e))?;
    let mut bytes = Vec::new();
    for change in doc.get_changes(&[]) {
        bytes.extend_from_slice(change.raw_bytes());
    }
    store_changes(storage, document_id, &acl.owner, &bytes).await
}

/// Decides the ACL of a document a peer uploads, from what it claims to be.
///
/// A chat document of room `R` is allowed when `R` is an accepted match and
/// the claimed owner (already checked to be the connection's user) is one of
/// its two parties; the other party reads it.
///
/// A community question or answer is public and owned by its writer; see
/// [`super::community::decide`] for what must hold.
pub async fn decide_new_document(
    storage: &dyn Storage,
    document_id: &DocumentId,
    claim: &DocClaim,
) -> Result<Result<DocAcl, String>, Error> {
    if claim.kind.is_public() {
        return super::community::decide(storage, document_id, claim).await;
    }
    let DocKind::ChatMessages { room_id, .. } = &claim.kind else {
        return Ok(Err(
            "only chat message and community documents can be created over sync".into(),
        ));
    };
    let Some(room) = storage.match_by_id(room_id).await? else {
        return Ok(Err(format!("there is no chat room {room_id}")));
    };
    if room.status != MatchStatus::Accepted {
        return Ok(Err(format!(
            "the match {room_id} is {}, not accepted",
            room.status.as_str()
        )));
    }
    let owner = claim.owner.as_str();
    let other = if owner == room.mentor_id {
        room.mentee_id
    } else if owner == room.mentee_id {
        room.mentor_id
    } else {
        return Ok(Err(format!(
            "{owner} is not a member of chat room {room_id}"
        )));
    };
    Ok(Ok(DocAcl {
        owner: claim.owner.clone(),
        readers: vec![UserId::new(other)],
        kind: claim.kind.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;

    #[test]
    fn concatenated_changes_split_back_into_changes() {
        let mut doc = automerge::AutoCommit::new();
        for i in 0..3 {
            doc.put(automerge::ROOT, "v", i).expect("put");
            doc.commit();
        }
        let changes = doc.document().get_changes(&[]);
        let joined: Vec<u8> = changes
            .iter()
            .flat_map(|c| c.raw_bytes().to_vec())
            .collect();
        let chunks = split_chunks(&joined).expect("split");
        assert_eq!(chunks.len(), 3, "one chunk per commit");
        for (chunk, change) in chunks.iter().zip(&changes) {
            assert_eq!(*chunk, change.raw_bytes());
        }
        assert!(
            split_chunks(&joined[..joined.len() - 1]).is_err(),
            "truncated"
        );
        assert!(split_chunks(b"garbage-bytes").is_err(), "no magic");
    }
}

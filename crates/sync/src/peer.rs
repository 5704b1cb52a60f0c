//! Peers: their ids, their storage ids and the metadata they present in `join`/`peer`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ProtocolError;

/// Longest peer or storage id accepted from the wire.
pub const MAX_ID_LEN: usize = 256;

/// A peer id: an opaque string the peer picks (automerge-repo JS uses
/// `"peer-" + random`, samod a UUID). One per running repo.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PeerId(String);

/// A storage id: the id of a peer's persistent storage (a UUID string in
/// automerge-repo). It is what sync state is keyed by, because it survives
/// restarts while the peer id does not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StorageId(String);

fn check_id(kind: &str, value: &str) -> Result<(), ProtocolError> {
    if value.is_empty() {
        return Err(ProtocolError::InvalidField {
            field: kind.to_string(),
            reason: "empty".into(),
        });
    }
    if value.len() > MAX_ID_LEN {
        return Err(ProtocolError::InvalidField {
            field: kind.to_string(),
            reason: format!("{} bytes, at most {MAX_ID_LEN} allowed", value.len()),
        });
    }
    Ok(())
}

impl PeerId {
    /// A peer id from text, which must be non-empty and at most [`MAX_ID_LEN`] bytes.
    pub fn new(value: impl Into<String>) -> Result<Self, ProtocolError> {
        let value = value.into();
        check_id("peerId", &value)?;
        Ok(Self(value))
    }

    /// A fresh random peer id in automerge-repo's style (`peer-<hex>`).
    pub fn random() -> Self {
        Self(format!(
            "peer-{}",
            automerge::ActorId::random().to_hex_string()
        ))
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl StorageId {
    /// A storage id from text, which must be non-empty and at most [`MAX_ID_LEN`] bytes.
    pub fn new(value: impl Into<String>) -> Result<Self, ProtocolError> {
        let value = value.into();
        check_id("storageId", &value)?;
        Ok(Self(value))
    }

    /// A fresh random storage id (a UUID v4 string, as automerge-repo makes them).
    pub fn random() -> Self {
        let actor = automerge::ActorId::random();
        let mut b = [0u8; 16];
        b.copy_from_slice(&actor.to_bytes()[..16]);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        Self(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for StorageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a peer says about itself in `join` and `peer` messages
/// (`PeerMetadata` in automerge-repo's `NetworkAdapterInterface.ts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeerMetadata {
    /// The peer's storage id; absent for a peer without storage.
    pub storage_id: Option<StorageId>,
    /// True when the peer will not come back with the same storage (so its sync
    /// state is not worth keeping).
    pub is_ephemeral: bool,
}

impl PeerMetadata {
    /// The storage id to key persisted sync state by, if this peer has one worth keeping.
    pub fn persistent_storage(&self) -> Option<&StorageId> {
        if self.is_ephemeral {
            None
        } else {
            self.storage_id.as_ref()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_non_empty_and_bounded() {
        assert!(PeerId::new("").is_err());
        assert!(PeerId::new("x".repeat(MAX_ID_LEN + 1)).is_err());
        assert_eq!(
            PeerId::new("peer-1").map(|p| p.to_string()),
            Ok("peer-1".into())
        );
        assert!(StorageId::new("").is_err());
    }

    #[test]
    fn random_storage_ids_look_like_uuids() {
        let id = StorageId::random();
        let parts: Vec<&str> = id.as_str().split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'), "version 4: {id}");
        assert!(PeerId::random().as_str().starts_with("peer-"));
    }

    #[test]
    fn ephemeral_peers_have_no_persistent_storage() {
        let storage = StorageId::random();
        let kept = PeerMetadata {
            storage_id: Some(storage.clone()),
            is_ephemeral: false,
        };
        assert_eq!(kept.persistent_storage(), Some(&storage));
        let ephemeral = PeerMetadata {
            storage_id: Some(storage),
            is_ephemeral: true,
        };
        assert_eq!(ephemeral.persistent_storage(), None);
    }
}

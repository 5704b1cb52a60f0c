//! Document ids as automerge-repo writes them: the bs58check encoding of 16 bytes.
//!
//! automerge-repo (`packages/automerge-repo/src/AutomergeUrl.ts`) generates a
//! document id as `Uuid.v4(null, new Uint8Array(16))` and puts
//! `bs58check.encode(bytes)` on the wire and in `automerge:` URLs. bs58check is
//! base58 (Bitcoin alphabet) of the bytes followed by the first 4 bytes of
//! SHA-256(SHA-256(bytes)).

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::error::ProtocolError;

/// The prefix of an Automerge URL (`automerge:<bs58check id>`).
pub const AUTOMERGE_URL_PREFIX: &str = "automerge:";

/// Length of a document id's binary form.
pub const DOCUMENT_ID_LEN: usize = 16;

/// Longest text we try to decode as a document id (22 base58 characters encode
/// 16 bytes + 4 check bytes; anything far longer is not an id).
const MAX_ENCODED_LEN: usize = 64;

/// A document id: 16 bytes, shown and sent as bs58check text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; DOCUMENT_ID_LEN]);

impl DocumentId {
    /// A new random id, shaped like a UUID v4 as automerge-repo makes them.
    pub fn random() -> Self {
        let actor = automerge::ActorId::random();
        let mut bytes = [0u8; DOCUMENT_ID_LEN];
        bytes.copy_from_slice(&actor.to_bytes()[..DOCUMENT_ID_LEN]);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Self(bytes)
    }

    /// A deterministic id derived from a namespace and parts: the first 16 bytes
    /// of SHA-256 over `tutti/<namespace>` and each part, NUL-separated, shaped as
    /// a UUID v8 (custom). Every peer computes the same id for the same parts.
    pub fn derived(namespace: &str, parts: &[&str]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"tutti/");
        hasher.update(namespace.as_bytes());
        for part in parts {
            hasher.update([0u8]);
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut bytes = [0u8; DOCUMENT_ID_LEN];
        bytes.copy_from_slice(&digest[..DOCUMENT_ID_LEN]);
        bytes[6] = (bytes[6] & 0x0f) | 0x80;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Self(bytes)
    }

    /// The id from its 16 raw bytes.
    pub fn from_bytes(bytes: [u8; DOCUMENT_ID_LEN]) -> Self {
        Self(bytes)
    }

    /// The id from a byte slice, which must be exactly 16 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ProtocolError> {
        let array: [u8; DOCUMENT_ID_LEN] =
            bytes
                .try_into()
                .map_err(|_| ProtocolError::InvalidDocumentId {
                    input: format!("{} bytes", bytes.len()),
                    reason: format!("expected {DOCUMENT_ID_LEN} bytes"),
                })?;
        Ok(Self(array))
    }

    /// The 16 raw bytes.
    pub fn as_bytes(&self) -> &[u8; DOCUMENT_ID_LEN] {
        &self.0
    }

    /// The bs58check text form used on the wire.
    pub fn encode(&self) -> String {
        bs58::encode(&self.0).with_check().into_string()
    }

    /// Parses the bs58check text form, checking the checksum and the length.
    pub fn parse(text: &str) -> Result<Self, ProtocolError> {
        let invalid = |reason: String| ProtocolError::InvalidDocumentId {
            input: text.chars().take(MAX_ENCODED_LEN).collect(),
            reason,
        };
        if text.is_empty() {
            return Err(invalid("empty".into()));
        }
        if text.len() > MAX_ENCODED_LEN {
            return Err(invalid(format!("longer than {MAX_ENCODED_LEN} characters")));
        }
        let bytes = bs58::decode(text)
            .with_check(None)
            .into_vec()
            .map_err(|e| invalid(format!("not bs58check: {e}")))?;
        if bytes.len() != DOCUMENT_ID_LEN {
            return Err(invalid(format!(
                "decodes to {} bytes, expected {DOCUMENT_ID_LEN}",
                bytes.len()
            )));
        }
        Self::from_slice(&bytes)
    }

    /// The `automerge:<id>` URL of this document.
    pub fn to_url(&self) -> String {
        format!("{AUTOMERGE_URL_PREFIX}{}", self.encode())
    }

    /// Parses an `automerge:<id>` URL.
    pub fn from_url(url: &str) -> Result<Self, ProtocolError> {
        let rest = url.strip_prefix(AUTOMERGE_URL_PREFIX).ok_or_else(|| {
            ProtocolError::InvalidDocumentId {
                input: url.chars().take(MAX_ENCODED_LEN).collect(),
                reason: format!("does not start with `{AUTOMERGE_URL_PREFIX}`"),
            }
        })?;
        Self::parse(rest)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({})", self.encode())
    }
}

impl FromStr for DocumentId {
    type Err = ProtocolError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_parse_gives_the_same_id() {
        let id = DocumentId::random();
        assert_eq!(DocumentId::parse(&id.encode()), Ok(id));
        assert_eq!(DocumentId::from_url(&id.to_url()), Ok(id));
    }

    #[test]
    fn random_ids_are_uuid_v4_shaped() {
        let id = DocumentId::random();
        assert_eq!(id.as_bytes()[6] >> 4, 4, "version nibble of a UUID v4");
        assert_eq!(id.as_bytes()[8] >> 6, 0b10, "RFC 4122 variant bits");
        assert_ne!(id, DocumentId::random());
    }

    #[test]
    fn known_bytes_encode_to_known_text() {
        // bs58check of 16 zero bytes: base58 keeps one '1' per leading zero byte,
        // then the 4 check bytes (first 4 of sha256(sha256(16 zero bytes))).
        let zero = DocumentId::from_bytes([0; 16]);
        let text = zero.encode();
        assert!(text.starts_with("1111111111111111"), "{text}");
        assert_eq!(DocumentId::parse(&text), Ok(zero));
    }

    #[test]
    fn a_changed_character_fails_the_checksum() {
        let text = DocumentId::random().encode();
        let mut chars: Vec<char> = text.chars().collect();
        let last = chars.len() - 1;
        chars[last] = if chars[last] == '2' { '3' } else { '2' };
        let broken: String = chars.into_iter().collect();
        let err = DocumentId::parse(&broken).unwrap_err();
        assert!(
            matches!(err, ProtocolError::InvalidDocumentId { .. }),
            "{err}"
        );
    }

    #[test]
    fn wrong_lengths_and_alphabet_are_refused() {
        let eight = bs58::encode([7u8; 8]).with_check().into_string();
        assert!(DocumentId::parse(&eight).is_err(), "8 bytes is not an id");
        assert!(DocumentId::parse("0OIl").is_err(), "not base58");
        assert!(DocumentId::parse("").is_err());
        assert!(DocumentId::parse(&"z".repeat(500)).is_err());
        assert!(DocumentId::from_url("https://example.com").is_err());
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = DocumentId::derived("chat", &["room", "alice", "2026-11"]);
        assert_eq!(
            a,
            DocumentId::derived("chat", &["room", "alice", "2026-11"])
        );
        assert_ne!(a, DocumentId::derived("chat", &["room", "bob", "2026-11"]));
        // NUL separation: ("ab","c") and ("a","bc") must differ
        assert_ne!(
            DocumentId::derived("x", &["ab", "c"]),
            DocumentId::derived("x", &["a", "bc"])
        );
    }
}

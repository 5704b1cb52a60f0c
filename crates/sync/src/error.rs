//! The one error type of this crate.

/// Everything that can go wrong in this crate: a frame that is not a valid
/// automerge-repo message, a bad document id, an Automerge payload that does not
/// parse, a chat document that does not follow the schema.
///
/// Every variant names what is wrong (the field, the message type, the limit), so
/// a server can send the text back to the peer in an `error` message as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// The frame is bigger than the configured limit.
    #[error("message of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge { size: usize, limit: usize },

    /// The bytes are not well-formed CBOR.
    #[error("malformed CBOR at byte {at}: {reason}")]
    MalformedCbor { at: usize, reason: String },

    /// A message must be a CBOR map with text keys.
    #[error("a message must be a CBOR map with text keys, found {found}")]
    NotAMap { found: String },

    /// There are bytes after the end of the message's map.
    #[error("{count} trailing bytes after the message")]
    TrailingBytes { count: usize },

    /// The same key appears twice in a message map.
    #[error("field `{field}` appears more than once")]
    DuplicateField { field: String },

    /// A field the message type requires is absent.
    #[error("`{message_type}` message is missing field `{field}`")]
    MissingField {
        message_type: String,
        field: &'static str,
    },

    /// A field has the wrong CBOR type.
    #[error("field `{field}` must be {expected}, found {found}")]
    WrongType {
        field: String,
        expected: &'static str,
        found: String,
    },

    /// A field has the right type but a value that is not allowed.
    #[error("field `{field}` is invalid: {reason}")]
    InvalidField { field: String, reason: String },

    /// The `type` field names a message type this protocol does not have.
    #[error("unknown message type `{0}`")]
    UnknownType(String),

    /// A document id is not the bs58check encoding of 16 bytes.
    #[error("invalid document id `{input}`: {reason}")]
    InvalidDocumentId { input: String, reason: String },

    /// The handshake was not followed (no `join` first, wrong sender, unsupported version).
    #[error("handshake: {0}")]
    Handshake(String),

    /// The `data` of a `sync`/`request` message is not an Automerge sync message.
    #[error("document {document_id}: invalid Automerge sync message: {reason}")]
    InvalidSyncMessage { document_id: String, reason: String },

    /// Persisted sync state bytes could not be decoded.
    #[error("invalid persisted sync state: {0}")]
    InvalidSyncState(String),

    /// Automerge refused an operation (bad change bytes, failed load).
    #[error("automerge: {0}")]
    Automerge(String),

    /// A document does not follow the schema this crate expects of it.
    #[error("document schema: field `{field}`: {reason}")]
    Schema { field: String, reason: String },

    /// The caller asked about a document this session does not hold.
    #[error("document {0} is not open in this session")]
    UnknownDocument(String),
}

impl From<automerge::AutomergeError> for ProtocolError {
    fn from(e: automerge::AutomergeError) -> Self {
        Self::Automerge(e.to_string())
    }
}

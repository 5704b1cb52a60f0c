use std::path::PathBuf;

/// Everything that can go wrong in the core. Each variant has a stable
/// [`Error::code`] the UI branches on; the message is for people.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read or write {path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no data directory could be determined: set TUTTI_DATA_DIR")]
    NoDataDir,
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
    #[error("stored setting {key} is corrupt: {reason}")]
    CorruptSetting { key: String, reason: String },
    #[error("unknown {field} `{id}`: no {what} has it")]
    NotFound {
        what: &'static str,
        field: &'static str,
        id: String,
    },
    #[error("cannot {action} now: the room is at stage `{stage}`")]
    WrongStage {
        action: &'static str,
        stage: &'static str,
    },
    #[error("no AI provider is configured: set its base URL and model in the settings")]
    LlmNotConfigured,
    #[error(transparent)]
    Llm(#[from] tutti_llm::LlmError),
    #[error("cannot use the OS keyring: {0}")]
    Keyring(String),
    #[error("stored {what} `{id}` is corrupt: {reason}")]
    CorruptRecord {
        what: &'static str,
        id: String,
        reason: String,
    },
    #[error("not signed in to the sync server: log in first")]
    NotSignedIn,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("cannot reach the sync server: {0}")]
    ServerUnreachable(String),
    #[error("the sync server refused ({status} {code}): {message}")]
    ServerRejected {
        status: u16,
        /// The server's own error code, e.g. `email_taken`.
        code: String,
        message: String,
        field: Option<String>,
    },
    #[error("chat sync protocol error: {0}")]
    SyncProtocol(#[from] tutti_sync::ProtocolError),
    #[error("only its author can change {what} `{id}`")]
    NotOwner { what: &'static str, id: String },
    #[error(
        "answer `{answer_id}` was written by AI ({model}); only a person's answer can be accepted"
    )]
    AiAnswerNotAcceptable { answer_id: String, model: String },
    #[error(
        "refusing plain {scheme}:// to {host}: it is not this computer, and anyone on the way \
         could read and change the traffic; use https:// or allow insecure transport for this server"
    )]
    InsecureTransport { scheme: &'static str, host: String },
}

impl Error {
    /// A stable machine-readable code for the UI and CLI.
    pub fn code(&self) -> &'static str {
        match self {
            Error::DataDir { .. } | Error::NoDataDir => "data_dir",
            Error::File { .. } => "file",
            Error::Database(_) => "database",
            Error::Migration(_) => "migration",
            Error::InvalidInput { .. } => "invalid_input",
            Error::CorruptSetting { .. } => "corrupt_setting",
            Error::NotFound { .. } => "not_found",
            Error::WrongStage { .. } => "wrong_stage",
            Error::LlmNotConfigured => "llm_not_configured",
            Error::Llm(e) => e.code(),
            Error::Keyring(_) => "keyring",
            Error::CorruptRecord { .. } => "corrupt_record",
            Error::NotSignedIn => "not_signed_in",
            Error::InvalidCredentials => "invalid_credentials",
            Error::ServerUnreachable(_) => "server_unreachable",
            Error::ServerRejected { .. } => "server_rejected",
            Error::SyncProtocol(_) => "sync_protocol",
            Error::NotOwner { .. } => "not_owner",
            Error::AiAnswerNotAcceptable { .. } => "ai_answer_not_acceptable",
            Error::InsecureTransport { .. } => "insecure_transport",
        }
    }

    /// Every code [`Error::code`] returns itself ([`Error::Llm`] passes on
    /// [`tutti_llm::LlmError::CODES`]). A test checks it against one error of
    /// each variant.
    pub const CODES: &'static [&'static str] = &[
        "data_dir",
        "file",
        "database",
        "migration",
        "invalid_input",
        "corrupt_setting",
        "not_found",
        "wrong_stage",
        "llm_not_configured",
        "keyring",
        "corrupt_record",
        "not_signed_in",
        "invalid_credentials",
        "server_unreachable",
        "server_rejected",
        "sync_protocol",
        "not_owner",
        "ai_answer_not_acceptable",
        "insecure_transport",
    ];

    /// The input field the error is about, when there is one (the UI puts
    /// the message next to it).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } | Error::NotFound { field, .. } => Some(field),
            Error::ServerRejected { field, .. } => field.as_deref(),
            Error::InsecureTransport { .. } => Some("server_url"),
            _ => None,
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of each variant. The match below has no wildcard, so a new
    /// variant does not compile until it is listed there, here and in
    /// [`Error::CODES`].
    fn one_of_each() -> Vec<Error> {
        let io = || std::io::Error::other("x");
        let all = vec![
            Error::DataDir {
                path: "/x".into(),
                source: io(),
            },
            Error::File {
                path: "/x".into(),
                source: io(),
            },
            Error::NoDataDir,
            Error::Database(rusqlite::Error::QueryReturnedNoRows),
            Error::Migration(rusqlite_migration::Error::InvalidUserVersion),
            Error::invalid("title", "empty"),
            Error::CorruptSetting {
                key: "k".into(),
                reason: "r".into(),
            },
            Error::NotFound {
                what: "room",
                field: "room_id",
                id: "1".into(),
            },
            Error::WrongStage {
                action: "a",
                stage: "s",
            },
            Error::LlmNotConfigured,
            Error::Llm(tutti_llm::LlmError::Cancelled),
            Error::Keyring("k".into()),
            Error::CorruptRecord {
                what: "w",
                id: "1".into(),
                reason: "r".into(),
            },
            Error::NotSignedIn,
            Error::InvalidCredentials,
            Error::ServerUnreachable("down".into()),
            Error::ServerRejected {
                status: 409,
                code: "email_taken".into(),
                message: "m".into(),
                field: None,
            },
            Error::SyncProtocol(tutti_sync::ProtocolError::UnknownType("x".into())),
            Error::NotOwner {
                what: "w",
                id: "1".into(),
            },
            Error::AiAnswerNotAcceptable {
                answer_id: "a".into(),
                model: "m".into(),
            },
            Error::InsecureTransport {
                scheme: "http",
                host: "h".into(),
            },
        ];
        for e in &all {
            match e {
                Error::DataDir { .. }
                | Error::File { .. }
                | Error::NoDataDir
                | Error::Database(_)
                | Error::Migration(_)
                | Error::InvalidInput { .. }
                | Error::CorruptSetting { .. }
                | Error::NotFound { .. }
                | Error::WrongStage { .. }
                | Error::LlmNotConfigured
                | Error::Llm(_)
                | Error::Keyring(_)
                | Error::CorruptRecord { .. }
                | Error::NotSignedIn
                | Error::InvalidCredentials
                | Error::ServerUnreachable(_)
                | Error::ServerRejected { .. }
                | Error::SyncProtocol(_)
                | Error::NotOwner { .. }
                | Error::AiAnswerNotAcceptable { .. }
                | Error::InsecureTransport { .. } => {}
            }
        }
        all
    }

    #[test]
    fn codes_lists_every_code_of_its_own() {
        let mut got: Vec<&str> = one_of_each()
            .iter()
            .filter(|e| !matches!(e, Error::Llm(_)))
            .map(Error::code)
            .collect();
        got.sort_unstable();
        got.dedup();
        let mut listed = Error::CODES.to_vec();
        listed.sort_unstable();
        assert_eq!(
            got, listed,
            "Error::CODES must list exactly the codes of the variants (the UI translates each)"
        );
        assert!(
            Error::CODES
                .iter()
                .all(|c| !c.starts_with("llm_") || *c == "llm_not_configured"),
            "the LLM's own codes come from tutti_llm::LlmError::CODES"
        );
    }
}

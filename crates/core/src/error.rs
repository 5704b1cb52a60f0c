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
        }
    }

    /// The input field the error is about, when there is one (the UI puts
    /// the message next to it).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } | Error::NotFound { field, .. } => Some(field),
            Error::ServerRejected { field, .. } => field.as_deref(),
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

//! The core of Tutti, free of Tauri: domain types, the local SQLite store and the
//! one API ([`Tutti`]) that the desktop shell, the headless `tutti` CLI and the
//! tests all call.
//!
//! Layout:
//! - [`data_dir`] finds where the app keeps its files (`TUTTI_DATA_DIR` overrides).
//! - [`store`] is the only module that writes SQL; migrations live in
//!   `migrations/app/` at the repository root and are embedded at compile time.
//! - [`dto`] holds the types that cross IPC; they generate TypeScript (ts-rs).
//! - [`api`] is the facade callers use.
//! - [`mentor`] is the AI mentor flow; [`secrets`] keeps the LLM API key in
//!   the OS keyring.
//! - [`practice`] is target melodies, the recordings library and grading.
//! - [`account`] is the sync-server account, survey and matching; [`chat`] is
//!   the local-first mentor–mentee chat and the sync task (chat and
//!   community documents); [`community`] is the local-first community Q&A.
//! - [`courses`] is the course catalogue (the server's copy or the bundled
//!   one), the learner's course activity and on-device recommendations.
//!
//! To add a capability: a migration (append a new file, never edit an old one),
//! repository functions in `store`, domain logic in its own module, and one
//! method on [`Tutti`] that the shell and CLI call.

pub mod account;
pub mod api;
pub mod chat;
pub mod community;
pub mod courses;
pub mod data_dir;
pub mod dto;
mod error;
pub mod mentor;
pub mod practice;
mod profile;
pub mod secrets;
pub mod store;

pub use api::Tutti;
pub use error::{Error, Result};

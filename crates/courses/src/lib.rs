//! `tutti-courses` owns Tutti's course catalogue: the [`Course`] type, the
//! catalogue shipped with every build (`data/catalogue.json`), and the rules a
//! catalogue must pass. It is pure data and code over it — no I/O beyond
//! `include_str!`, no async, no Tauri.
//!
//! # Who calls what
//! - **Sync server**: serves [`Catalogue::bundled`] (serialised as
//!   `{ version, courses }`) over HTTP, with [`Catalogue::version`] as its
//!   `ETag`.
//! - **App**: caches the served JSON for offline browsing and reads it back
//!   with [`Catalogue::from_json`] (which re-checks the version), falling back
//!   to [`Catalogue::bundled`]; lists courses with
//!   [`Catalogue::by_hobby_level`], shows one with [`Catalogue::get`].
//! - **Recommender**: course ids here are the item ids of `tutti-recommend`;
//!   its candidates are one hobby and level of this catalogue.
//!
//! # Extending
//! Add a course by appending it to `data/catalogue.json` next to its hobby's
//! others; the tests re-validate the file. Ids are stable: never rename one
//! (clicks refer to it) — retire a course by removing it instead. A hobby must
//! first exist in `data/hobbies.json`, a verbatim copy of
//! `eval/hobby/taxonomy.json`. A new rule goes in `validation`, with a
//! [`CatalogueError`] variant that names the course and field.

mod catalogue;
mod course;
mod error;
mod hobby;
mod validation;

pub use catalogue::Catalogue;
pub use course::{Course, Level, LocalText};
pub use error::CatalogueError;
pub use hobby::{Hobby, hobby, known_hobbies};
pub use validation::MIN_MINUTES;

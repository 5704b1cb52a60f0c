//! Where Tutti keeps its database and files.

use std::path::PathBuf;

use crate::{Error, Result};

/// Environment variable that overrides the data directory. Tests and dev runs
/// set it so they never touch a real user's data.
pub const DATA_DIR_ENV: &str = "TUTTI_DATA_DIR";

/// The data directory: `$TUTTI_DATA_DIR` when set and non-empty, otherwise the
/// OS app-data directory (`~/.local/share/tutti` on Linux,
/// `~/Library/Application Support/app.tutti.Tutti` on macOS,
/// `%APPDATA%\tutti\Tutti\data` on Windows).
pub fn resolve() -> Result<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("app", "tutti", "Tutti")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .ok_or(Error::NoDataDir),
    }
}

/// Name of the SQLite file inside the data directory.
pub const DATABASE_FILE: &str = "tutti.sqlite3";

//! [`Tutti`]: the one core API. The desktop shell and the CLI hold one of
//! these and call a method per user action.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::dto::{AppInfo, Profile, ProfileInput, Settings, SettingsPatch};
use crate::store::Store;
use crate::{Error, Result, data_dir};

/// An opened Tutti data directory.
#[derive(Debug)]
pub struct Tutti {
    data_dir: PathBuf,
    store: Mutex<Store>,
    /// The sync server this build was made for (`TUTTI_DEFAULT_SERVER` at
    /// package time), used until the user chooses one.
    default_server: Option<String>,
}

impl Tutti {
    /// Opens the data directory chosen by [`data_dir::resolve`].
    pub fn open_default() -> Result<Self> {
        Self::open(&data_dir::resolve()?)
    }

    /// Opens (creating if needed) a data directory and its database.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::DataDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let store = Store::open(&dir.join(data_dir::DATABASE_FILE))?;
        tracing::info!(data_dir = %dir.display(), "opened Tutti data directory");
        Ok(Self {
            data_dir: dir.to_path_buf(),
            store: Mutex::new(store),
            default_server: None,
        })
    }

    /// Sets the sync server used until the user chooses one; empty means
    /// none. The shell passes the address the package was built with.
    pub fn set_default_server_url(&mut self, url: &str) -> Result<()> {
        self.default_server = match url.trim() {
            "" => None,
            url => Some(crate::account::client::normalize_server_url(url)?),
        };
        Ok(())
    }

    pub(crate) fn default_server_url(&self) -> Option<&str> {
        self.default_server.as_deref()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave SQLite half-written
        // (every write is one statement or one transaction), so recover.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn app_info(&self) -> Result<AppInfo> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            schema_version: self.store().schema_version()?,
        })
    }

    pub fn settings_get(&self) -> Result<Settings> {
        self.store().settings()
    }

    pub fn settings_update(&self, patch: SettingsPatch) -> Result<Settings> {
        self.store().update_settings(patch)
    }

    pub fn profile_get(&self) -> Result<Option<Profile>> {
        self.store().profile()
    }

    pub fn profile_save(&self, input: ProfileInput) -> Result<Profile> {
        let input = crate::profile::validate(input)?;
        self.store().save_profile(&input)
    }
}

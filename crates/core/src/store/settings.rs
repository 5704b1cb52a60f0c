//! The `settings` table: one row per key, values as text.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::dto::{Language, Settings, SettingsPatch, Theme};
use crate::{Error, Result};

const LANGUAGE: &str = "language";
const THEME: &str = "theme";
/// '1' once the first-run screen was finished or skipped (migration 0009
/// sets it for installations from before that screen).
const FIRST_RUN_DONE: &str = "first_run_done";

impl Store {
    /// The stored settings, with defaults for keys never set.
    pub fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::default();
        if let Some(v) = self.setting_raw(LANGUAGE)? {
            settings.language = parse(LANGUAGE, &v)?;
        }
        if let Some(v) = self.setting_raw(THEME)? {
            settings.theme = parse(THEME, &v)?;
        }
        if let Some(v) = self.setting_raw(FIRST_RUN_DONE)? {
            settings.first_run_done = match v.as_str() {
                "1" => true,
                "0" => false,
                other => {
                    return Err(Error::CorruptSetting {
                        key: FIRST_RUN_DONE.into(),
                        reason: format!("`{other}` is not 0 or 1"),
                    });
                }
            };
        }
        Ok(settings)
    }

    /// Applies a patch in one transaction and returns the new settings.
    pub fn update_settings(&mut self, patch: SettingsPatch) -> Result<Settings> {
        let tx = self.conn.transaction()?;
        if let Some(language) = patch.language {
            upsert(&tx, LANGUAGE, &encode::<Language>(language))?;
        }
        if let Some(theme) = patch.theme {
            upsert(&tx, THEME, &encode::<Theme>(theme))?;
        }
        if let Some(done) = patch.first_run_done {
            upsert(&tx, FIRST_RUN_DONE, if done { "1" } else { "0" })?;
        }
        tx.commit()?;
        self.settings()
    }

    fn setting_raw(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }
}

fn upsert(tx: &rusqlite::Transaction<'_>, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        params![key, value],
    )?;
    Ok(())
}

/// Settings are stored as the same lowercase strings the UI uses.
fn encode<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("settings enums serialise to strings, got {other:?}"),
    }
}

fn parse<T: serde::de::DeserializeOwned>(key: &str, value: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).map_err(|e| {
        Error::CorruptSetting {
            key: key.to_owned(),
            reason: e.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_korean_and_system_theme() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            store.settings().unwrap(),
            Settings {
                language: Language::Ko,
                theme: Theme::System,
                first_run_done: false,
            },
            "Korean is the first language of Tutti's users, and a new installation starts with the first-run screen"
        );
    }

    #[test]
    fn first_run_done_is_kept_and_a_bad_value_is_reported() {
        let mut store = Store::open_in_memory().unwrap();
        let s = store
            .update_settings(SettingsPatch {
                first_run_done: Some(true),
                ..Default::default()
            })
            .unwrap();
        assert!(s.first_run_done);
        assert_eq!(s.language, Language::Ko, "the other settings stay");
        store
            .conn
            .execute(
                "UPDATE settings SET value = 'yes' WHERE key = 'first_run_done'",
                [],
            )
            .unwrap();
        let err = store.settings().unwrap_err();
        assert_eq!(err.code(), "corrupt_setting");
        assert!(err.to_string().contains("first_run_done"), "{err}");
    }

    #[test]
    fn patch_changes_only_given_fields() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .update_settings(SettingsPatch {
                theme: Some(Theme::Dark),
                ..Default::default()
            })
            .unwrap();
        let s = store
            .update_settings(SettingsPatch {
                language: Some(Language::En),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(s.theme, Theme::Dark, "an absent field keeps its value");
        assert_eq!(s.language, Language::En);
    }

    #[test]
    fn corrupt_value_is_reported_with_its_key() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute(
                "INSERT INTO settings (key, value) VALUES ('language', 'klingon')",
                [],
            )
            .unwrap();
        let err = store.settings().unwrap_err();
        assert_eq!(err.code(), "corrupt_setting");
        assert!(err.to_string().contains("language"), "{err}");
    }
}

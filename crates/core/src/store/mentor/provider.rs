//! The AI provider's base URL and model, in the settings table (the API key
//! is never here: it lives in the OS keyring).

use rusqlite::{OptionalExtension, params};

use super::NOW;
use crate::Result;
use crate::store::Store;

const LLM_BASE_URL: &str = "llm.base_url";
const LLM_MODEL: &str = "llm.model";

impl Store {
    /// The AI provider's base URL and model, when set.
    pub(crate) fn llm_settings(&self) -> Result<(Option<String>, Option<String>)> {
        let get = |key: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                    row.get(0)
                })
                .optional()?)
        };
        Ok((get(LLM_BASE_URL)?, get(LLM_MODEL)?))
    }

    /// Stores the provider's base URL and model, or removes both with `None`.
    pub(crate) fn set_llm_settings(&mut self, provider: Option<(&str, &str)>) -> Result<()> {
        let tx = self.conn.transaction()?;
        match provider {
            Some((base_url, model)) => {
                for (key, value) in [(LLM_BASE_URL, base_url), (LLM_MODEL, model)] {
                    tx.execute(
                        &format!(
                            "INSERT INTO settings (key, value) VALUES (?1, ?2)
                             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = {NOW}"
                        ),
                        params![key, value],
                    )?;
                }
            }
            None => {
                tx.execute(
                    "DELETE FROM settings WHERE key IN (?1, ?2)",
                    params![LLM_BASE_URL, LLM_MODEL],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn llm_settings_set_and_cleared_together() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.llm_settings().unwrap(), (None, None));
        store
            .set_llm_settings(Some(("http://127.0.0.1:11434", "llama3.2")))
            .unwrap();
        assert_eq!(
            store.llm_settings().unwrap(),
            (
                Some("http://127.0.0.1:11434".into()),
                Some("llama3.2".into())
            )
        );
        store.set_llm_settings(None).unwrap();
        assert_eq!(store.llm_settings().unwrap(), (None, None));
    }
}

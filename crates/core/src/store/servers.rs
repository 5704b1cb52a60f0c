//! The `insecure_servers` table: sync servers the user allowed to reach over
//! plain http:// and ws:// although they are not on this computer.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::Result;

impl Store {
    /// Whether plain transport to `url` (a normalised server URL) was allowed.
    pub(crate) fn insecure_allowed(&self, url: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM insecure_servers WHERE url = ?1",
                [url],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Sets the server URL (`None` goes back to the build's default) and
    /// records whether plain transport to it is allowed, in one transaction.
    pub(crate) fn set_server(
        &mut self,
        key: &str,
        url: Option<&str>,
        allow_insecure: bool,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        match url {
            Some(url) => {
                tx.execute(
                    "INSERT INTO account_state (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                    params![key, url],
                )?;
                if allow_insecure {
                    tx.execute(
                        "INSERT INTO insecure_servers (url) VALUES (?1) ON CONFLICT (url) DO NOTHING",
                        [url],
                    )?;
                } else {
                    tx.execute("DELETE FROM insecure_servers WHERE url = ?1", [url])?;
                }
            }
            None => {
                tx.execute("DELETE FROM account_state WHERE key = ?1", [key])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records whether plain transport to `url` is allowed, leaving the
    /// chosen server as it is (the build's default server has no row).
    pub(crate) fn set_insecure_allowed(&self, url: &str, allowed: bool) -> Result<()> {
        if allowed {
            self.conn.execute(
                "INSERT INTO insecure_servers (url) VALUES (?1) ON CONFLICT (url) DO NOTHING",
                [url],
            )?;
        } else {
            self.conn
                .execute("DELETE FROM insecure_servers WHERE url = ?1", [url])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowance_belongs_to_one_server() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .set_server("server_url", Some("http://sync.lan:8787"), true)
            .unwrap();
        assert!(store.insecure_allowed("http://sync.lan:8787").unwrap());
        assert!(
            !store.insecure_allowed("http://other.lan:8787").unwrap(),
            "allowing one server allows no other"
        );
        assert_eq!(
            store.account_state("server_url").unwrap().as_deref(),
            Some("http://sync.lan:8787")
        );
        store
            .set_server("server_url", Some("http://sync.lan:8787"), false)
            .unwrap();
        assert!(
            !store.insecure_allowed("http://sync.lan:8787").unwrap(),
            "the allowance can be taken back"
        );
        store.set_server("server_url", None, false).unwrap();
        assert_eq!(store.account_state("server_url").unwrap(), None);
    }

    #[test]
    fn an_allowance_can_be_kept_without_choosing_the_server() {
        let store = Store::open_in_memory().unwrap();
        store.set_insecure_allowed("http://10.0.0.2", true).unwrap();
        store.set_insecure_allowed("http://10.0.0.2", true).unwrap();
        assert!(store.insecure_allowed("http://10.0.0.2").unwrap());
        store
            .set_insecure_allowed("http://10.0.0.2", false)
            .unwrap();
        assert!(!store.insecure_allowed("http://10.0.0.2").unwrap());
        assert_eq!(store.account_state("server_url").unwrap(), None);
    }
}

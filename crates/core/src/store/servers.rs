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

    /// Sets the chosen server URL (`None` goes back to the build's default)
    /// and records whether plain transport to `effective` (the URL then in
    /// use, if any) is allowed, in one transaction.
    pub(crate) fn set_server(
        &mut self,
        key: &str,
        chosen: Option<&str>,
        effective: Option<&str>,
        allow_insecure: bool,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        match chosen {
            Some(url) => {
                tx.execute(
                    "INSERT INTO account_state (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                    params![key, url],
                )?;
            }
            None => {
                tx.execute("DELETE FROM account_state WHERE key = ?1", [key])?;
            }
        }
        if let Some(url) = effective {
            if allow_insecure {
                tx.execute(
                    "INSERT INTO insecure_servers (url) VALUES (?1) ON CONFLICT (url) DO NOTHING",
                    [url],
                )?;
            } else {
                tx.execute("DELETE FROM insecure_servers WHERE url = ?1", [url])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowance_belongs_to_one_server() {
        let mut store = Store::open_in_memory().unwrap();
        let lan = Some("http://sync.lan:8787");
        store.set_server("server_url", lan, lan, true).unwrap();
        assert!(store.insecure_allowed("http://sync.lan:8787").unwrap());
        assert!(
            !store.insecure_allowed("http://other.lan:8787").unwrap(),
            "allowing one server allows no other"
        );
        assert_eq!(
            store.account_state("server_url").unwrap().as_deref(),
            Some("http://sync.lan:8787")
        );
        store.set_server("server_url", lan, lan, false).unwrap();
        assert!(
            !store.insecure_allowed("http://sync.lan:8787").unwrap(),
            "the allowance can be taken back"
        );
        store.set_server("server_url", None, None, false).unwrap();
        assert_eq!(store.account_state("server_url").unwrap(), None);
    }

    #[test]
    fn an_allowance_for_the_default_server_keeps_no_chosen_address() {
        let mut store = Store::open_in_memory().unwrap();
        let default = Some("http://10.0.0.2");
        store.set_server("server_url", None, default, true).unwrap();
        assert!(store.insecure_allowed("http://10.0.0.2").unwrap());
        assert_eq!(store.account_state("server_url").unwrap(), None);
        store
            .set_server("server_url", None, default, false)
            .unwrap();
        assert!(!store.insecure_allowed("http://10.0.0.2").unwrap());
    }
}

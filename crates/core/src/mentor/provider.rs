//! The AI provider: base URL and model in the settings table, the API key in
//! the OS keyring ([`crate::secrets`]). The key is only ever read to build the
//! client; no API returns it.

use tutti_llm::{LlmClient, LlmConfig, LlmError, chat_completions_url};

use super::dto::{LlmSettings, LlmSettingsInput};
use crate::secrets::SecretStore;
use crate::{Error, Result, Tutti};

const MAX_MODEL_CHARS: usize = 200;
/// Upper bound on a reply's length, so a small local model cannot ramble on.
const MAX_REPLY_TOKENS: u32 = 1024;

impl Tutti {
    /// The provider's base URL and model (never the key).
    pub fn llm_settings_get(&self) -> Result<LlmSettings> {
        let (base_url, model) = self.store().llm_settings()?;
        Ok(LlmSettings {
            configured: base_url.is_some() && model.is_some(),
            base_url,
            model,
        })
    }

    /// Sets the provider; both fields empty turns it off. A bad URL or model is
    /// refused naming the field, and nothing changes.
    pub fn llm_settings_set(&self, input: LlmSettingsInput) -> Result<LlmSettings> {
        let base_url = input.base_url.trim();
        let model = input.model.trim();
        let provider = match (base_url.is_empty(), model.is_empty()) {
            (true, true) => None,
            (true, false) => return Err(Error::invalid("baseUrl", "must not be empty")),
            (false, true) => return Err(Error::invalid("model", "must not be empty")),
            (false, false) => {
                chat_completions_url(base_url).map_err(|e| match e {
                    LlmError::InvalidConfig { reason, .. } => Error::invalid("baseUrl", reason),
                    other => Error::invalid("baseUrl", other.to_string()),
                })?;
                if model.chars().count() > MAX_MODEL_CHARS {
                    return Err(Error::invalid(
                        "model",
                        format!("must be at most {MAX_MODEL_CHARS} characters"),
                    ));
                }
                if model.chars().any(char::is_control) {
                    return Err(Error::invalid(
                        "model",
                        "must not contain control characters",
                    ));
                }
                Some((base_url, model))
            }
        };
        self.store().set_llm_settings(provider)?;
        tracing::info!(
            configured = provider.is_some(),
            "AI provider settings changed"
        );
        self.llm_settings_get()
    }

    /// Stores the provider's API key in the OS keyring.
    pub fn llm_key_set(&self, key: &str) -> Result<()> {
        self.llm_key_store().set(key)
    }

    /// Removes the API key from the OS keyring; `false` when none was stored.
    pub fn llm_key_clear(&self) -> Result<bool> {
        self.llm_key_store().delete()
    }

    /// Whether an API key is stored (the key itself never leaves the core).
    pub fn llm_key_present(&self) -> Result<bool> {
        self.llm_key_store().is_present()
    }

    fn llm_key_store(&self) -> SecretStore {
        SecretStore::llm_api_key(self.data_dir())
    }

    /// A client for the configured provider, with the key from the keyring.
    /// Local servers need no key, so a keyring that cannot be reached means
    /// "no key" (logged); the provider answers 401 if it wanted one.
    pub(crate) fn llm_client(&self) -> Result<LlmClient> {
        let (Some(base_url), Some(model)) = self.store().llm_settings()? else {
            return Err(Error::LlmNotConfigured);
        };
        let mut config = LlmConfig::new(base_url, model);
        config.max_tokens = Some(MAX_REPLY_TOKENS);
        match self.llm_key_store().get() {
            Ok(Some(key)) => config.api_key = Some(key),
            Ok(None) => {}
            Err(e) => tracing::warn!("continuing without an API key: {e}"),
        }
        Ok(LlmClient::new(config)?)
    }
}

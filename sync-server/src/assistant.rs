//! The community assistant: when the server is configured with an
//! OpenAI-compatible provider (`--assistant-url` and `--assistant-model`, the
//! key from `TUTTI_SYNC_ASSISTANT_API_KEY`), it writes an AI answer to a
//! question when the question's asker asks for one (the route is in
//! `community::ai_answer`).
//!
//! The assistant is an account of its own ([`ASSISTANT_USER_ID`]), ensured at
//! start ([`ensure_account`]), that owns its answer documents like any other
//! author; its password hash verifies no password, so nobody signs in as it.
//! What the model reads and how its reply becomes an answer is
//! `tutti_sync::community::ai`, shared with the app's own AI answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;
use tutti_llm::{ChatMessage, LlmClient, LlmConfig, LlmError};
use tutti_sync::community::Question;
use tutti_sync::community::ai::{answer_body, model_label, system_prompt, user_prompt};

use crate::Error;
use crate::accounts::now;
use crate::config::Config;
use crate::storage::{NewUser, Storage};

/// The id of the assistant's account, the author of its answers.
pub const ASSISTANT_USER_ID: &str = "tutti-assistant";
/// The assistant account's email, in the reserved `.invalid` domain (signup
/// refuses that domain, so no person can take it).
pub const ASSISTANT_EMAIL: &str = "assistant@tutti.invalid";
/// A stored password hash that no password verifies against (it is not a
/// PHC string at all).
const NO_PASSWORD_HASH: &str = "!";
/// Longest assistant name, as for a person's name.
const MAX_NAME_CHARS: usize = 50;

/// What the assistant wrote for one question: an answer body and the model
/// it is labelled with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub body: String,
    pub model: String,
}

/// The configured assistant: its provider client, its account's name, and
/// one lock per question being answered.
#[derive(Debug)]
pub struct Assistant {
    client: LlmClient,
    name: String,
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

fn setting(setting: &'static str, reason: impl Into<String>) -> Error {
    Error::AssistantSetting {
        setting,
        reason: reason.into(),
    }
}

/// A set, non-blank setting.
fn given(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl Assistant {
    /// The assistant the config describes: `None` when neither
    /// `--assistant-url` nor `--assistant-model` is set; an error naming the
    /// flag when only one is, or when a setting cannot work.
    pub fn from_config(config: &Config) -> Result<Option<Self>, Error> {
        let (url, model) = match (
            given(config.assistant_url.as_ref()),
            given(config.assistant_model.as_ref()),
        ) {
            (None, None) => return Ok(None),
            (Some(_), None) => {
                return Err(setting(
                    "--assistant-model",
                    "is required when --assistant-url is set",
                ));
            }
            (None, Some(_)) => {
                return Err(setting(
                    "--assistant-url",
                    "is required when --assistant-model is set",
                ));
            }
            (Some(url), Some(model)) => (url, model),
        };
        tutti_llm::chat_completions_url(url)
            .map_err(|e| setting("--assistant-url", format!("is not usable: {e}")))?;
        let name = config.assistant_name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            return Err(setting(
                "--assistant-name",
                format!("must be 1–{MAX_NAME_CHARS} characters without control characters"),
            ));
        }
        let mut llm = LlmConfig::new(url, model);
        if let Some(key) = &config.assistant_api_key {
            llm = llm.with_api_key(key.expose());
        }
        let client = LlmClient::new(llm).map_err(|e| match e {
            LlmError::InvalidConfig {
                field: "api_key", ..
            } => setting(
                "TUTTI_SYNC_ASSISTANT_API_KEY",
                "contains characters not allowed in an HTTP header",
            ),
            LlmError::InvalidConfig {
                field: "base_url",
                reason,
            } => setting("--assistant-url", format!("is not usable: {reason}")),
            other => setting("--assistant-model", other.to_string()),
        })?;
        Ok(Some(Assistant {
            client,
            name: name.to_owned(),
            locks: Mutex::default(),
        }))
    }

    /// The display name of the assistant's account.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The model the provider is asked for.
    pub fn model(&self) -> &str {
        &self.client.config().model
    }

    /// Asks the provider to answer `question`. Fails with
    /// [`Error::AssistantFailed`] (its message says what went wrong, never
    /// the key) when the provider fails or replies with no text.
    pub async fn answer(&self, question: &Question) -> Result<Reply, Error> {
        let messages = [
            ChatMessage::system(system_prompt(question)),
            ChatMessage::user(user_prompt(question)),
        ];
        let completion = self.client.complete(&messages).await.map_err(|e| {
            tracing::warn!(code = e.code(), error = %e, "the community assistant's provider failed");
            Error::AssistantFailed(failure(&e))
        })?;
        let body = answer_body(&completion.content).ok_or_else(|| {
            Error::AssistantFailed("the AI provider replied with no text".to_owned())
        })?;
        Ok(Reply {
            body,
            model: model_label(completion.model.as_deref(), self.model()),
        })
    }

    /// Waits for the lock of `question_id`, held until the guard is dropped.
    /// It keeps two requests of this instance from both writing an answer;
    /// two instances sharing one PostgreSQL store do not share it, so two
    /// requests for one question reaching two instances at the same moment
    /// can each write one (the app sends one request and retries only after
    /// a lost response).
    pub async fn lock(self: &Arc<Self>, question_id: &str) -> QuestionLock {
        let lock = self
            .locked_map()
            .entry(question_id.to_owned())
            .or_default()
            .clone();
        let guard = lock.clone().lock_owned().await;
        QuestionLock {
            assistant: self.clone(),
            question_id: question_id.to_owned(),
            lock,
            guard: Some(guard),
        }
    }

    fn locked_map(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, Arc<tokio::sync::Mutex<()>>>> {
        // the map stays consistent whatever panicked: each use is one call
        self.locks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One question's assistant lock; dropping it releases the lock and forgets
/// it when nobody else waits for it.
#[derive(Debug)]
pub struct QuestionLock {
    assistant: Arc<Assistant>,
    question_id: String,
    lock: Arc<tokio::sync::Mutex<()>>,
    guard: Option<OwnedMutexGuard<()>>,
}

impl Drop for QuestionLock {
    fn drop(&mut self) {
        self.guard.take();
        let mut map = self.assistant.locked_map();
        // clones are only made under the map's lock: the map's and ours
        // left means nobody holds or waits for it
        if Arc::strong_count(&self.lock) == 2 {
            map.remove(&self.question_id);
        }
    }
}

/// What went wrong with the provider, for the asker (the key never appears
/// in an `LlmError`).
fn failure(e: &LlmError) -> String {
    match e {
        LlmError::Server {
            status: Some(status),
            body,
        }
        | LlmError::Rejected { status, body } => {
            format!("the AI provider answered {status}: {body}")
        }
        LlmError::Unauthorized { status } => {
            format!("the AI provider answered {status}: it refused the server's credentials")
        }
        other => other.to_string(),
    }
}

/// Creates the assistant's account, or brings its name (and the rest of its
/// fixed fields) up to date. Fails with [`Error::EmailTaken`] when another
/// account has [`ASSISTANT_EMAIL`].
pub async fn ensure_account(storage: &dyn Storage, name: &str) -> Result<(), Error> {
    let user = NewUser {
        id: ASSISTANT_USER_ID.to_owned(),
        email: ASSISTANT_EMAIL.to_owned(),
        email_normalized: ASSISTANT_EMAIL.to_owned(),
        password_hash: NO_PASSWORD_HASH.to_owned(),
        name: name.to_owned(),
        gender: "other".to_owned(),
        birthdate: String::new(),
        created_at: now(),
    };
    storage.put_service_user(&user).await?;
    tracing::info!(user_id = ASSISTANT_USER_ID, %name, "community assistant account ready");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: Option<&str>, model: Option<&str>) -> Config {
        let mut c = Config::new("127.0.0.1:0".parse().unwrap(), "/tmp/x".into());
        c.assistant_url = url.map(str::to_owned);
        c.assistant_model = model.map(str::to_owned);
        c
    }

    fn refused(c: &Config) -> String {
        match Assistant::from_config(c) {
            Err(e) => e.to_string(),
            Ok(a) => panic!("accepted: {a:?}"),
        }
    }

    #[test]
    fn url_and_model_go_together() {
        assert!(
            Assistant::from_config(&config(None, None))
                .unwrap()
                .is_none()
        );
        assert!(
            Assistant::from_config(&config(Some(" "), Some("")))
                .unwrap()
                .is_none()
        );
        assert!(
            refused(&config(Some("http://127.0.0.1:1/v1"), None)).contains("--assistant-model")
        );
        assert!(refused(&config(None, Some("qwen"))).contains("--assistant-url"));
        assert!(refused(&config(Some("localhost:8080"), Some("qwen"))).contains("--assistant-url"));
        let a = Assistant::from_config(&config(Some("http://127.0.0.1:1/v1"), Some(" qwen ")))
            .unwrap()
            .expect("configured");
        assert_eq!((a.name(), a.model()), ("Tutti AI", "qwen"));
    }

    #[test]
    fn a_bad_key_or_name_is_named_without_the_key() {
        let mut c = config(Some("http://127.0.0.1:1/v1"), Some("m"));
        c.assistant_api_key = Some(crate::Secret::new("sk-bad\nkey"));
        let text = refused(&c);
        assert!(
            text.contains("TUTTI_SYNC_ASSISTANT_API_KEY") && !text.contains("sk-bad"),
            "{text}"
        );
        let mut c = config(Some("http://127.0.0.1:1/v1"), Some("m"));
        c.assistant_name = "  ".into();
        assert!(refused(&c).contains("--assistant-name"));
    }

    #[tokio::test]
    async fn a_question_lock_is_forgotten_once_released() {
        let a = Arc::new(
            Assistant::from_config(&config(Some("http://127.0.0.1:1/v1"), Some("m")))
                .unwrap()
                .expect("configured"),
        );
        let first = a.lock("q").await;
        let waiter = {
            let a = a.clone();
            tokio::spawn(async move { drop(a.lock("q").await) })
        };
        // the waiter holds a clone of the lock until it got and dropped it
        drop(first);
        waiter.await.unwrap();
        assert!(a.locked_map().is_empty(), "no lock is left behind");
    }
}

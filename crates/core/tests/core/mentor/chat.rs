//! Free conversation against a real local HTTP server speaking the
//! OpenAI-compatible protocol: the reply streams token by token and is stored
//! with the model's name only once complete.

use std::sync::{Arc, Mutex};

use tutti_core::Tutti;
use tutti_core::mentor::dto::{LlmSettingsInput, MentorStage, MessageRole};
use tutti_llm::CancellationToken;

use super::provider::{FakeProvider, MODEL, Reply};
use super::support::{GUITAR, room_in_free_conversation, snapshot};

fn use_provider(app: &Tutti, provider: &FakeProvider) {
    let settings = app
        .llm_settings_set(LlmSettingsInput {
            base_url: provider.base_url.clone(),
            model: "configured-model".into(),
        })
        .unwrap();
    assert!(settings.configured);
}

#[tokio::test]
async fn the_reply_streams_token_by_token_and_is_stored_with_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_in_free_conversation(&app, dir.path()).await;
    let before = app.mentor_room(&room).unwrap();
    let tokens = ["코드 ", "전환은 ", "천천히", " 연습해요."];
    let provider = FakeProvider::start(vec![Reply::Tokens(tokens.to_vec())]).await;
    use_provider(&app, &provider);

    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&seen);
    let turn = app
        .mentor_chat(
            &room,
            "코드 전환이 어려워요",
            &CancellationToken::new(),
            move |t| sink.lock().unwrap().push(t.to_owned()),
        )
        .await
        .unwrap();

    assert_eq!(
        *seen.lock().unwrap(),
        tokens,
        "every token reached the UI, in order"
    );
    assert_eq!(turn.messages.len(), 2);
    assert_eq!(turn.messages[0].role, MessageRole::Learner);
    assert_eq!(turn.messages[0].text, "코드 전환이 어려워요");
    assert_eq!(turn.messages[1].role, MessageRole::Mentor);
    assert_eq!(turn.messages[1].text, tokens.concat().trim());
    assert_eq!(
        turn.messages[1].model.as_deref(),
        Some(MODEL),
        "the reply keeps the model the provider reported"
    );
    assert_eq!(turn.room.stage, MentorStage::FreeConversation);
    let after = app.mentor_room(&room).unwrap();
    assert_eq!(after.messages.len(), before.messages.len() + 2);
    assert_eq!(
        after.messages.last(),
        turn.messages.last(),
        "stored as returned"
    );

    // What the model was told: the hobby, level and current challenge, then
    // the history, then the new message.
    let requests = provider.requests();
    assert_eq!(requests.len(), 1);
    let body = &requests[0].body;
    assert_eq!(body["model"], "configured-model");
    assert_eq!(body["stream"], true);
    let messages = body["messages"].as_array().unwrap();
    let system = messages[0]["content"].as_str().unwrap();
    assert_eq!(messages[0]["role"], "system");
    assert!(
        system.contains("guitar") && system.contains("intermediate"),
        "{system}"
    );
    let current = &before.challenges[0].title.en;
    assert!(
        system.contains(current.as_str()),
        "the current challenge: {system}"
    );
    assert_eq!(
        messages[1]["role"], "assistant",
        "history starts with the greeting"
    );
    assert!(
        messages
            .iter()
            .any(|m| m["role"] == "user" && m["content"] == GUITAR)
    );
    let last = messages.last().unwrap();
    assert_eq!(
        (last["role"].as_str(), last["content"].as_str()),
        (Some("user"), Some("코드 전환이 어려워요"))
    );
    assert_eq!(requests[0].authorization, None, "no key stored, none sent");
}

#[tokio::test]
async fn without_a_provider_free_conversation_is_llm_not_configured_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_in_free_conversation(&app, dir.path()).await;
    let before = snapshot(dir.path());
    let err = app
        .mentor_chat(&room, "안녕하세요", &CancellationToken::new(), |_| {
            panic!("no token without a provider")
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "llm_not_configured");
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn a_cancelled_reply_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_in_free_conversation(&app, dir.path()).await;
    let provider = FakeProvider::start(vec![Reply::TokensThenHang(vec!["첫 ", "토큰"])]).await;
    use_provider(&app, &provider);
    let before = snapshot(dir.path());

    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let err = app
        .mentor_chat(&room, "안녕하세요", &cancel, move |_| stop.cancel())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "llm_cancelled");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a cancelled reply leaves the room as it was"
    );
}

#[tokio::test]
async fn a_failed_reply_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_in_free_conversation(&app, dir.path()).await;
    let provider = FakeProvider::start(vec![Reply::Status(401)]).await;
    use_provider(&app, &provider);
    let before = snapshot(dir.path());
    let err = app
        .mentor_chat(&room, "안녕하세요", &CancellationToken::new(), |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), "llm_unauthorized");
    assert_eq!(snapshot(dir.path()), before);
}

#[tokio::test]
async fn turning_the_provider_off_clears_both_settings() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let provider = FakeProvider::start(vec![Reply::Status(500)]).await;
    use_provider(&app, &provider);
    let s = app.llm_settings_get().unwrap();
    assert_eq!(s.base_url.as_deref(), Some(provider.base_url.as_str()));
    assert_eq!(s.model.as_deref(), Some("configured-model"));
    let off = app
        .llm_settings_set(LlmSettingsInput {
            base_url: " ".into(),
            model: String::new(),
        })
        .unwrap();
    assert!(!off.configured && off.base_url.is_none() && off.model.is_none());
    // Settings survive a restart.
    use_provider(&app, &provider);
    drop(app);
    let app = Tutti::open(dir.path()).unwrap();
    assert!(app.llm_settings_get().unwrap().configured);
}

//! Every bad input gets a clear error naming what is wrong, and changes
//! nothing: the database dump is the same before and after.

use tutti_core::mentor::dto::LlmSettingsInput;
use tutti_core::{Error, Tutti};
use tutti_llm::CancellationToken;

use super::support::{room_at_level_test, room_in_free_conversation, snapshot};

fn check<T: std::fmt::Debug>(what: &str, result: Result<T, Error>, code: &str, names: &str) {
    let err = match result {
        Ok(v) => panic!("{what}: expected {code}, got {v:?}"),
        Err(e) => e,
    };
    assert_eq!(err.code(), code, "{what}: {err}");
    assert!(
        err.to_string().contains(names),
        "{what}: the message names `{names}`: {err}"
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let fresh = app.mentor_room_create().unwrap().room.id;
    let testing = room_at_level_test(&app);
    app.level_test_get(&testing).unwrap();
    let free = room_in_free_conversation(&app, dir.path()).await;
    let before = snapshot(dir.path());
    let no_room = "00000000-0000-0000-0000-000000000000";
    let long = "가".repeat(4001);

    check(
        "send to an unknown room",
        app.mentor_send(no_room, "기타"),
        "not_found",
        "roomId",
    );
    check(
        "empty message",
        app.mentor_send(&fresh, ""),
        "invalid_input",
        "text",
    );
    check(
        "whitespace message",
        app.mentor_send(&fresh, " \n\t "),
        "invalid_input",
        "text",
    );
    check(
        "4001-character message",
        app.mentor_send(&fresh, &long),
        "invalid_input",
        "4000",
    );
    check(
        "scripted send in free conversation",
        app.mentor_send(&free, "안녕하세요"),
        "wrong_stage",
        "mentor_chat",
    );
    check(
        "open an unknown room",
        app.mentor_room(no_room),
        "not_found",
        "roomId",
    );

    check(
        "test of an unknown room",
        app.level_test_get(no_room),
        "not_found",
        "roomId",
    );
    check(
        "test before the hobby",
        app.level_test_get(&fresh),
        "wrong_stage",
        "awaiting_hobby",
    );
    check(
        "two answers",
        app.level_test_submit(&testing, &[0, 1]),
        "invalid_input",
        "answers",
    );
    check(
        "six answers",
        app.level_test_submit(&testing, &[0; 6]),
        "invalid_input",
        "answers",
    );
    check(
        "answer index out of range",
        app.level_test_submit(&testing, &[0, 0, 0, 0, 4]),
        "invalid_input",
        "answers",
    );
    check(
        "submit before the hobby",
        app.level_test_submit(&fresh, &[0; 5]),
        "wrong_stage",
        "awaiting_hobby",
    );
    check(
        "submit to an unknown room",
        app.level_test_submit(no_room, &[0; 5]),
        "not_found",
        "roomId",
    );

    check(
        "zero challenges",
        app.challenges_generate(&testing, 0).await,
        "invalid_input",
        "count",
    );
    check(
        "eleven challenges",
        app.challenges_generate(&testing, 11).await,
        "invalid_input",
        "count",
    );
    check(
        "challenges before the level",
        app.challenges_generate(&testing, 3).await,
        "wrong_stage",
        "level_test",
    );
    check(
        "challenges twice",
        app.challenges_generate(&free, 3).await,
        "wrong_stage",
        "free_conversation",
    );
    check(
        "challenges of an unknown room",
        app.challenges_generate(no_room, 3).await,
        "not_found",
        "roomId",
    );
    check(
        "challenge out of range",
        app.challenge_get(&free, 3),
        "invalid_input",
        "position",
    );
    check(
        "challenge of a room without any",
        app.challenge_get(&fresh, 0),
        "invalid_input",
        "position",
    );
    check(
        "challenge of an unknown room",
        app.challenge_get(no_room, 0),
        "not_found",
        "roomId",
    );
    check(
        "step out of range",
        app.challenge_step_set(&free, 0, 99, true),
        "invalid_input",
        "step",
    );
    check(
        "step of a missing challenge",
        app.challenge_step_set(&free, 7, 0, true),
        "invalid_input",
        "position",
    );
    check(
        "done of a missing challenge",
        app.challenge_done_set(&free, 7, true),
        "invalid_input",
        "position",
    );
    check(
        "done in an unknown room",
        app.challenge_done_set(no_room, 0, true),
        "not_found",
        "roomId",
    );

    let cancel = CancellationToken::new();
    check(
        "empty chat message",
        app.mentor_chat(&free, "  ", &cancel, |_| {}).await,
        "invalid_input",
        "text",
    );
    check(
        "chat in an unknown room",
        app.mentor_chat(no_room, "안녕", &cancel, |_| {}).await,
        "not_found",
        "roomId",
    );
    check(
        "chat before the challenges",
        app.mentor_chat(&testing, "안녕", &cancel, |_| {}).await,
        "wrong_stage",
        "level_test",
    );

    let settings = |base_url: &str, model: &str| LlmSettingsInput {
        base_url: base_url.into(),
        model: model.into(),
    };
    check(
        "base URL without a scheme",
        app.llm_settings_set(settings("localhost:11434", "llama3.2")),
        "invalid_input",
        "baseUrl",
    );
    check(
        "base URL with credentials",
        app.llm_settings_set(settings("http://me:pw@h/v1", "llama3.2")),
        "invalid_input",
        "baseUrl",
    );
    check(
        "model missing",
        app.llm_settings_set(settings("http://127.0.0.1:11434", "  ")),
        "invalid_input",
        "model",
    );
    check(
        "base URL missing",
        app.llm_settings_set(settings("", "llama3.2")),
        "invalid_input",
        "baseUrl",
    );

    assert_eq!(
        snapshot(dir.path()),
        before,
        "no rejected action changed a row"
    );
}

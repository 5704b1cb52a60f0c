//! Challenges for a hobby without curated plans: written by the LLM (a real
//! local HTTP server here), validated, rejected and asked for again when
//! malformed; without a provider a clear `llm_not_configured`.

use serde_json::{Value, json};
use tutti_core::Tutti;
use tutti_core::mentor::GENERATION_ATTEMPTS;
use tutti_core::mentor::dto::{ChallengeSource, LlmSettingsInput, MentorStage};

use super::provider::{FakeProvider, Reply};
use super::support::snapshot;

fn magic_room(app: &Tutti) -> String {
    let room = app.mentor_room_create().unwrap().room.id;
    let turn = app.mentor_send(&room, "마술을 배우고 싶어요").unwrap();
    assert_eq!(turn.room.stage, MentorStage::AwaitingChallengeCount);
    room
}

fn text(ko: &str, en: &str) -> Value {
    json!({"ko": ko, "en": en})
}

fn plan(difficulty: u8, title: Value) -> Value {
    json!({
        "difficulty": difficulty,
        "title": title,
        "steps": [text("카드를 섞어요", "Shuffle the cards"), text("한 장을 숨겨요", "Palm one card")],
        "materials": [],
        "tools": [text("카드 한 벌", "A deck of cards")],
        "method": text("거울 앞에서 열 번 연습해요", "Practise ten times in front of a mirror"),
        "minutes": 20
    })
}

fn use_provider(app: &Tutti, provider: &FakeProvider) {
    app.llm_settings_set(LlmSettingsInput {
        base_url: provider.base_url.clone(),
        model: "planner".into(),
    })
    .unwrap();
}

#[tokio::test]
async fn without_a_provider_unlisted_hobbies_get_llm_not_configured() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = magic_room(&app);
    let before = snapshot(dir.path());
    let err = app.challenges_generate(&room, 3).await.unwrap_err();
    assert_eq!(err.code(), "llm_not_configured");
    assert_eq!(snapshot(dir.path()), before, "nothing changed");
}

#[tokio::test]
async fn malformed_plans_are_rejected_and_asked_for_again() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = magic_room(&app);
    let valid = json!({"challenges": [
        plan(4, text("카드 포스", "Card force")),
        plan(1, text("동전 사라지게 하기", "Vanish a coin")),
        plan(2, text("카드 맞히기", "Find the card")),
    ]});
    let blank_title = json!({"challenges": [plan(1, text(" ", "Vanish a coin"))]});
    let provider = FakeProvider::start(vec![
        Reply::Content("Sure! Here are some challenges.".into()),
        Reply::Content(blank_title.to_string()),
        Reply::Content(valid.to_string()),
    ])
    .await;
    use_provider(&app, &provider);

    let given = app.challenges_generate(&room, 3).await.unwrap();
    assert_eq!(
        provider.requests().len(),
        3,
        "two rejected replies, then a valid one"
    );
    let titles: Vec<&str> = given
        .challenges
        .iter()
        .map(|c| c.title.en.as_str())
        .collect();
    assert_eq!(
        titles,
        ["Vanish a coin", "Find the card", "Card force"],
        "ordered by difficulty"
    );
    assert_eq!(given.turn.room.stage, MentorStage::FreeConversation);
    let detail = app.challenge_get(&room, 0).unwrap();
    assert_eq!(detail.source, ChallengeSource::Generated);
    assert_eq!(detail.steps.len(), 2);

    let body = &provider.requests()[0].body;
    assert_eq!(body["response_format"]["type"], "json_schema");
    let prompt = body["messages"][1]["content"].as_str().unwrap();
    assert!(
        prompt.contains("마술") && prompt.contains("exactly 3"),
        "{prompt}"
    );
}

#[tokio::test]
async fn plans_malformed_every_time_fail_clearly_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = magic_room(&app);
    let provider = FakeProvider::start(vec![Reply::Content("{\"challenges\": []}".into())]).await;
    use_provider(&app, &provider);
    let before = snapshot(dir.path());
    let err = app.challenges_generate(&room, 2).await.unwrap_err();
    assert_eq!(err.code(), "llm_malformed");
    assert!(err.to_string().contains("rejected 3 times"), "{err}");
    assert_eq!(provider.requests().len(), GENERATION_ATTEMPTS);
    assert_eq!(snapshot(dir.path()), before);
}

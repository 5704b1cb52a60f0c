//! A person who never saw Tutti: a new installation opens on the first-run
//! screen in Korean; they say what they want to learn (understood offline),
//! skip the account and the AI provider, land on the Korean home screen and
//! take the level test in the mentor room the first run prepared, with no
//! account and no network. Restarting opens Home directly.
//!
//! CI also runs this test against the binary unpacked from the `.deb`
//! (`TUTTI_E2E_APP`): it is the packaged app's smoke test.

use fantoccini::Locator;
use tutti_e2e::AppSession;

fn tid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

async fn shot(app: &AppSession, name: &str) {
    let path = app.screenshot(&format!("first-run-{name}")).await;
    assert!(
        path.metadata().unwrap().len() > 1000,
        "{} is a real image",
        path.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver and an X display; scripts/test.sh runs it under Xvfb"]
async fn a_new_learner_goes_from_the_first_run_to_a_level_test_offline() {
    let data = tempfile::tempdir().unwrap();
    let app = AppSession::launch(data.path(), &[]).await.unwrap();

    // Step 1: language, Korean first.
    assert_eq!(
        app.wait_for_heading("어떤 언어로 볼까요?").await,
        "어떤 언어로 볼까요?",
        "a new installation opens on the first-run screen, in Korean"
    );
    let lang = app
        .client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    assert_eq!(lang, "ko");
    assert!(
        app.find(&tid("first-run-lang-ko"))
            .await
            .is_selected()
            .await
            .unwrap(),
        "Korean is chosen"
    );
    shot(&app, "1-language").await;
    app.click(&tid("first-run-next")).await;

    // Step 2: what to learn, understood on this computer.
    assert_eq!(
        app.wait_for_heading("무엇을 배우고 싶으세요?").await,
        "무엇을 배우고 싶으세요?"
    );
    app.fill("first-run-hobby", "기타를 배우고 싶어요").await;
    app.click(&tid("first-run-hobby-send")).await;
    let ready = app
        .text_with(&tid("first-run-hobby-room"), "기타 AI 멘토")
        .await;
    assert!(ready.contains("기타 AI 멘토"), "{ready}");
    shot(&app, "2-hobby").await;
    app.click(&tid("first-run-next")).await;

    // Steps 3 and 4: account and AI provider, both skipped.
    assert_eq!(app.wait_for_heading("계정 (선택)").await, "계정 (선택)");
    app.find(&tid("signin")).await;
    shot(&app, "3-account").await;
    app.click(&tid("first-run-next")).await;
    assert_eq!(
        app.wait_for_heading("AI 제공자 (선택)").await,
        "AI 제공자 (선택)"
    );
    shot(&app, "4-ai").await;
    app.click(&tid("first-run-next")).await;

    // Home, in Korean.
    assert_eq!(
        app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
            .await,
        "안녕하세요! 무엇을 배워 볼까요?"
    );
    shot(&app, "5-home").await;

    // The level test in the room the first run prepared, offline.
    app.click("nav [data-nav=\"mentor\"]").await;
    assert_eq!(app.wait_for_heading("AI 멘토").await, "AI 멘토");
    let room = app.find(&tid("mentor-room")).await;
    assert!(room.text().await.unwrap().contains("기타 AI 멘토"));
    room.click().await.unwrap();
    app.click(&tid("start-level-test")).await;
    app.find(&tid("level-question-4")).await;
    for i in 0..5 {
        app.click(&tid(&format!("q{i}-opt0"))).await;
    }
    app.click(&tid("level-test-submit")).await;
    let level = app
        .find(&tid("level-test-level"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        ["초급", "중급", "고급"].contains(&level.as_str()),
        "a level name: {level}"
    );
    let alerts = app
        .client
        .find_all(Locator::Css("main [role=\"alert\"]"))
        .await
        .unwrap();
    assert!(alerts.is_empty(), "the level test ran without an error");
    shot(&app, "6-level-test").await;
    app.close().await;

    // A restart opens Home: the first run is done.
    let app = AppSession::launch(data.path(), &[]).await.unwrap();
    assert_eq!(
        app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
            .await,
        "안녕하세요! 무엇을 배워 볼까요?",
        "the first-run screen is shown once"
    );
    assert!(
        app.client
            .find(Locator::Css(&tid("first-run")))
            .await
            .is_err()
    );
    app.close().await;
}

//! The AI mentor with no AI provider configured: the learner starts a room,
//! names a hobby, takes the level test, gets challenges and opens one, and
//! free conversation says plainly that it needs a provider. A screenshot of
//! each step goes to `target/e2e/mentor-*.png`.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::elements::Element;
use tutti_e2e::AppSession;

/// `[data-testid=testid]`.
fn tid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

async fn find(app: &AppSession, testid: &str) -> Element {
    app.find(&tid(testid)).await
}

async fn click(app: &AppSession, testid: &str) {
    app.click(&tid(testid)).await;
}

/// Waits until the element's text contains `want`; returns what it last read.
async fn wait_for_text(app: &AppSession, testid: &str, want: &str) -> String {
    app.text_with(&tid(testid), want).await
}

async fn shot(app: &AppSession, name: &str) {
    let path = app.screenshot(&format!("mentor-{name}")).await;
    assert!(
        path.metadata().unwrap().len() > 1000,
        "{} is a real image",
        path.display()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver and an X display; scripts/test.sh runs it under Xvfb"]
async fn a_learner_goes_from_hobby_to_a_challenge_without_an_ai_provider() {
    let data = tempfile::tempdir().unwrap();
    let app = AppSession::start(data.path()).await.unwrap();
    app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
        .await;

    // Open the AI mentor and start a conversation: the mentor greets.
    app.client
        .find(Locator::Css("nav [data-nav=\"mentor\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(app.wait_for_heading("AI 멘토").await, "AI 멘토");
    click(&app, "mentor-new").await;
    let greeting = wait_for_text(&app, "mentor-messages", "무엇을 배우고 싶으신가요?").await;
    assert!(greeting.contains("무엇을 배우고 싶으신가요?"), "{greeting}");
    shot(&app, "1-greeting").await;

    // The learner names the hobby; the room is retitled.
    let input = find(&app, "mentor-input").await;
    input.send_keys("기타를 배우고 싶어요").await.unwrap();
    click(&app, "mentor-send").await;
    assert_eq!(
        wait_for_text(&app, "room-title", "기타 AI 멘토").await,
        "기타 AI 멘토",
        "the room is titled after the hobby"
    );
    let list = wait_for_text(&app, "mentor-room-list", "기타 AI 멘토").await;
    assert!(
        list.contains("기타 AI 멘토"),
        "the room list shows the new title: {list}"
    );
    shot(&app, "2-retitled").await;

    // The level test: five questions, answer each, submit, see the level.
    click(&app, "start-level-test").await;
    find(&app, "level-question-4").await;
    for i in 0..5 {
        click(&app, &format!("q{i}-opt0")).await;
    }
    shot(&app, "3-level-test").await;
    click(&app, "level-test-submit").await;
    let level = find(&app, "level-test-level").await.text().await.unwrap();
    assert!(
        ["초급", "중급", "고급"].contains(&level.as_str()),
        "a level name: {level}"
    );
    let alerts = app
        .client
        .find_all(Locator::Css("main [role=\"alert\"]"))
        .await
        .unwrap();
    assert!(alerts.is_empty(), "the result screen shows no error");
    shot(&app, "4-level-result").await;

    // Back in the conversation: the mentor asks how many challenges.
    click(&app, "level-test-back").await;
    find(&app, "level-result-card").await;
    click(&app, "get-challenges").await;
    let items = {
        find(&app, "challenge-list").await;
        app.client
            .find_all(Locator::Css("[data-testid=\"challenge-item\"]"))
            .await
            .unwrap()
    };
    assert!(!items.is_empty(), "challenges were given");
    shot(&app, "5-challenges").await;

    // One challenge in full; tick its first step.
    items[0].click().await.unwrap();
    let title = find(&app, "challenge-title").await.text().await.unwrap();
    assert!(!title.trim().is_empty(), "the challenge has a title");
    let steps = app
        .client
        .find_all(Locator::Css("[data-testid^=\"challenge-step-\"]"))
        .await
        .unwrap()
        .len();
    assert!(steps >= 2, "a challenge has at least two steps");
    let progress = format!("1/{steps} 단계 완료");
    click(&app, "challenge-step-0").await;
    let mut ticked = false;
    for _ in 0..50 {
        if find(&app, "challenge-step-0")
            .await
            .is_selected()
            .await
            .unwrap()
        {
            ticked = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ticked, "the first step is ticked");
    shot(&app, "6-challenge").await;

    // Free conversation needs a provider, and says so.
    click(&app, "challenge-back").await;
    let notice = wait_for_text(&app, "mentor-needs-provider", "AI 제공자").await;
    assert!(
        notice.contains("자유 대화에는 AI 제공자 설정이 필요해요"),
        "{notice}"
    );
    shot(&app, "7-needs-provider").await;
    app.close().await;

    // After a restart the room is where the learner left it.
    let app = AppSession::start(data.path()).await.unwrap();
    app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
        .await;
    app.client
        .find(Locator::Css("nav [data-nav=\"mentor\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let room = find(&app, "mentor-room").await;
    assert!(room.text().await.unwrap().contains("기타 AI 멘토"));
    room.click().await.unwrap();
    let list = wait_for_text(&app, "challenge-list", &progress).await;
    assert!(
        list.contains(&progress),
        "the ticked step is still there: {list}"
    );
    shot(&app, "8-after-restart").await;
    app.close().await;
}

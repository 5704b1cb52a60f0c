//! Courses in the real window, offline (no server configured): the bundled
//! catalogue by hobby and level, a course page with what to take first,
//! starting it, and recommendations that leave it out afterwards.
//! Screenshots go to `target/e2e/courses-*.png`.

use std::time::Duration;

use tutti_e2e::AppSession;

/// The course ids of the cards under `testid`.
async fn cards(app: &AppSession, testid: &str) -> Vec<String> {
    let value = app
        .client
        .execute(
            "return Array.from(document.querySelectorAll(`[data-testid=\"${arguments[0]}\"] [data-course]`))
                 .map((c) => c.dataset.course);",
            vec![testid.into()],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

async fn shot(app: &AppSession, name: &str) {
    let path = app.screenshot(&format!("courses-{name}")).await;
    assert!(
        path.metadata().unwrap().len() > 1000,
        "{} is a real image",
        path.display()
    );
}

/// Picks `value` in the `<select data-testid=...>`.
async fn select(app: &AppSession, testid: &str, value: &str) {
    app.find(&format!("[data-testid=\"{testid}\"]"))
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{value} is chosen in {testid}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver and an X display; scripts/test.sh runs it under Xvfb"]
async fn the_bundled_catalogue_is_browsed_a_course_started_and_recommendations_follow() {
    let data = tempfile::tempdir().unwrap();
    let app = AppSession::start(data.path()).await.unwrap();
    app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
        .await;
    app.find("nav [data-nav=\"courses\"]")
        .await
        .click()
        .await
        .unwrap();
    assert_eq!(app.wait_for_heading("강의").await, "강의");
    app.find("[data-testid=\"courses-bundled\"]").await;

    select(&app, "courses-hobby", "guitar").await;
    select(&app, "courses-level", "intermediate").await;
    let mut listed = Vec::new();
    for _ in 0..100 {
        listed = cards(&app, "course-list").await;
        if !listed.is_empty() && listed.iter().all(|id| id.starts_with("guitar-i-")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !listed.is_empty() && listed.iter().all(|id| id.starts_with("guitar-i-")),
        "{listed:?}"
    );
    let recommended = cards(&app, "course-recommendations").await;
    assert!(!recommended.is_empty());
    let reason = app
        .find("[data-testid=\"course-recommendations\"] [data-testid=\"course-reason\"]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(reason, "이 레벨에서 처음 듣기 좋은 강의");
    shot(&app, "1-list").await;

    let first = recommended[0].clone();
    app.find(&format!(
        "[data-testid=\"course-recommendations\"] [data-course=\"{first}\"] button"
    ))
    .await
    .click()
    .await
    .unwrap();
    app.find("[data-testid=\"course-detail\"]").await;
    app.find("[data-testid=\"course-start\"]")
        .await
        .click()
        .await
        .unwrap();
    let started = app
        .find("[data-testid=\"course-started\"]")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(started, "수강 중");
    shot(&app, "2-started").await;

    app.find("[data-testid=\"course-back\"]")
        .await
        .click()
        .await
        .unwrap();
    app.find("[data-testid=\"course-list\"]").await;
    let mut after = cards(&app, "course-recommendations").await;
    for _ in 0..100 {
        if !after.contains(&first) && !after.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        after = cards(&app, "course-recommendations").await;
    }
    assert!(
        !after.contains(&first),
        "a started course is not recommended again: {after:?}"
    );
    let counts = app
        .find("[data-testid=\"courses-sharing-counts\"]")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        counts.contains("기기에만 있는 기록 2개"),
        "view + click stay on the device: {counts}"
    );
    shot(&app, "3-after").await;
    app.close().await;
}

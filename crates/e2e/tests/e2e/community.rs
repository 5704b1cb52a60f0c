//! Community Q&A through the window against the real sync server
//! (in-process on 127.0.0.1:0), with tokens in a private keyring: sign up,
//! ask a question with a preview, and find it in the feed by a Korean word
//! inside its body once the sync has delivered it to the server's index.

use std::time::Duration;

use fantoccini::Locator;
use tutti_e2e::AppSession;
use tutti_e2e::keyring::PrivateKeyring;
use tutti_sync_server::{Config, serve};

const TITLE: &str = "바레코드 소리가 안 나요";
const BODY: &str = "오늘 바레코드가 어려워요. 검지로 여섯 줄을 누르면 손가락이 아파요.";

async fn click(app: &AppSession, css: &str) {
    app.client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} appears: {e}"))
        .click()
        .await
        .unwrap();
}

/// Sets an input's value the way typing does (Svelte listens to `input`).
async fn fill(app: &AppSession, test_id: &str, value: &str) {
    let css = format!("[data-testid=\"{test_id}\"]");
    app.client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("{css} appears: {e}"));
    app.client
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
             el.dispatchEvent(new Event('input', { bubbles: true })); \
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![css.into(), value.into()],
        )
        .await
        .unwrap();
}

/// The text of `css` once it contains `want` (or what it last read).
async fn text_with(app: &AppSession, css: &str, want: &str) -> String {
    let mut last = String::new();
    for _ in 0..150 {
        if let Ok(el) = app.client.find(Locator::Css(css)).await
            && let Ok(t) = el.text().await
        {
            if t.contains(want) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver, dbus-daemon, gnome-keyring-daemon and an X display; scripts/test.sh runs it under Xvfb"]
async fn a_question_is_asked_with_a_preview_and_found_by_a_korean_word_in_its_body() {
    let server_dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        Config::new(addr, server_dir.path().join("data")),
        listener,
        async {
            let _ = stopped.await;
        },
    ));
    let keyring = PrivateKeyring::start().unwrap();
    let data = tempfile::tempdir().unwrap();
    let app = AppSession::start_with_env(data.path(), &keyring.env())
        .await
        .unwrap();
    app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
        .await;
    click(&app, "nav [data-nav=\"community\"]").await;
    text_with(&app, "[data-testid=\"signin\"]", "로그인이 필요해요").await;

    click(&app, "[data-testid=\"account-mode\"]").await;
    fill(&app, "server-url", &format!("http://{addr}")).await;
    fill(&app, "signup-name", "박두리").await;
    fill(&app, "email", "duri@example.com").await;
    fill(&app, "password", "correct horse battery").await;
    fill(&app, "signup-gender", "male").await;
    fill(&app, "signup-birthdate", "2001-09-02").await;
    click(&app, "[data-testid=\"account-submit\"]").await;
    let bar = text_with(&app, "[data-testid=\"account-bar\"]", "duri@example.com").await;
    assert!(bar.contains("duri@example.com"), "signed in: {bar:?}");

    // Ask, seeing the body as it will read.
    click(&app, "[data-testid=\"community-tab-ask\"]").await;
    fill(&app, "ask-title", TITLE).await;
    fill(&app, "ask-hobby", "guitar").await;
    fill(&app, "ask-body", BODY).await;
    let preview = text_with(&app, "[data-testid=\"ask-preview\"]", "바레코드가").await;
    assert_eq!(preview, BODY);
    app.screenshot("community-1-compose").await;
    click(&app, "[data-testid=\"ask-submit\"]").await;
    let title = text_with(&app, "[data-testid=\"thread-title\"]", TITLE).await;
    assert_eq!(title, TITLE);

    // The feed finds it by a word inside the body once the server indexed it.
    click(&app, "[data-testid=\"thread-back\"]").await;
    click(&app, "[data-testid=\"community-tab-feed\"]").await;
    fill(&app, "community-search", "어려워요").await;
    let mut found = String::new();
    for _ in 0..60 {
        click(&app, "[data-testid=\"community-search-submit\"]").await;
        found = text_with(&app, "[data-testid=\"question-list\"]", TITLE).await;
        if found.contains(TITLE) {
            break;
        }
    }
    assert!(found.contains(TITLE), "the question is found: {found:?}");
    app.screenshot("community-2-found").await;
    app.close().await;

    let _ = stop_server.send(());
    server.await.unwrap().unwrap();
}

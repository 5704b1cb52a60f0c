//! Signing up and in through the window against the real sync server
//! (in-process on 127.0.0.1:0, SQLite), with tokens in a private keyring.

use std::time::Duration;

use fantoccini::Locator;
use tutti_e2e::AppSession;
use tutti_e2e::keyring::PrivateKeyring;
use tutti_sync_server::{Config, serve};

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

async fn sync_state(app: &AppSession, want: &str) -> String {
    let mut last = String::new();
    for _ in 0..150 {
        if let Ok(el) = app
            .client
            .find(Locator::Css("[data-testid=\"sync-badge\"]"))
            .await
            && let Ok(Some(s)) = el.attr("data-state").await
        {
            if s == want {
                return s;
            }
            last = s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver, dbus-daemon, gnome-keyring-daemon and an X display; scripts/test.sh runs it under Xvfb"]
async fn sign_up_and_in_against_the_real_sync_server() {
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
    click(&app, "nav [data-nav=\"mentors\"]").await;
    assert!(
        text_with(&app, "[data-testid=\"signin\"]", "로그인이 필요해요")
            .await
            .contains("로그인이 필요해요"),
        "a signed-out user is asked to sign in"
    );

    // Sign up (which signs in).
    click(&app, "[data-testid=\"account-mode\"]").await;
    fill(&app, "server-url", &format!("http://{addr}")).await;
    fill(&app, "signup-name", "김하나").await;
    fill(&app, "email", "hana@example.com").await;
    fill(&app, "password", "correct horse battery").await;
    fill(&app, "signup-gender", "female").await;
    fill(&app, "signup-birthdate", "1998-05-17").await;
    click(&app, "[data-testid=\"account-submit\"]").await;
    let bar = text_with(&app, "[data-testid=\"account-bar\"]", "hana@example.com").await;
    assert!(bar.contains("hana@example.com"), "signed in: {bar:?}");
    assert_eq!(
        sync_state(&app, "synced").await,
        "synced",
        "the chat sync reaches the server"
    );
    app.screenshot("account-1-signed-up").await;

    // Sign out, then sign in with the form (the server address is remembered).
    click(&app, "[data-testid=\"logout\"]").await;
    text_with(&app, "[data-testid=\"signin\"]", "로그인이 필요해요").await;
    fill(&app, "email", "hana@example.com").await;
    fill(&app, "password", "wrong password!").await;
    click(&app, "[data-testid=\"account-submit\"]").await;
    let alert = text_with(
        &app,
        "[data-testid=\"signin\"] [role=\"alert\"]",
        "비밀번호가 맞지 않아요",
    )
    .await;
    assert!(
        alert.contains("비밀번호가 맞지 않아요"),
        "a wrong password is reported: {alert:?}"
    );
    fill(&app, "password", "correct horse battery").await;
    click(&app, "[data-testid=\"account-submit\"]").await;
    let bar = text_with(&app, "[data-testid=\"account-bar\"]", "hana@example.com").await;
    assert!(bar.contains("hana@example.com"), "signed in again: {bar:?}");
    app.close().await;

    // Offline first: with the server gone, a restarted app is still signed in.
    let _ = stop_server.send(());
    server.await.unwrap().unwrap();
    let app = AppSession::start_with_env(data.path(), &keyring.env())
        .await
        .unwrap();
    app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
        .await;
    click(&app, "nav [data-nav=\"chats\"]").await;
    let bar = text_with(&app, "[data-testid=\"account-bar\"]", "hana@example.com").await;
    assert!(
        bar.contains("hana@example.com"),
        "still signed in offline: {bar:?}"
    );
    let state = sync_state(&app, "offline").await;
    assert_eq!(
        state, "offline",
        "the badge shows the server is unreachable"
    );
    app.screenshot("account-2-offline-after-restart").await;
    app.close().await;
}

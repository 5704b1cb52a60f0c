//! Signing up and in through the window against the real sync server
//! (in-process on 127.0.0.1:0, SQLite), with tokens in a private keyring.

use std::time::Duration;

use fantoccini::Locator;
use tutti_e2e::AppSession;
use tutti_e2e::keyring::PrivateKeyring;
use tutti_sync_server::{Config, serve};

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
    app.click("nav [data-nav=\"mentors\"]").await;
    assert!(
        app.text_with("[data-testid=\"signin\"]", "로그인이 필요해요")
            .await
            .contains("로그인이 필요해요"),
        "a signed-out user is asked to sign in"
    );

    // Sign up (which signs in).
    app.click("[data-testid=\"account-mode\"]").await;
    app.fill("server-url", &format!("http://{addr}")).await;
    app.fill("signup-name", "김하나").await;
    app.fill("email", "hana@example.com").await;
    app.fill("password", "correct horse battery").await;
    app.fill("signup-gender", "female").await;
    app.fill("signup-birthdate", "1998-05-17").await;
    app.click("[data-testid=\"account-submit\"]").await;
    let bar = app
        .text_with("[data-testid=\"account-bar\"]", "hana@example.com")
        .await;
    assert!(bar.contains("hana@example.com"), "signed in: {bar:?}");
    assert_eq!(
        sync_state(&app, "synced").await,
        "synced",
        "the chat sync reaches the server"
    );
    app.screenshot("account-1-signed-up").await;

    // Sign out, then sign in with the form (the server address is remembered).
    app.click("[data-testid=\"logout\"]").await;
    app.text_with("[data-testid=\"signin\"]", "로그인이 필요해요")
        .await;
    app.fill("email", "hana@example.com").await;
    app.fill("password", "wrong password!").await;
    app.click("[data-testid=\"account-submit\"]").await;
    let alert = app
        .text_with(
            "[data-testid=\"signin\"] [role=\"alert\"]",
            "비밀번호가 맞지 않아요",
        )
        .await;
    assert!(
        alert.contains("비밀번호가 맞지 않아요"),
        "a wrong password is reported: {alert:?}"
    );
    app.fill("password", "correct horse battery").await;
    app.click("[data-testid=\"account-submit\"]").await;
    let bar = app
        .text_with("[data-testid=\"account-bar\"]", "hana@example.com")
        .await;
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
    app.click("nav [data-nav=\"chats\"]").await;
    let bar = app
        .text_with("[data-testid=\"account-bar\"]", "hana@example.com")
        .await;
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

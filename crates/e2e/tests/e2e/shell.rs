use fantoccini::Locator;
use tutti_e2e::AppSession;

const NAV: &[&str] = &[
    "home",
    "mentor",
    "practice",
    "mentors",
    "chats",
    "community",
    "courses",
    "settings",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app, tauri-driver, WebKitWebDriver and an X display; scripts/test.sh runs it under Xvfb"]
async fn korean_home_then_english_persists_across_restart() {
    let data = tempfile::tempdir().unwrap();

    let app = AppSession::start(data.path()).await.unwrap();
    assert_eq!(
        app.wait_for_heading("안녕하세요! 무엇을 배워 볼까요?")
            .await,
        "안녕하세요! 무엇을 배워 볼까요?",
        "a fresh install opens on the Korean home screen"
    );
    let lang = app
        .client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    assert_eq!(lang, "ko");
    // Hangul must render with a real CJK font, not as boxes: the UI's Hangul
    // face (@font-face with local() sources in app.css) must resolve to an
    // installed font; `load` rejects or returns no faces when none is found.
    let has_cjk_font = app
        .client
        .execute(
            "return document.fonts.load('16px TuttiHangul', '안녕').then(fs => fs.length > 0 && fs.every(f => f.status === 'loaded'), () => false)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        has_cjk_font, true,
        "the installed Noto Sans CJK KR renders Hangul"
    );

    // Visit every screen in Korean and keep a picture of each.
    for id in NAV {
        app.client
            .find(Locator::Css(&format!("nav [data-nav=\"{id}\"]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let screen = app
            .client
            .find(Locator::Css(&format!("main[data-screen=\"{id}\"] h1")))
            .await;
        assert!(screen.is_ok(), "clicking {id} shows its screen");
        let shot = app.screenshot(&format!("ko-{id}")).await;
        assert!(
            shot.metadata().unwrap().len() > 1000,
            "{} is a real image",
            shot.display()
        );
    }

    // Switch to English on the settings screen.
    app.client
        .find(Locator::Css("[data-testid=\"lang-en\"]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(
        app.wait_for_heading("Profile & settings").await,
        "Profile & settings",
        "the settings screen is now in English"
    );
    app.screenshot("en-settings").await;
    app.close().await;

    // Restart: the language comes back from the settings table.
    let app = AppSession::start(data.path()).await.unwrap();
    assert_eq!(
        app.wait_for_heading("Hello! What would you like to learn?")
            .await,
        "Hello! What would you like to learn?",
        "English persisted across a restart"
    );
    app.screenshot("en-home-after-restart").await;
    app.close().await;
}

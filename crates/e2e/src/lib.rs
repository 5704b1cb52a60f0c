//! Drives the built Tutti desktop app in a real window through WebDriver:
//! `tauri-driver` launches Debian's `WebKitWebDriver`, which launches the app.
//! The tests live in `tests/e2e/`; this library holds the harness.
//!
//! Requirements (installed by `scripts/setup.sh`): the app built at
//! `target/debug/tutti-desktop`, or the binary `$TUTTI_E2E_APP` names (CI
//! points it at the one unpacked from the `.deb`), `tauri-driver` on PATH
//! or in `~/.cargo/bin` (or `$TUTTI_TAURI_DRIVER`), `WebKitWebDriver`, and an X
//! display (run under `xvfb-run` and `dbus-run-session`).

pub mod keyring;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// Errors of the harness, each naming what is missing or what failed.
#[derive(Debug)]
pub enum HarnessError {
    Missing(String),
    Driver(String),
}

impl std::fmt::Display for HarnessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HarnessError::Missing(what) => write!(f, "missing for the E2E test: {what}"),
            HarnessError::Driver(what) => write!(f, "WebDriver failed: {what}"),
        }
    }
}

impl std::error::Error for HarnessError {}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                workspace_root().join(p)
            }
        })
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where screenshots go: `target/e2e/` of the workspace (not of a shared
/// `CARGO_TARGET_DIR`), so a developer finds them beside the sources.
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("target/e2e")
}

/// The built desktop binary.
pub fn app_binary() -> Result<PathBuf, HarnessError> {
    let path = std::env::var_os("TUTTI_E2E_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/tutti-desktop"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(HarnessError::Missing(format!(
            "the app binary {} (build it with `cargo build -p tutti-desktop` after `npm run build` in ui/)",
            path.display()
        )))
    }
}

fn tauri_driver() -> Result<PathBuf, HarnessError> {
    if let Some(p) = std::env::var_os("TUTTI_TAURI_DRIVER") {
        return Ok(PathBuf::from(p));
    }
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin")));
    for dir in candidates {
        let p = dir.join("tauri-driver");
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(HarnessError::Missing(
        "tauri-driver (cargo install tauri-driver --version 2.1.0 --locked)".into(),
    ))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A running app session: tauri-driver, the app in its window, and a WebDriver client.
#[derive(Debug)]
pub struct AppSession {
    pub client: Client,
    driver: Child,
    /// The keyring the app uses when the caller gave it none: the app never
    /// reaches the user's own Secret Service (stopped after the driver).
    _keyring: Option<keyring::PrivateKeyring>,
}

impl AppSession {
    /// Starts tauri-driver and the app with `TUTTI_DATA_DIR=data_dir`; a
    /// new installation's first-run screen is skipped (through its own
    /// "skip" button), so the app is on Home.
    pub async fn start(data_dir: &Path) -> Result<Self, HarnessError> {
        Self::start_with_env(data_dir, &[]).await
    }

    /// Like [`AppSession::start`], with more environment for the app (e.g.
    /// [`keyring::PrivateKeyring::env`]).
    pub async fn start_with_env(
        data_dir: &Path,
        env: &[(String, String)],
    ) -> Result<Self, HarnessError> {
        let session = Self::launch(data_dir, env).await?;
        session.skip_first_run().await;
        Ok(session)
    }

    /// Starts the app as it opens, first-run screen included. Without a
    /// `DBUS_SESSION_BUS_ADDRESS` in `env` it gets a [`keyring::PrivateKeyring`].
    pub async fn launch(data_dir: &Path, env: &[(String, String)]) -> Result<Self, HarnessError> {
        let app = app_binary()?;
        let own_keyring = if env.iter().any(|(k, _)| k == "DBUS_SESSION_BUS_ADDRESS") {
            None
        } else {
            Some(keyring::PrivateKeyring::start()?)
        };
        let mut env = env.to_vec();
        if let Some(k) = &own_keyring {
            env.extend(k.env());
        }
        let port = free_port();
        let native_port = free_port();
        let mut driver = Command::new(tauri_driver()?)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("TUTTI_DATA_DIR", data_dir)
            .env("TUTTI_LOG", "info")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| HarnessError::Driver(format!("cannot start tauri-driver: {e}")))?;
        let caps: serde_json::Map<String, serde_json::Value> =
            serde_json::from_value(serde_json::json!({ "tauri:options": { "application": app } }))
                .expect("a JSON object");
        let url = format!("http://127.0.0.1:{port}");
        // The driver needs a moment to listen, and `connect` can hang forever if
        // no automation session comes up: retry a bounded number of times, each
        // attempt under a timeout.
        let mut last_err = String::new();
        for _ in 0..60 {
            if let Ok(Some(status)) = driver.try_wait() {
                return Err(HarnessError::Driver(format!(
                    "tauri-driver exited: {status}"
                )));
            }
            let mut builder = ClientBuilder::native();
            builder.capabilities(caps.clone());
            let attempt = builder.connect(&url);
            match tokio::time::timeout(Duration::from_secs(30), attempt).await {
                Ok(Ok(client)) => {
                    return Ok(Self {
                        client,
                        driver,
                        _keyring: own_keyring,
                    });
                }
                Ok(Err(e)) => last_err = e.to_string(),
                Err(_) => last_err = "no session within 30 s".into(),
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        stop(&mut driver);
        Err(HarnessError::Driver(format!(
            "no WebDriver session: {last_err}"
        )))
    }

    /// Waits for the first screen; when it is the first-run screen, presses
    /// its "skip and start now" button and waits for Home.
    pub async fn skip_first_run(&self) {
        for _ in 0..300 {
            if let Ok(skip) = self
                .client
                .find(Locator::Css("[data-testid=\"first-run-skip-all\"]"))
                .await
            {
                skip.click()
                    .await
                    .unwrap_or_else(|e| panic!("the first-run skip button can be clicked: {e}"));
                self.find("nav").await;
                self.find("main[data-screen=\"home\"] h1").await;
                return;
            }
            // A screen's heading inside the app's frame: settings are loaded
            // and the first run is done (while loading, the frame shows no h1).
            if self.client.find(Locator::Css("nav")).await.is_ok()
                && self
                    .client
                    .find(Locator::Css("main:not([data-screen=\"first-run\"]) h1"))
                    .await
                    .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("neither the first-run screen nor the app's navigation appeared in 30 s");
    }

    /// Text of the current screen's `<h1>`, once it has rendered.
    pub async fn heading(&self) -> Result<String, fantoccini::error::CmdError> {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("main h1"))
            .await?
            .text()
            .await
    }

    /// Waits until the `<h1>` reads `text`; returns what it last read.
    pub async fn wait_for_heading(&self, text: &str) -> String {
        let mut last = String::new();
        for _ in 0..100 {
            if let Ok(h) = self.heading().await {
                if h == text {
                    return h;
                }
                last = h;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        last
    }

    /// The element matching `css`, waiting up to 30 s for it to appear.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} appears: {e}"))
    }

    /// Clicks the element matching `css` once it appears.
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("{css} can be clicked: {e}"));
    }

    /// Sets the value of `[data-testid=test_id]` the way typing does (Svelte
    /// listens to `input` and `change`).
    pub async fn fill(&self, test_id: &str, value: &str) {
        let css = format!("[data-testid=\"{test_id}\"]");
        self.find(&css).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                 el.dispatchEvent(new Event('input', { bubbles: true })); \
                 el.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![css.into(), value.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("{test_id} can be filled: {e}"));
    }

    /// The text of `css` once it contains `want` (or what it last read,
    /// after 15 s, for the caller's assertion to show).
    pub async fn text_with(&self, css: &str, want: &str) -> String {
        let mut last = String::new();
        for _ in 0..150 {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
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

    /// Saves a PNG of the window under `target/e2e/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // Bounded: a webview that never paints again must fail the test, not hang CI.
        let png = tokio::time::timeout(Duration::from_secs(60), self.client.screenshot())
            .await
            .unwrap_or_else(|_| panic!("no screenshot {name} within 60 s"))
            .expect("a screenshot");
        assert!(png.starts_with(b"\x89PNG"), "WebDriver screenshots are PNG");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("target/e2e can be created");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("the screenshot can be written");
        path
    }

    /// Ends the WebDriver session (closing the app) and stops the driver.
    pub async fn close(mut self) {
        match tokio::time::timeout(Duration::from_secs(30), self.client.clone().close()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing_free_log(&format!("closing the session: {e}")),
            Err(_) => tracing_free_log("closing the session took over 30 s; stopping the driver"),
        }
        stop(&mut self.driver);
    }
}

impl Drop for AppSession {
    fn drop(&mut self) {
        stop(&mut self.driver);
    }
}

/// Stops tauri-driver with SIGTERM (a SIGKILLed driver leaves WebKitWebDriver
/// holding its port), then reaps it.
fn stop(driver: &mut Child) {
    if let Ok(Some(_)) = driver.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &driver.id().to_string()])
        .status();
    for _ in 0..50 {
        if let Ok(Some(_)) = driver.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

#[allow(clippy::print_stderr)]
fn tracing_free_log(msg: &str) {
    eprintln!("tutti-e2e: {msg}");
}

//! The server as a process and in-process: health, flags, shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use tutti_sync_server::{Config, serve};

#[tokio::test]
async fn health_answers_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let config = Config::new(addr, dir.path().join("data"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(config, listener, async {
        let _ = rx.await;
    }));
    let body: serde_json::Value = reqwest::get(format!("http://{addr}/health"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["status"], "ok");
    assert!(
        dir.path().join("data").is_dir(),
        "serve creates its data dir"
    );
    assert!(
        dir.path().join("data/tutti-sync.sqlite3").is_file(),
        "without a database URL the store is SQLite under the data dir"
    );
    tx.send(()).unwrap();
    server
        .await
        .unwrap()
        .expect("graceful shutdown is a clean exit");
}

#[tokio::test]
async fn binary_answers_health_on_the_address_it_was_given() {
    let dir = tempfile::tempdir().unwrap();
    // Reserve a free port, release it, and hand it to the binary by env var.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tutti-sync-server"))
        .env("TUTTI_SYNC_LISTEN", format!("127.0.0.1:{port}"))
        .env_remove("TUTTI_SYNC_DATABASE_URL")
        .arg("--data-dir")
        .arg(dir.path())
        .env("TUTTI_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the "listening" log line rather than sleeping.
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = lines
        .by_ref()
        .map(Result::unwrap)
        .find(|l| l.contains("listening"))
        .expect("the server logs its address");
    assert!(line.contains(&format!("127.0.0.1:{port}")), "{line}");
    let resp = reqwest::get(format!("http://127.0.0.1:{port}/health"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn help_names_every_flag_and_env_var() {
    let out = Command::new(env!("CARGO_BIN_EXE_tutti-sync-server"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for s in [
        "--listen",
        "TUTTI_SYNC_LISTEN",
        "--data-dir",
        "TUTTI_SYNC_DATA_DIR",
        "--database-url",
        "TUTTI_SYNC_DATABASE_URL",
        "--max-body-bytes",
        "TUTTI_SYNC_LOGIN_MAX_FAILURES",
    ] {
        assert!(text.contains(s), "--help should mention {s}:\n{text}");
    }
}

#[tokio::test]
async fn an_unsupported_database_url_stops_start_up_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::new(listener.local_addr().unwrap(), dir.path().to_owned());
    config.database_url = Some(tutti_sync_server::Secret::new("mysql://root:pw@db/tutti"));
    let err = serve(config, listener, std::future::pending())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("postgres://"), "{err}");
}

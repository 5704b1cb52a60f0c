//! The official automerge-repo JS client (`Repo` + `WebSocketClientAdapter`,
//! from npm) in a chat room on the real server, beside the Rust client: each
//! reads what the other wrote. Needs Node.js and `npm ci` in
//! `sync-server/interop/`; `scripts/test.sh` does both and runs it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::client::*;
use crate::support::TestServer;

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

#[tokio::test]
#[ignore = "needs Node.js and `npm ci` in sync-server/interop (scripts/test.sh runs it)"]
async fn the_automerge_repo_js_client_chats_with_the_rust_client() {
    let dir = interop_dir();
    assert!(
        dir.join("node_modules/@automerge/automerge-repo").is_dir(),
        "run `npm ci` in {} first",
        dir.display()
    );
    let server = TestServer::start().await;
    let (mentor, mentee, room) = accepted_room(&server).await;

    // The mentor (Rust) writes and the server stores it.
    let mut mentor_device = device();
    let mentor_doc = open_own(&mut mentor_device, &room, &mentor);
    write(
        &mut mentor_device,
        &mentor_doc,
        &mentor,
        "안녕하세요, from Rust",
        1_000,
    );
    let mut m = SyncClient::connect(server.addr, &mentor.token, mentor_device).await;
    m.push(&mentor_doc).await;
    pump(
        &mut [&mut m],
        "the server stores the mentor's message",
        |c| c[0].acknowledged(&mentor_doc),
    )
    .await;

    // The mentee is the JS client.
    let url = format!("ws://{}/sync?token={}", server.addr, mentee.token);
    let mut node = Command::new("node")
        .arg(dir.join("chat.mjs"))
        .args([
            &url,
            &room,
            &mentor.id,
            &mentee.id,
            MONTH,
            "반가워요, from JS",
        ])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
    let mut next_line = async || {
        tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("the JS client answers within a minute")
            .unwrap()
            .expect("the JS client printed a line before exiting")
    };
    let seen = next_line().await;
    assert_eq!(
        seen, r#"SEEN ["안녕하세요, from Rust"]"#,
        "the JS client reads the Rust client's document"
    );
    let wrote = next_line().await;
    let mentee_doc = doc_id(&room, &mentee);
    assert_eq!(
        wrote,
        format!("WROTE {mentee_doc}"),
        "the JS client derives the same document id"
    );

    // The mentor's device receives the JS client's message through the server.
    m.session.request_document(mentee_doc);
    m.push(&mentee_doc).await;
    pump(&mut [&mut m], "the mentor gets the JS message", |c| {
        texts(&messages(&c[0].session, &mentee_doc)) == ["반가워요, from JS"]
    })
    .await;
    assert!(m.errors.is_empty(), "no protocol errors: {:?}", m.errors);

    // And a fresh device downloads it from storage, so it was stored.
    drop(node.stdin.take());
    let status = node.wait().await.unwrap();
    assert!(status.success(), "the JS client exits cleanly: {status}");
    let mut fresh_device = device();
    fresh_device.request_document(mentee_doc);
    let mut fresh = SyncClient::connect(server.addr, &mentor.token, fresh_device).await;
    pump(
        &mut [&mut fresh],
        "a new device downloads the JS message",
        |c| texts(&messages(&c[0].session, &mentee_doc)) == ["반가워요, from JS"],
    )
    .await;
}

//! How long a sync connection lives: no longer than the session that opened
//! it (logout, token expiry) and no longer than the server (shutdown). Each
//! end persists the peer's sync state before the close frame, and an open
//! connection checkpoints it at every session re-check.

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use tokio_tungstenite::tungstenite::{self, Message};
use tutti_sync::{ClientSession, DocumentId, RepoMessage};
use tutti_sync_server::storage::Storage;
use tutti_sync_server::{Config, serve};

use super::client::*;
use crate::support::TestServer;

/// Generous failure guard for waits on the server (never a timing assertion).
const GUARD: Duration = Duration::from_secs(60);

/// The sync state the server keeps for `device`'s storage id on `doc`.
async fn stored_peer_state(
    storage: &dyn Storage,
    user: &Member,
    device: &ClientSession,
    doc: &DocumentId,
) -> Option<Vec<u8>> {
    let storage_id = device.metadata().storage_id.clone().unwrap();
    storage
        .peer_state(&user.id, storage_id.as_str(), &doc.to_string())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_logout_ends_the_open_connection_and_the_next_login_syncs_only_the_delta() {
    let (server, state) = TestServer::start_with_state(|c| c.session_check_interval_secs = 1).await;
    let mentor = server.user("멘토", "female").await;
    let (mentee_id, mentee_email) = server.signup("멘티", "male").await;
    let first_login = server.login(&mentee_email).await;
    let first_token = first_login["access_token"].as_str().unwrap().to_owned();
    let (mentor, mentee, room) = room_of(&server, mentor, (mentee_id, first_token.clone())).await;

    let mut writer = device();
    let doc = open_own(&mut writer, &room, &mentor);
    for i in 0..200 {
        write(&mut writer, &doc, &mentor, &format!("note {i}"), 10_000 + i);
    }
    let mut w = SyncClient::connect(server.addr, &mentor.token, writer).await;
    w.push(&doc).await;
    let mut reader = device();
    reader.request_document(doc);
    let mut r = SyncClient::connect(server.addr, &mentee.token, reader).await;
    pump(&mut [&mut w, &mut r], "the reader has all 200", |c| {
        messages(&c[1].session, &doc).len() == 200
    })
    .await;
    // the open connection checkpoints the reader's sync state at a re-check
    tokio::time::timeout(GUARD, async {
        while stored_peer_state(state.storage.as_ref(), &mentee, &r.session, &doc)
            .await
            .is_none()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("an open connection checkpoints its sync state");
    assert!(!r.closed_by_server, "checkpointed while still open");

    // the mentee signs out (on another screen): the open socket ends
    let logout = server
        .http
        .delete(server.url("/api/v1/sessions"))
        .bearer_auth(&first_token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    pump(
        &mut [&mut r],
        "the server closes the revoked connection",
        |c| c[0].closed_by_server,
    )
    .await;
    assert_eq!(r.close, Some((4001, "session revoked".to_owned())));
    assert!(
        r.errors.iter().any(|e| e.contains("revoked")),
        "an error message before the close: {:?}",
        r.errors
    );
    assert!(
        stored_peer_state(state.storage.as_ref(), &mentee, &r.session, &doc)
            .await
            .is_some(),
        "the peer's sync state was persisted at the close"
    );
    assert!(
        matches!(open_ws(server.addr, &first_token).await,
            Err(tungstenite::Error::Http(resp)) if resp.status() == 401),
        "the revoked token opens nothing"
    );
    let reader = r.disconnect().await;

    // the writer's session still holds: its connection, re-checked all
    // along, stays open and stores one more message
    write(&mut w.session, &doc, &mentor, "one more", 99_000);
    w.push(&doc).await;
    pump(&mut [&mut w], "the server stores the new message", |c| {
        c[0].acknowledged(&doc)
    })
    .await;
    assert!(
        !w.closed_by_server,
        "a live session's connection stays open"
    );

    // the mentee signs in again; the same device catches up with the delta
    let second_token = server.login(&mentee_email).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut r = SyncClient::connect(server.addr, &second_token, reader).await;
    pump(&mut [&mut r], "the reader gets the new message", |c| {
        messages(&c[0].session, &doc).len() == 201
    })
    .await;
    let delta = r.sent_bytes + r.received_bytes;
    let mut fresh = device();
    fresh.request_document(doc);
    let mut f = SyncClient::connect(server.addr, &second_token, fresh).await;
    pump(&mut [&mut f], "a new device downloads all 201", |c| {
        messages(&c[0].session, &doc).len() == 201
    })
    .await;
    let full = f.sent_bytes + f.received_bytes;
    assert!(
        delta * 4 < full,
        "the reconnect after the logout ({delta} B) moves far less than a full sync ({full} B)"
    );
    server.stop().await;
}

/// Reads until the server's close frame: (every `error` message, the close).
async fn until_close(ws: &mut Ws) -> (Vec<String>, Option<(u16, String)>) {
    let mut errors = Vec::new();
    loop {
        let next = tokio::time::timeout(GUARD, ws.next())
            .await
            .expect("the server closes the connection");
        match next {
            Some(Ok(Message::Binary(frame))) => {
                if let Ok(RepoMessage::Error { message, .. }) = RepoMessage::decode(&frame) {
                    errors.push(message);
                }
            }
            Some(Ok(Message::Close(frame))) => {
                let close = frame.map(|f| (u16::from(f.code), f.reason.as_str().to_owned()));
                return (errors, close);
            }
            Some(Ok(_)) => {}
            Some(Err(e)) => panic!("the socket failed before a close frame: {e}"),
            None => panic!("the socket ended without a close frame"),
        }
    }
}

#[tokio::test]
async fn an_expired_access_token_ends_the_open_connection() {
    let server = TestServer::start_with(|c| c.access_token_ttl_secs = 1).await;
    let (_, email) = server.signup("만료", "female").await;
    // a token lives to the end of the next second at most: sign in again
    // when it already expired before the upgrade
    let mut attempts = 0;
    let (token, mut ws) = loop {
        attempts += 1;
        let token = server.login(&email).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        match open_ws(server.addr, &token).await {
            Ok(ws) => break (token, ws),
            Err(tungstenite::Error::Http(resp)) if resp.status() == 401 && attempts < 20 => {}
            Err(e) => panic!("the upgrade failed: {e}"),
        }
    };
    let mut client = device();
    let join = client.connect();
    futures_util::SinkExt::send(&mut ws, Message::Binary(join.into()))
        .await
        .unwrap();
    let (errors, close) = until_close(&mut ws).await;
    assert_eq!(close, Some((4001, "access token expired".to_owned())));
    assert!(
        errors.iter().any(|e| e.contains("access token expired")),
        "an error message before the close: {errors:?}"
    );
    assert!(
        matches!(open_ws(server.addr, &token).await,
            Err(tungstenite::Error::Http(resp)) if resp.status() == 401),
        "the expired token opens nothing"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_shutdown_closes_open_connections_with_1001_after_persisting_their_sync_state() {
    // no re-check (and so no checkpoint) during the test: the state comes
    // from the shutdown
    let (server, state) =
        TestServer::start_with_state(|c| c.session_check_interval_secs = 3600).await;
    let (mentor, _mentee, room) = accepted_room(&server).await;
    let mut writer = device();
    let doc = open_own(&mut writer, &room, &mentor);
    write(&mut writer, &doc, &mentor, "before the restart", 1_000);
    let mut w = SyncClient::connect(server.addr, &mentor.token, writer).await;
    w.push(&doc).await;
    pump(&mut [&mut w], "the server stores the message", |c| {
        c[0].acknowledged(&doc)
    })
    .await;
    assert_eq!(
        stored_peer_state(state.storage.as_ref(), &mentor, &w.session, &doc).await,
        None,
        "an open connection keeps its sync state in memory"
    );
    assert_eq!(state.sync.open_connections(), 1);

    // the client reads nothing meanwhile: the server does not wait on it
    let _data = tokio::time::timeout(GUARD, server.stop())
        .await
        .expect("serve returns after closing its connections");
    assert_eq!(
        state.sync.open_connections(),
        0,
        "serve returned only after its connections closed"
    );
    assert!(
        stored_peer_state(state.storage.as_ref(), &mentor, &w.session, &doc)
            .await
            .is_some(),
        "the peer's sync state was persisted before serve returned"
    );
    pump(&mut [&mut w], "the client reads the close", |c| {
        c[0].closed_by_server
    })
    .await;
    let (code, _reason) = w.close.clone().expect("a close frame");
    assert_eq!(code, 1001, "going away");
}

#[tokio::test]
async fn a_zero_session_check_interval_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = Config::new(listener.local_addr().unwrap(), dir.path().join("data"));
    config.session_check_interval_secs = 0;
    let refused = tokio::time::timeout(GUARD, serve(config, listener, std::future::pending()))
        .await
        .expect("serve refuses at once")
        .expect_err("a zero interval is refused");
    assert!(
        refused
            .to_string()
            .contains("--session-check-interval-secs"),
        "{refused}"
    );

    use clap::Parser;
    let flag = Config::try_parse_from([
        "tutti-sync-server",
        "--data-dir",
        "/tmp/unused",
        "--session-check-interval-secs",
        "0",
    ])
    .expect_err("the flag refuses 0");
    assert!(
        flag.to_string().contains("--session-check-interval-secs"),
        "{flag}"
    );
    let default = Config::try_parse_from(["tutti-sync-server", "--data-dir", "/tmp/unused"])
        .unwrap()
        .session_check_interval_secs;
    assert_eq!(default, 30);
}

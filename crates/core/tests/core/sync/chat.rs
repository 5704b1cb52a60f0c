//! The local-first chat between two real cores through the real server.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tutti_core::chat::dto::SyncState;
use tutti_sync::chat::{chat_document_id, month_of};
use tutti_sync::{ClientEvent, ClientSession, PeerId, PeerMetadata, UserId};

use super::{Core, Server, eventually, matched_pair, signed_in_core, synced};

fn texts(core: &Core, room: &str) -> Vec<String> {
    core.tutti
        .chat_history(room)
        .unwrap()
        .into_iter()
        .map(|m| m.text)
        .collect()
}

fn ids(core: &Core, room: &str) -> Vec<String> {
    core.tutti
        .chat_history(room)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_cores_chat_live_write_offline_and_converge_in_one_order() {
    let server = Server::start().await;
    let (mentor, mentee, room) = matched_pair(&server).await;
    let room = room.id;

    // Live: both directions.
    let (sm, se) = (
        mentor.tutti.chat_sync_start().unwrap(),
        mentee.tutti.chat_sync_start().unwrap(),
    );
    synced(&sm).await;
    synced(&se).await;
    mentee.tutti.chat_send(&room, "안녕하세요, 선생님").unwrap();
    eventually("the mentor receives the mentee's message", || async {
        texts(&mentor, &room) == ["안녕하세요, 선생님"]
    })
    .await;
    assert!(
        sm.current().remote_changes > 0,
        "the status counts remote changes"
    );
    assert_eq!(mentor.tutti.chat_rooms().unwrap()[0].unread, 1);
    mentor.tutti.chat_mark_read(&room).unwrap();
    assert_eq!(mentor.tutti.chat_rooms().unwrap()[0].unread, 0, "read");
    mentor.tutti.chat_send(&room, "반가워요").unwrap();
    eventually("the mentee receives the reply", || async {
        texts(&mentee, &room).len() == 2
    })
    .await;
    assert_eq!(
        mentor.tutti.chat_rooms().unwrap()[0].unread,
        0,
        "my own messages are not unread"
    );

    // Both go offline and write.
    sm.stop().await;
    se.stop().await;
    for i in 0..3 {
        mentor
            .tutti
            .chat_send(&room, &format!("mentor offline {i}"))
            .unwrap();
        mentee
            .tutti
            .chat_send(&room, &format!("mentee offline {i}"))
            .unwrap();
    }
    assert_eq!(texts(&mentor, &room).len(), 5, "stored locally at once");
    assert_eq!(texts(&mentee, &room).len(), 5);

    // The mentee's app restarts before it is online again: nothing is lost.
    let mentee = mentee.restart();
    let (sm, se) = (
        mentor.tutti.chat_sync_start().unwrap(),
        mentee.tutti.chat_sync_start().unwrap(),
    );
    eventually("both see all eight messages", || async {
        texts(&mentor, &room).len() == 8 && texts(&mentee, &room).len() == 8
    })
    .await;
    assert_eq!(
        ids(&mentor, &room),
        ids(&mentee, &room),
        "both cores show the same messages in the same order"
    );
    let history = mentor.tutti.chat_history(&room).unwrap();
    assert!(
        history.windows(2).all(|w| w[0].sent_at <= w[1].sent_at),
        "in time order"
    );
    let db = rusqlite::Connection::open(mentee.dir.path().join("tutti.sqlite3")).unwrap();
    let states: i64 = db
        .query_row("SELECT count(*) FROM chat_sync_state", [], |r| r.get(0))
        .unwrap();
    assert!(
        states >= 2,
        "the sync state of both documents is kept for the next connection ({states})"
    );
    assert_eq!(
        mentor.tutti.chat_rooms().unwrap()[0].unread,
        3,
        "the mentee's three offline messages are unread"
    );
    sm.stop().await;
    se.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_goes_away_both_write_and_the_sync_reconnects_when_it_is_back() {
    let server = Server::start().await;
    let addr = server.addr.to_string();
    let (mentor, mentee, room) = matched_pair(&server).await;
    let room = room.id;
    let data = server.stop().await;

    // The syncs start while the server is down: offline, retrying.
    let (sm, se) = (
        mentor.tutti.chat_sync_start().unwrap(),
        mentee.tutti.chat_sync_start().unwrap(),
    );
    for sync in [&sm, &se] {
        let mut status = sync.status();
        tokio::time::timeout(
            Duration::from_secs(30),
            status.wait_for(|s| s.state == SyncState::Offline && s.last_error.is_some()),
        )
        .await
        .expect("the sync reports that it is offline")
        .unwrap();
    }
    mentor.tutti.chat_send(&room, "mentor while down").unwrap();
    mentee.tutti.chat_send(&room, "mentee while down").unwrap();
    assert_eq!(
        mentee.tutti.chat_rooms().unwrap().len(),
        1,
        "rooms show offline"
    );

    // The server comes back on the same address with the same data.
    let server = Server::start_in(data, &addr).await;
    synced(&sm).await;
    synced(&se).await;
    eventually("both see both messages", || async {
        texts(&mentor, &room).len() == 2 && texts(&mentee, &room).len() == 2
    })
    .await;
    assert_eq!(ids(&mentor, &room), ids(&mentee, &room), "same order");
    sm.stop().await;
    se.stop().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_user_cannot_read_the_room() {
    let server = Server::start().await;
    let (mentor, mentee, room) = matched_pair(&server).await;
    let room = room.id;
    let sm = mentor.tutti.chat_sync_start().unwrap();
    mentor.tutti.chat_send(&room, "private").unwrap();
    synced(&sm).await;
    let se = mentee.tutti.chat_sync_start().unwrap();
    eventually("the mentee gets it", || async {
        texts(&mentee, &room).len() == 1
    })
    .await;

    let carol = signed_in_core(&server, "carol", "female").await;
    for err in [
        carol.tutti.chat_history(&room).unwrap_err(),
        carol.tutti.chat_send(&room, "let me in").unwrap_err(),
    ] {
        assert_eq!(err.code(), "not_found", "not carol's room: {err}");
    }

    // Even speaking the protocol directly with carol's own token, the
    // mentor's document is unavailable to her.
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", server.url()))
        .json(&serde_json::json!({"email": carol.email, "password": super::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let mut request = format!("ws://{}/sync", server.addr)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut session = ClientSession::new(PeerId::random(), PeerMetadata::default());
    let doc = chat_document_id(
        &room,
        &UserId::new(mentor.user_id.clone()),
        &month_of(super::now_ms()),
    );
    session.request_document(doc);
    ws.send(Message::Binary(session.connect().into()))
        .await
        .unwrap();
    let unavailable = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(Ok(frame)) = ws.next().await {
            let Message::Binary(bytes) = frame else { continue };
            let out = session.handle_frame(&bytes).unwrap();
            for f in out.frames {
                ws.send(Message::Binary(f.into())).await.unwrap();
            }
            if out
                .events
                .iter()
                .any(|e| matches!(e, ClientEvent::DocumentUnavailable { document_id } if *document_id == doc))
            {
                return true;
            }
        }
        false
    })
    .await
    .expect("the server answers");
    assert!(unavailable, "a non-member gets doc-unavailable");
    assert!(
        session.document(&doc).unwrap().get_heads().is_empty(),
        "and not one change of the document"
    );
    sm.stop().await;
    se.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_chat_input_is_refused_and_changes_nothing() {
    let server = Server::start().await;
    let (_mentor, mentee, room) = matched_pair(&server).await;
    let room = room.id;
    mentee.tutti.chat_send(&room, "first").unwrap();
    for (text, why) in [
        ("", "empty"),
        ("   \n", "blank"),
        (&"가".repeat(20_001)[..], "too long"),
    ] {
        let err = mentee.tutti.chat_send(&room, text).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{why}: {err}");
    }
    let err = mentee.tutti.chat_send("no-such-room", "hi").unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    assert_eq!(
        mentee
            .tutti
            .chat_history("no-such-room")
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(texts(&mentee, &room), ["first"], "nothing else was written");
}

//! Who may read and write: outsiders, forged changes, tokens, malformed frames.

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::{self, Message};
use tutti_sync::chat::create_chat_document;
use tutti_sync::{ChatHeader, DocStatus, DocumentId, PeerId, RepoMessage, UserId};

use super::client::*;
use crate::support::TestServer;

#[tokio::test]
async fn an_outsider_cannot_read_or_write_the_room() {
    let server = TestServer::start().await;
    let (mentor, mentee, room) = accepted_room(&server).await;
    let (outsider_id, outsider_token) = server.user("구경꾼", "male").await;
    let outsider = Member {
        id: outsider_id,
        token: outsider_token,
    };
    let mut mentor_device = device();
    let mentor_doc = open_own(&mut mentor_device, &room, &mentor);
    write(
        &mut mentor_device,
        &mentor_doc,
        &mentor,
        "private lesson",
        1_000,
    );
    let mut m = SyncClient::connect(server.addr, &mentor.token, mentor_device).await;
    m.push(&mentor_doc).await;
    pump(&mut [&mut m], "the mentor's document is stored", |c| {
        c[0].acknowledged(&mentor_doc)
    })
    .await;

    // reading: doc-unavailable, no content
    let mut snoop = device();
    snoop.request_document(mentor_doc);
    let mentee_doc = doc_id(&room, &mentee);
    // writing into someone else's document: a forged copy of the mentee's
    // (not yet created) document, and one of its own in a room it is not in
    let header = ChatHeader {
        room_id: room.clone(),
        owner_id: UserId::new(mentee.id.clone()),
        month: MONTH.to_owned(),
    };
    snoop.open_document(
        mentee_doc,
        create_chat_document(&header).unwrap().document().clone(),
    );
    write(
        &mut snoop,
        &mentee_doc,
        &mentee,
        "forged by the outsider",
        2_000,
    );
    let own_doc = open_own(&mut snoop, &room, &outsider);
    write(&mut snoop, &own_doc, &outsider, "let me in", 3_000);
    let mut x = SyncClient::connect(server.addr, &outsider.token, snoop).await;
    pump(&mut [&mut x], "the outsider is refused everything", |c| {
        c[0].unavailable.contains(&mentor_doc) && c[0].errors.len() >= 2
    })
    .await;
    assert_eq!(x.session.status(&mentor_doc), Some(DocStatus::Unavailable));
    assert!(
        x.session
            .document(&mentor_doc)
            .unwrap()
            .get_heads()
            .is_empty(),
        "nothing of the document reached the outsider"
    );
    let errors = x.errors.join("\n");
    assert!(
        errors.contains(&format!("owned by {}", mentee.id)),
        "{errors}"
    );
    assert!(errors.contains("is not a member of chat room"), "{errors}");
    // a write into the stored document gets doc-unavailable too
    let mentor_copy = m.session.document(&mentor_doc).unwrap().clone();
    let mut forger = device();
    forger.open_document(mentor_doc, mentor_copy);
    write(
        &mut forger,
        &mentor_doc,
        &mentor,
        "outsider's forged note",
        4_000,
    );
    let mut y = SyncClient::connect(server.addr, &outsider.token, forger).await;
    pump(&mut [&mut y], "writing is refused as unreadable", |c| {
        c[0].unavailable.contains(&mentor_doc)
    })
    .await;

    // the members' view is untouched: nothing forged was stored
    let mut check = device();
    check.request_document(mentor_doc);
    check.request_document(mentee_doc);
    let mut c = SyncClient::connect(server.addr, &mentee.token, check).await;
    pump(
        &mut [&mut c],
        "the mentee reads the mentor's document",
        |c| {
            messages(&c[0].session, &mentor_doc).len() == 1
                && c[0].unavailable.contains(&mentee_doc)
        },
    )
    .await;
    assert_eq!(
        texts(&messages(&c.session, &mentor_doc)),
        ["private lesson"]
    );
    server.stop().await;
}

fn stored_changes(server: &TestServer, doc: &DocumentId) -> i64 {
    let db = rusqlite::Connection::open(server.sqlite_path()).unwrap();
    db.query_row(
        "SELECT COUNT(*) FROM document_changes WHERE document_id = ?1",
        [doc.to_string()],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test]
async fn a_forged_change_by_the_other_member_is_refused_and_not_stored() {
    let server = TestServer::start().await;
    let (mentor, mentee, room) = accepted_room(&server).await;
    let mut mentor_device = device();
    let mentor_doc = open_own(&mut mentor_device, &room, &mentor);
    write(
        &mut mentor_device,
        &mentor_doc,
        &mentor,
        "the real message",
        1_000,
    );
    let mut m = SyncClient::connect(server.addr, &mentor.token, mentor_device).await;
    m.push(&mentor_doc).await;
    let mut mentee_device = device();
    mentee_device.request_document(mentor_doc);
    let mut e = SyncClient::connect(server.addr, &mentee.token, mentee_device).await;
    pump(
        &mut [&mut m, &mut e],
        "the mentee reads the mentor's message",
        |c| messages(&c[1].session, &mentor_doc).len() == 1,
    )
    .await;
    let before = stored_changes(&server, &mentor_doc);
    assert_eq!(before, 2, "genesis and one message");

    // the mentee writes into the mentor's document, posing as the mentor
    write(
        &mut e.session,
        &mentor_doc,
        &mentor,
        "forged: lesson cancelled",
        2_000,
    );
    e.push(&mentor_doc).await;
    pump(&mut [&mut e], "the forged change is refused", |c| {
        !c[0].errors.is_empty()
    })
    .await;
    assert!(
        e.errors[0].contains("change refused") && e.errors[0].contains("may not change"),
        "{:?}",
        e.errors
    );
    assert!(!e.closed_by_server, "a refusal is not fatal");
    assert_eq!(
        stored_changes(&server, &mentor_doc),
        before,
        "nothing stored"
    );

    // the mentor, online all along, never got it; a fresh device neither
    let mut fresh = device();
    fresh.request_document(mentor_doc);
    let mut f = SyncClient::connect(server.addr, &mentor.token, fresh).await;
    pump(
        &mut [&mut f, &mut m],
        "a fresh device of the mentor syncs",
        |c| messages(&c[0].session, &mentor_doc).len() == 1,
    )
    .await;
    assert_eq!(
        texts(&messages(&f.session, &mentor_doc)),
        ["the real message"]
    );
    assert_eq!(
        texts(&messages(&m.session, &mentor_doc)),
        ["the real message"]
    );
    server.stop().await;
}

#[tokio::test]
async fn missing_or_bad_tokens_get_401_before_the_upgrade() {
    let server = TestServer::start().await;
    let (_, token) = server.user("토큰", "female").await;
    for bad in ["not-a-token", ""] {
        match open_ws(server.addr, bad).await {
            Err(tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 401, "token {bad:?}")
            }
            other => panic!("token {bad:?} was not refused: {other:?}"),
        }
    }
    let no_token = tokio_tungstenite::connect_async(format!("ws://{}/sync", server.addr)).await;
    assert!(
        matches!(&no_token, Err(tungstenite::Error::Http(r)) if r.status() == 401),
        "{no_token:?}"
    );
    // the query parameter works for clients that cannot set headers
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{}/sync?token={token}", server.addr))
            .await
            .expect("?token= is accepted");
    ws.close(None).await.unwrap();
    // a valid token on a plain GET: a JSON 4xx, not a server error
    let plain = server.get("/sync", Some(&token)).await;
    assert!(plain.status().is_client_error(), "{}", plain.status());
    server.stop().await;
}

async fn expect_protocol_error(ws: &mut Ws) -> String {
    let mut error = None;
    while let Some(Ok(message)) = ws.next().await {
        match message {
            Message::Binary(frame) => {
                if let Ok(RepoMessage::Error { message, .. }) = RepoMessage::decode(&frame) {
                    error = Some(message);
                }
            }
            Message::Close(_) => break,
            _ => {}
        }
    }
    error.expect("an error message before the close")
}

#[tokio::test]
async fn malformed_frames_get_a_protocol_error_and_close_and_others_are_served() {
    let server = TestServer::start().await;
    let (mentor, mentee, room) = accepted_room(&server).await;
    let mut ws = open_ws(server.addr, &mentor.token).await.unwrap();
    ws.send(Message::Binary(vec![0xff, 0x00, 0x13, 0x37].into()))
        .await
        .unwrap();
    let error = expect_protocol_error(&mut ws).await;
    assert!(!error.is_empty());

    let mut ws = open_ws(server.addr, &mentor.token).await.unwrap();
    ws.send(Message::Text("{\"type\":\"join\"}".into()))
        .await
        .unwrap();
    let error = expect_protocol_error(&mut ws).await;
    assert!(error.contains("binary"), "{error}");

    let mut ws = open_ws(server.addr, &mentor.token).await.unwrap();
    let oversized = vec![0u8; tutti_sync::message::DEFAULT_MAX_MESSAGE_BYTES + 1];
    ws.send(Message::Binary(oversized.into())).await.unwrap();
    let error = expect_protocol_error(&mut ws).await;
    assert!(
        error.contains(&tutti_sync::message::DEFAULT_MAX_MESSAGE_BYTES.to_string()),
        "{error}"
    );

    // a sync message with garbage Automerge data after a proper join
    let mut client = device();
    let doc = open_own(&mut client, &room, &mentor);
    let mut c = SyncClient::connect(server.addr, &mentor.token, client).await;
    let misaddressed = RepoMessage::Sync {
        sender_id: c.session.peer_id().clone(),
        target_id: PeerId::new("not-the-server").unwrap(),
        document_id: doc,
        data: vec![0x42; 16],
    };
    c.send(misaddressed.encode()).await;
    let unknown = DocumentId::random();
    let garbage = RepoMessage::Sync {
        sender_id: c.session.peer_id().clone(),
        target_id: c.server_peer.clone().unwrap(),
        document_id: unknown,
        data: vec![0x42; 16],
    };
    c.send(garbage.encode()).await;
    pump(&mut [&mut c], "both are errors", |c| c[0].errors.len() >= 2).await;
    let errors = c.errors.join("\n");
    assert!(errors.contains("not this server"), "{errors}");
    assert!(
        errors.contains("invalid sync message") || errors.contains("sync message"),
        "{errors}"
    );
    assert_eq!(stored_changes(&server, &unknown), 0, "nothing stored");
    assert_eq!(
        stored_changes(&server, &doc),
        1,
        "only the genesis of the real document"
    );

    // the server keeps serving others
    let mut other = device();
    let other_doc = open_own(&mut other, &room, &mentee);
    write(&mut other, &other_doc, &mentee, "still here", 1_000);
    let mut o = SyncClient::connect(server.addr, &mentee.token, other).await;
    o.push(&other_doc).await;
    pump(&mut [&mut o], "another client syncs", |c| {
        c[0].acknowledged(&other_doc)
    })
    .await;
    server.stop().await;
}

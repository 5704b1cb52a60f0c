//! Automerge sync at `/sync`: real WebSocket clients driving `tutti-sync`'s
//! `ClientSession` with real Automerge chat documents against the real server.

mod authorisation;
pub mod client;
mod interop;
mod lifetime;

pub use client::*;

use crate::support::TestServer;

#[tokio::test]
async fn two_members_chat_live_then_offline_and_converge_in_one_order() {
    let server = TestServer::start().await;
    let (mentor, mentee, room) = accepted_room(&server).await;
    let mut mentor_device = device();
    let mut mentee_device = device();
    let mentor_doc = open_own(&mut mentor_device, &room, &mentor);
    let mentee_doc = open_own(&mut mentee_device, &room, &mentee);
    mentor_device.request_document(mentee_doc);
    mentee_device.request_document(mentor_doc);
    let ids = [mentor_doc, mentee_doc];

    let mut m = SyncClient::connect(server.addr, &mentor.token, mentor_device).await;
    let mut e = SyncClient::connect(server.addr, &mentee.token, mentee_device).await;
    write(
        &mut m.session,
        &mentor_doc,
        &mentor,
        "안녕하세요, 오늘은 음계부터 해요",
        1_000,
    );
    m.push(&mentor_doc).await;
    write(&mut e.session, &mentee_doc, &mentee, "네 선생님!", 2_000);
    e.push(&mentee_doc).await;
    pump(&mut [&mut m, &mut e], "both see both live messages", |c| {
        c.iter().all(|c| room_view(&c.session, &ids).len() == 2)
    })
    .await;
    assert_eq!(
        texts(&room_view(&m.session, &ids)),
        ["안녕하세요, 오늘은 음계부터 해요", "네 선생님!"]
    );
    assert!(
        m.errors.is_empty() && e.errors.is_empty(),
        "{:?} {:?}",
        m.errors,
        e.errors
    );

    // both go offline and write
    let mut mentor_device = m.disconnect().await;
    let mut mentee_device = e.disconnect().await;
    write(
        &mut mentor_device,
        &mentor_doc,
        &mentor,
        "m-offline-1",
        3_000,
    );
    write(
        &mut mentee_device,
        &mentee_doc,
        &mentee,
        "e-offline-1",
        3_500,
    );
    write(
        &mut mentee_device,
        &mentee_doc,
        &mentee,
        "e-offline-2",
        4_000,
    );
    write(
        &mut mentor_device,
        &mentor_doc,
        &mentor,
        "m-offline-2",
        4_500,
    );

    let mut m = SyncClient::connect(server.addr, &mentor.token, mentor_device).await;
    let mut e = SyncClient::connect(server.addr, &mentee.token, mentee_device).await;
    pump(&mut [&mut m, &mut e], "both see all six messages", |c| {
        c.iter().all(|c| room_view(&c.session, &ids).len() == 6)
    })
    .await;
    let seen_by_mentor = room_view(&m.session, &ids);
    assert_eq!(
        seen_by_mentor,
        room_view(&e.session, &ids),
        "both devices merge the two documents into the same list"
    );
    assert_eq!(
        texts(&seen_by_mentor),
        [
            "안녕하세요, 오늘은 음계부터 해요",
            "네 선생님!",
            "m-offline-1",
            "e-offline-1",
            "e-offline-2",
            "m-offline-2"
        ],
        "ordered by sentAt across both writers"
    );

    // a new device of the mentee gets all of it from the server's store
    let mut fresh = device();
    fresh.request_document(mentor_doc);
    fresh.request_document(mentee_doc);
    let mut f = SyncClient::connect(server.addr, &mentee.token, fresh).await;
    pump(&mut [&mut f], "a new device downloads the room", |c| {
        room_view(&c[0].session, &ids).len() == 6
    })
    .await;
    assert_eq!(room_view(&f.session, &ids), seen_by_mentor);
    server.stop().await;
}

#[tokio::test]
async fn a_reconnect_sends_only_the_delta() {
    let server = TestServer::start().await;
    let (mentor, mentee, room) = accepted_room(&server).await;
    let mut writer = device();
    let doc = open_own(&mut writer, &room, &mentor);
    for i in 0..200 {
        write(
            &mut writer,
            &doc,
            &mentor,
            &format!("lesson note {i}"),
            10_000 + i,
        );
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
    let reader = r.disconnect().await;

    write(&mut w.session, &doc, &mentor, "one more", 99_000);
    w.push(&doc).await;
    pump(&mut [&mut w], "the server stores the new message", |c| {
        c[0].acknowledged(&doc)
    })
    .await;

    // the reader comes back with its document and sync state
    let old_copy = reader.document(&doc).unwrap().clone();
    let mut r = SyncClient::connect(server.addr, &mentee.token, reader).await;
    pump(&mut [&mut r], "the reader gets the new message", |c| {
        messages(&c[0].session, &doc).len() == 201
    })
    .await;
    let delta = r.sent_bytes + r.received_bytes;

    // the same catch-up by a peer with the same 200 messages but no sync
    // state on either side
    let mut stateless = device();
    stateless.open_document(doc, old_copy);
    let mut s = SyncClient::connect(server.addr, &mentee.token, stateless).await;
    pump(
        &mut [&mut s],
        "a stateless peer gets the new message",
        |c| messages(&c[0].session, &doc).len() == 201,
    )
    .await;
    let stateless_bytes = s.sent_bytes + s.received_bytes;

    // a new device downloads everything
    let mut fresh = device();
    fresh.request_document(doc);
    let mut f = SyncClient::connect(server.addr, &mentee.token, fresh).await;
    pump(&mut [&mut f], "a new device downloads all 201", |c| {
        messages(&c[0].session, &doc).len() == 201
    })
    .await;
    let full = f.sent_bytes + f.received_bytes;
    assert!(
        delta * 4 < full,
        "a reconnect ({delta} B) moves far less than a full sync ({full} B)"
    );
    assert!(
        delta < stateless_bytes,
        "persisted sync state ({delta} B) beats syncing without it ({stateless_bytes} B)"
    );
    server.stop().await;
}

#[tokio::test]
async fn evicted_documents_reload_and_keep_syncing() {
    let (server, hub) = TestServer::start_with_hub(|c| c.max_loaded_documents = 0).await;
    let (mentor, mentee, room) = accepted_room(&server).await;
    let mut writer = device();
    let doc = open_own(&mut writer, &room, &mentor);
    write(&mut writer, &doc, &mentor, "before eviction", 1_000);
    let mut m = SyncClient::connect(server.addr, &mentor.token, writer).await;
    m.push(&doc).await;
    let mut reader = device();
    reader.request_document(doc);
    let mut e = SyncClient::connect(server.addr, &mentee.token, reader).await;
    pump(
        &mut [&mut m, &mut e],
        "the mentee reads the first message",
        |c| messages(&c[1].session, &doc).len() == 1 && c[0].acknowledged(&doc),
    )
    .await;

    hub.evict();
    assert_eq!(
        hub.loaded_documents(),
        0,
        "an idle document leaves memory although both peers stay subscribed"
    );

    write(&mut m.session, &doc, &mentor, "after eviction", 2_000);
    m.push(&doc).await;
    pump(
        &mut [&mut m, &mut e],
        "the reloaded document syncs on",
        |c| messages(&c[1].session, &doc).len() == 2,
    )
    .await;
    assert_eq!(
        texts(&messages(&e.session, &doc)),
        ["before eviction", "after eviction"]
    );
    server.stop().await;
}

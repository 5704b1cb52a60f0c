//! Clients syncing through the server session: convergence, authorisation,
//! durability gating, reconnect deltas, bad input.

use tutti_sync::automerge::transaction::Transactable;
use tutti_sync::automerge::{AutoCommit, Automerge, ObjType, ROOT, ReadDoc};
use tutti_sync::chat::{
    append_message, create_chat_document, merge_messages, new_message, read_chat,
};
use tutti_sync::{
    ChatHeader, ChatMessage, ClientEvent, DocStatus, DocumentId, RepoMessage, StorageId, UserId,
    chat_document_id,
};

use crate::harness::Net;

const ROOM: &str = "room-42";
const MONTH: &str = "2026-11";

fn user(name: &str) -> UserId {
    UserId::new(name)
}

/// A room with alice and bob, each with a connected client holding their own
/// message document and following the other's.
struct Room {
    net: Net,
    alice: usize,
    bob: usize,
    alice_doc: DocumentId,
    bob_doc: DocumentId,
}

fn outbox(owner: &str) -> (DocumentId, AutoCommit) {
    let header = ChatHeader {
        room_id: ROOM.into(),
        owner_id: user(owner),
        month: MONTH.into(),
    };
    let doc = create_chat_document(&header).expect("create");
    (chat_document_id(ROOM, &user(owner), MONTH), doc)
}

fn room() -> Room {
    let mut net = Net::new();
    net.server
        .rooms
        .insert(ROOM.into(), vec![user("alice"), user("bob")]);
    let alice = net.add_client("alice", Some(StorageId::random()));
    let bob = net.add_client("bob", Some(StorageId::random()));
    let (alice_doc, mut a) = outbox("alice");
    let (bob_doc, mut b) = outbox("bob");
    net.clients[alice]
        .session
        .open_document(alice_doc, a.document().clone());
    net.clients[alice].session.request_document(bob_doc);
    net.clients[bob]
        .session
        .open_document(bob_doc, b.document().clone());
    net.clients[bob].session.request_document(alice_doc);
    net.connect(alice);
    net.pump();
    net.connect(bob);
    net.pump();
    // alice asked for bob's document before it existed: she hears of it now
    net.pump();
    Room {
        net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    }
}

fn write(net: &mut Net, client: usize, doc_id: &DocumentId, text: &str, at: i64) -> ChatMessage {
    let author = net.clients[client].user.clone();
    let doc = net.clients[client]
        .session
        .document_mut(doc_id)
        .expect("open document");
    let mut auto = AutoCommit::load(&doc.save()).expect("load");
    let message = new_message(author, text, at);
    append_message(&mut auto, &message).expect("append");
    doc.apply_changes(auto.get_changes(&doc.get_heads()))
        .expect("apply");
    message
}

fn history(net: &Net, client: usize, docs: &[DocumentId]) -> Vec<ChatMessage> {
    let logs: Vec<_> = docs
        .iter()
        .filter_map(|id| net.clients[client].session.document(id))
        .filter(|d| !d.get_heads().is_empty())
        .map(|d| read_chat(d).expect("chat document"))
        .collect();
    merge_messages(&logs)
}

fn events_of(net: &Net, client: usize) -> &[ClientEvent] {
    &net.clients[client].events
}

#[test]
fn two_clients_converge_through_the_server_even_after_writing_offline() {
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    } = room();
    let docs = [alice_doc, bob_doc];
    assert!(
        net.server.storage.contains_key(&alice_doc) && net.server.storage.contains_key(&bob_doc),
        "both documents were created on the server"
    );
    let m1 = write(&mut net, alice, &alice_doc, "안녕하세요, 멘토님", 1_000);
    net.sync_document(alice, &alice_doc);
    let m2 = write(&mut net, bob, &bob_doc, "Hello!", 2_000);
    net.sync_document(bob, &bob_doc);
    assert_eq!(history(&net, alice, &docs), vec![m1.clone(), m2.clone()]);
    assert_eq!(history(&net, bob, &docs), vec![m1.clone(), m2.clone()]);

    // both go offline and both write
    net.disconnect(alice);
    net.disconnect(bob);
    let m3 = write(&mut net, alice, &alice_doc, "offline a", 3_000);
    let m4 = write(&mut net, bob, &bob_doc, "offline b", 2_500);
    let m5 = write(&mut net, alice, &alice_doc, "offline a2", 4_000);
    net.connect(bob);
    net.pump();
    net.connect(alice);
    net.pump();
    let expected = vec![m1, m2, m4, m3, m5];
    assert_eq!(
        history(&net, alice, &docs),
        expected,
        "alice sees all, in time order"
    );
    assert_eq!(
        history(&net, bob, &docs),
        expected,
        "bob sees the same list"
    );
    let stored = Automerge::load(&net.server.storage[&alice_doc].data).expect("stored");
    assert_eq!(read_chat(&stored).expect("read").messages.len(), 3);
}

#[test]
fn a_third_user_gets_doc_unavailable_and_nothing_else() {
    let Room {
        mut net, alice_doc, ..
    } = room();
    let mallory = net.add_client("mallory", None);
    net.clients[mallory].session.request_document(alice_doc);
    net.connect(mallory);
    net.pump();
    assert!(
        events_of(&net, mallory).contains(&ClientEvent::DocumentUnavailable {
            document_id: alice_doc
        })
    );
    assert_eq!(
        net.clients[mallory].session.status(&alice_doc),
        Some(DocStatus::Unavailable)
    );
    let doc = net.clients[mallory]
        .session
        .document(&alice_doc)
        .expect("still open locally");
    assert!(doc.get_heads().is_empty(), "not one change leaked");

    // announcing a copy of alice's document (e.g. from a leaked export) does not help
    let copy = net.server.storage[&alice_doc].data.clone();
    net.clients[mallory].session.close_document(&alice_doc);
    net.clients[mallory]
        .session
        .open_document(alice_doc, Automerge::load(&copy).expect("load"));
    net.sync_document(mallory, &alice_doc);
    assert_eq!(
        net.clients[mallory].session.status(&alice_doc),
        Some(DocStatus::Unavailable)
    );
}

#[test]
fn a_forged_change_to_anothers_document_is_refused_and_not_applied() {
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    } = room();
    write(&mut net, alice, &alice_doc, "real", 1_000);
    net.sync_document(alice, &alice_doc);
    let stored_before = net.server.storage[&alice_doc].data.clone();

    // bob edits his copy of alice's document, posing as alice
    let doc = net.clients[bob]
        .session
        .document_mut(&alice_doc)
        .expect("bob follows alice");
    let mut forged = AutoCommit::load(&doc.save()).expect("load");
    let list = match forged.get(ROOT, "messages").expect("get") {
        Some((_, id)) => id,
        None => panic!("no messages list"),
    };
    let entry = forged
        .insert_object(&list, 1, ObjType::Map)
        .expect("insert");
    forged.put(&entry, "id", "forged-1").expect("put");
    forged.put(&entry, "authorId", "alice").expect("put");
    forged.put(&entry, "text", "I quit").expect("put");
    forged.put(&entry, "sentAt", 2_000).expect("put");
    doc.apply_changes(forged.get_changes(&doc.get_heads()))
        .expect("apply");
    net.sync_document(bob, &alice_doc);

    let refused = events_of(&net, bob).iter().any(|e| {
        matches!(e, ClientEvent::ServerError { message }
            if message.contains("change refused") && message.contains("bob"))
    });
    assert!(refused, "bob is told: {:?}", events_of(&net, bob));
    assert_eq!(
        net.server.storage[&alice_doc].data, stored_before,
        "nothing was stored"
    );
    let server_copy = net.server.docs.heads(&alice_doc).expect("loaded");
    let stored = Automerge::load(&stored_before).expect("load");
    assert_eq!(server_copy, stored.get_heads(), "nothing was applied");
    net.pump();
    let texts: Vec<String> = history(&net, alice, &[alice_doc, bob_doc])
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert_eq!(texts, ["real"], "nothing was forwarded to alice");
    assert!(
        net.server.closed.is_empty(),
        "a refused change does not end the session"
    );
}

#[test]
fn creating_a_document_for_someone_else_or_outside_the_room_is_refused() {
    let mut net = Net::new();
    net.server
        .rooms
        .insert(ROOM.into(), vec![user("alice"), user("bob")]);
    // bob uploads a document whose header says it is alice's
    let bob = net.add_client("bob", None);
    let (alice_doc, mut a) = outbox("alice");
    net.clients[bob]
        .session
        .open_document(alice_doc, a.document().clone());
    net.connect(bob);
    net.pump();
    assert!(!net.server.storage.contains_key(&alice_doc));
    assert!(events_of(&net, bob).iter().any(|e| matches!(e,
        ClientEvent::ServerError { message } if message.contains("creation refused"))));

    // carol is not in the room
    let carol = net.add_client("carol", None);
    let (carol_doc, mut c) = outbox("carol");
    net.clients[carol]
        .session
        .open_document(carol_doc, c.document().clone());
    net.connect(carol);
    net.pump();
    assert!(!net.server.storage.contains_key(&carol_doc));
    assert!(events_of(&net, carol).iter().any(|e| matches!(e,
        ClientEvent::ServerError { message } if message.contains("not a member"))));
}

#[test]
fn a_change_is_acknowledged_and_forwarded_only_after_it_is_stored() {
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    } = room();
    net.server.hold_stores = true;
    let m = write(&mut net, alice, &alice_doc, "durable?", 5_000);
    let sent_before = net.bytes_to_clients;
    net.sync_document(alice, &alice_doc);
    assert_eq!(net.server.held_stores.len(), 1, "one store waits");
    assert_eq!(
        net.bytes_to_clients, sent_before,
        "no acknowledgement to alice, nothing to bob"
    );
    assert!(history(&net, bob, &[alice_doc, bob_doc]).is_empty());
    net.server.release_stores();
    net.pump();
    assert_eq!(history(&net, bob, &[alice_doc, bob_doc]), vec![m]);
    let stored = Automerge::load(&net.server.storage[&alice_doc].data).expect("load");
    assert_eq!(
        stored.get_heads(),
        net.clients[alice]
            .session
            .document(&alice_doc)
            .expect("doc")
            .get_heads()
    );
}

#[test]
fn evicted_documents_reload_and_keep_syncing() {
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    } = room();
    let evicted = net.server.docs.evict_to(0);
    assert!(evicted.contains(&alice_doc) && evicted.contains(&bob_doc));
    assert_eq!(net.server.docs.loaded_count(), 0);
    let m = write(&mut net, alice, &alice_doc, "after eviction", 9_000);
    net.sync_document(alice, &alice_doc);
    assert_eq!(history(&net, bob, &[alice_doc, bob_doc]), vec![m]);
}

#[test]
fn ephemeral_messages_reach_readers_only() {
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        ..
    } = room();
    let mallory = net.add_client("mallory", None);
    net.clients[mallory].session.request_document(alice_doc);
    net.connect(mallory);
    net.pump();
    let frame = net.clients[alice]
        .session
        .ephemeral(&alice_doc, b"typing".to_vec())
        .expect("connected");
    net.send(alice, frame);
    net.pump();
    let got = |c: usize| {
        events_of(&net, c)
            .iter()
            .any(|e| matches!(e, ClientEvent::Ephemeral { data, .. } if data == b"typing"))
    };
    assert!(got(bob), "bob reads alice's document");
    assert!(!got(mallory), "mallory may not");
    assert!(!got(alice), "not echoed to the sender");
}

/// A room where alice's document holds `n` messages (one change each), fully
/// synced to bob.
fn synced_history(n: usize) -> Room {
    let mut r = room();
    let (_, mut history) = outbox("alice");
    for i in 0..n {
        let m = new_message(user("alice"), format!("message {i}"), i as i64);
        append_message(&mut history, &m).expect("append");
    }
    let doc = r.net.clients[r.alice]
        .session
        .document_mut(&r.alice_doc)
        .expect("open");
    doc.apply_changes(history.get_changes(&doc.get_heads()))
        .expect("apply");
    r.net.sync_document(r.alice, &r.alice_doc);
    r
}

#[test]
fn reconnecting_with_persisted_sync_state_sends_only_the_delta() {
    let n = 2_000;
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    } = synced_history(n);
    assert_eq!(history(&net, bob, &[alice_doc, bob_doc]).len(), n);

    // bob goes away; the server persists its sync state, bob exports his
    net.disconnect(bob);
    assert!(
        net.server
            .sync_states
            .keys()
            .any(|k| k.document_id == alice_doc),
        "the server persisted bob's state for alice's document"
    );
    let bob_session = &net.clients[bob].session;
    let bob_state = bob_session.export_sync_state(&alice_doc).expect("state");
    let bob_copy = bob_session.document(&alice_doc).expect("doc").save();
    let bob_storage = bob_session.metadata().storage_id.clone();

    write(&mut net, alice, &alice_doc, "one more", 1_000_000);
    net.sync_document(alice, &alice_doc);

    // 1. bob restarts: same storage id, document and sync state from disk
    let resumed = net.add_client("bob", bob_storage);
    let s = &mut net.clients[resumed].session;
    s.open_document(alice_doc, Automerge::load(&bob_copy).expect("load"));
    s.import_sync_state(&alice_doc, &bob_state).expect("import");
    net.sync_payload.clear();
    net.sync_messages.clear();
    let (up, down) = net.connect_and_measure(resumed);
    let delta = net.sync_payload[&alice_doc];
    let delta_first = net.sync_messages[&alice_doc][0];
    assert_eq!(history(&net, resumed, &[alice_doc]).len(), n + 1);

    // 2. the same document on a client with no sync state on either side
    let fresh = net.add_client("bob", Some(StorageId::random()));
    let s = &mut net.clients[fresh].session;
    s.open_document(alice_doc, Automerge::load(&bob_copy).expect("load"));
    net.sync_payload.clear();
    net.sync_messages.clear();
    let (up_fresh, down_fresh) = net.connect_and_measure(fresh);
    let full = net.sync_payload[&alice_doc];
    let full_first = net.sync_messages[&alice_doc][0];
    assert_eq!(history(&net, fresh, &[alice_doc]).len(), n + 1);

    let numbers = format!(
        "sync messages: {delta} bytes with persisted state (first {delta_first}), \
         {full} without (first {full_first}); frames {up}+{down} vs {up_fresh}+{down_fresh}"
    );
    // Without state the opening message carries a Bloom filter over all n
    // changes (~1.25 bytes each); with state, only over changes since the
    // last sync (none), so what remains is the one new change itself.
    assert!(delta_first * 10 < full_first, "{numbers}");
    assert!(delta * 3 < full, "{numbers}");
}

#[test]
fn bad_frames_close_that_connection_and_the_server_keeps_serving_others() {
    let Room {
        mut net,
        alice,
        bob,
        alice_doc,
        bob_doc,
    } = room();
    let mallory = net.add_client("mallory", None);
    net.connect(mallory);
    net.pump();
    let conn = net.clients[mallory].connection.expect("connected");

    for (frame, expect) in [
        (vec![0xa1, 0x61], "malformed CBOR"),
        (vec![0x42, 0x00, 0x01], "must be a CBOR map"),
        (vec![0u8; 2 * 1024 * 1024], "exceeds the limit"),
    ] {
        let user = net.clients[mallory].user.clone();
        let c = net.server.connect(&user);
        net.server.receive(
            c,
            &RepoMessage::Join {
                sender_id: tutti_sync::PeerId::random(),
                peer_metadata: None,
                supported_protocol_versions: Some(vec!["1".into()]),
            }
            .encode(),
        );
        net.server.outbox.remove(&c);
        net.server.receive(c, &frame);
        let reply = net.server.outbox.remove(&c).expect("an error frame");
        let Ok(RepoMessage::Error { message, .. }) = RepoMessage::decode(&reply[0]) else {
            panic!("expected an error message for {expect}");
        };
        assert!(message.contains(expect), "{message}");
        assert!(net.server.closed.contains_key(&c), "closed after {expect}");
    }

    // a sync message whose data is not an Automerge sync message: error, not closed
    let frame = RepoMessage::Sync {
        sender_id: net.clients[mallory].session.peer_id().clone(),
        target_id: net.server.identity.peer_id.clone(),
        document_id: alice_doc,
        data: vec![1, 2, 3],
    }
    .encode();
    net.send(mallory, frame);
    net.pump();
    assert!(!net.server.closed.contains_key(&conn));

    // everyone else is still served
    let m = write(&mut net, alice, &alice_doc, "still here", 1);
    net.sync_document(alice, &alice_doc);
    assert_eq!(history(&net, bob, &[alice_doc, bob_doc]), vec![m]);
}

#[test]
fn the_handshake_is_enforced() {
    let mut net = Net::new();
    let c = net.server.connect(&user("alice"));
    let sync_first = RepoMessage::Leave {
        sender_id: tutti_sync::PeerId::random(),
    }
    .encode();
    net.server.receive(c, &sync_first);
    assert!(net.server.closed[&c].contains("expected `join` first"));

    let c = net.server.connect(&user("alice"));
    net.server.receive(
        c,
        &RepoMessage::Join {
            sender_id: tutti_sync::PeerId::random(),
            peer_metadata: None,
            supported_protocol_versions: Some(vec!["2".into()]),
        }
        .encode(),
    );
    assert_eq!(net.server.closed[&c], "unsupported protocol version");

    // after join, another sender id on the same connection is refused
    let c = net.server.connect(&user("alice"));
    let joined = tutti_sync::PeerId::random();
    net.server.receive(
        c,
        &RepoMessage::Join {
            sender_id: joined.clone(),
            peer_metadata: None,
            supported_protocol_versions: None,
        }
        .encode(),
    );
    let peer = net.server.outbox.remove(&c).expect("peer reply");
    assert!(matches!(
        RepoMessage::decode(&peer[0]),
        Ok(RepoMessage::Peer { ref target_id, ref selected_protocol_version, .. })
            if *target_id == joined && selected_protocol_version == "1"
    ));
    net.server.receive(
        c,
        &RepoMessage::Leave {
            sender_id: tutti_sync::PeerId::random(),
        }
        .encode(),
    );
    assert!(net.server.closed[&c].contains("is not the joined peer"));
}

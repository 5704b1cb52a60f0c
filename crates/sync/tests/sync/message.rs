//! Wire format: byte-exact frames as automerge-repo's JS writes them, round
//! trips of every message type, and refusals of bad input.

use tutti_sync::message::DEFAULT_MAX_MESSAGE_BYTES;
use tutti_sync::{
    DocumentId, PeerId, PeerMetadata, ProtocolError, RemoteHeads, RepoMessage, StorageId,
};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn text(s: &str) -> Vec<u8> {
    assert!(s.len() < 256);
    let mut out = if s.len() < 24 {
        vec![0x60 | s.len() as u8]
    } else {
        vec![0x78, s.len() as u8]
    };
    out.extend_from_slice(s.as_bytes());
    out
}

fn peer(s: &str) -> PeerId {
    PeerId::new(s).expect("peer id")
}

/// The bytes automerge-repo's `WebSocketClientAdapter.join()` sends.
///
/// Shape: `joinMessage()` in
/// packages/automerge-repo-network-websocket/src/WebSocketClientAdapter.ts builds
/// `{type: "join", senderId, peerMetadata, supportedProtocolVersions: [ProtocolV1]}`
/// (ProtocolV1 = "1", protocolVersion.ts); `peerMetadata` is the repo's
/// `{storageId, isEphemeral}` (packages/automerge-repo/src/Repo.ts). Encoding:
/// packages/automerge-repo/src/helpers/cbor.ts uses cbor-x's
/// `new Encoder({tagUint8Array: false, useRecords: false})`, whose `writeObject`
/// always writes a map16 header (0xb9 + 2-byte count) and keeps key order.
fn js_join_frame(storage: Option<&str>, ephemeral: bool) -> Vec<u8> {
    let mut f = vec![0xb9, 0x00, 0x04];
    f.extend(text("type"));
    f.extend(text("join"));
    f.extend(text("senderId"));
    f.extend(text("peer-abc123"));
    f.extend(text("peerMetadata"));
    f.extend([0xb9, 0x00, 0x02]);
    f.extend(text("storageId"));
    match storage {
        Some(s) => f.extend(text(s)),
        None => f.push(0xf7), // cbor-x writes `undefined` as simple value 23
    }
    f.extend(text("isEphemeral"));
    f.push(if ephemeral { 0xf5 } else { 0xf4 });
    f.extend(text("supportedProtocolVersions")); // 25 bytes: 0x78 0x19 header
    f.extend([0x81, 0x61, b'1']);
    f
}

#[test]
fn decodes_a_byte_exact_join_from_automerge_repo_js() {
    let frame = js_join_frame(Some("3760df37-a4c6-4f66-9ecd-732039a9385c"), false);
    // Cross-checked: @automerge/automerge-repo 2.5.6 `cbor.encode` of that object
    // produced exactly these bytes.
    assert_eq!(
        frame,
        hex(
            "b900046474797065646a6f696e6873656e64657249646b706565722d6162633132336c7065\
             65724d65746164617461b900026973746f726167654964782433373630646633372d613463\
             362d346636362d396563642d3733323033396139333835636b6973457068656d6572616cf4\
             7819737570706f7274656450726f746f636f6c56657273696f6e73816131"
        )
    );
    assert_eq!(
        RepoMessage::decode(&frame),
        Ok(RepoMessage::Join {
            sender_id: peer("peer-abc123"),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some(
                    StorageId::new("3760df37-a4c6-4f66-9ecd-732039a9385c").expect("id")
                ),
                is_ephemeral: false,
            }),
            supported_protocol_versions: Some(vec!["1".into()]),
        })
    );
}

#[test]
fn decodes_a_join_whose_storage_id_is_undefined() {
    let frame = js_join_frame(None, true);
    let Ok(RepoMessage::Join { peer_metadata, .. }) = RepoMessage::decode(&frame) else {
        panic!("not a join");
    };
    assert_eq!(
        peer_metadata,
        Some(PeerMetadata {
            storage_id: None,
            is_ephemeral: true
        })
    );
}

#[test]
fn document_ids_match_automerge_repo_bs58check() {
    // `stringifyAutomergeUrl({documentId: bytes})` in automerge-repo 2.5.6 for
    // bytes 0x00, 0x11, …, 0xff gave "automerge:148vjpuxYXixb8DcbaWyeGv2q3u".
    let bytes: [u8; 16] = std::array::from_fn(|i| (i as u8) * 17);
    let id = DocumentId::from_bytes(bytes);
    assert_eq!(id.to_url(), "automerge:148vjpuxYXixb8DcbaWyeGv2q3u");
    assert_eq!(DocumentId::parse("148vjpuxYXixb8DcbaWyeGv2q3u"), Ok(id));
}

#[test]
fn decodes_a_js_sync_frame_in_its_key_order() {
    // automerge-repo 2.5.6 `cbor.encode({type, targetId, documentId, data, senderId})`
    let frame = hex(
        "b9000564747970656473796e63687461726765744964667365727665726a646f63756d656e\
         744964781b313438766a707578595869786238446362615779654776327133756464617461\
         464200000100006873656e64657249646b706565722d616263313233",
    );
    assert_eq!(
        RepoMessage::decode(&frame),
        Ok(RepoMessage::Sync {
            sender_id: peer("peer-abc123"),
            target_id: peer("server"),
            document_id: DocumentId::parse("148vjpuxYXixb8DcbaWyeGv2q3u").expect("id"),
            data: vec![0x42, 0, 0, 1, 0, 0],
        })
    );
}

#[test]
fn decodes_js_remote_heads_with_a_float64_timestamp() {
    // cbor-x writes Date.now()-sized numbers (> 2^32) as float64 (0xfb …)
    let mut frame = vec![0xb9, 0x00, 0x05];
    for (k, v) in [
        ("type", "remote-heads-changed"),
        ("senderId", "a"),
        ("targetId", "b"),
        ("documentId", "148vjpuxYXixb8DcbaWyeGv2q3u"),
    ] {
        frame.extend(text(k));
        frame.extend(text(v));
    }
    frame.extend(text("newHeads"));
    frame.extend([0xb9, 0x00, 0x01]);
    frame.extend(text("st-1"));
    frame.extend([0xb9, 0x00, 0x02]);
    frame.extend(text("heads"));
    frame.extend([0x81, 0x62, b'a', b'b']);
    frame.extend(text("timestamp"));
    frame.push(0xfb);
    frame.extend(1_764_000_000_000f64.to_be_bytes());
    let Ok(RepoMessage::RemoteHeadsChanged { new_heads, .. }) = RepoMessage::decode(&frame) else {
        panic!("not remote-heads-changed");
    };
    assert_eq!(
        new_heads,
        vec![(
            StorageId::new("st-1").expect("id"),
            RemoteHeads {
                heads: vec!["ab".into()],
                timestamp: 1_764_000_000_000
            }
        )]
    );
}

fn every_message_type() -> Vec<RepoMessage> {
    let doc = DocumentId::random();
    let (a, b) = (peer("peer-a"), peer("server"));
    let storage = StorageId::random();
    vec![
        RepoMessage::Join {
            sender_id: a.clone(),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some(storage.clone()),
                is_ephemeral: false,
            }),
            supported_protocol_versions: Some(vec!["1".into()]),
        },
        RepoMessage::Join {
            sender_id: a.clone(),
            peer_metadata: None,
            supported_protocol_versions: None,
        },
        RepoMessage::Peer {
            sender_id: b.clone(),
            target_id: a.clone(),
            peer_metadata: Some(PeerMetadata::default()),
            selected_protocol_version: "1".into(),
        },
        RepoMessage::Error {
            sender_id: Some(b.clone()),
            target_id: Some(a.clone()),
            message: "unsupported protocol version".into(),
        },
        RepoMessage::Error {
            sender_id: None,
            target_id: None,
            message: "bare".into(),
        },
        RepoMessage::Leave {
            sender_id: a.clone(),
        },
        RepoMessage::Request {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc,
            data: vec![0x42; 300],
        },
        RepoMessage::Sync {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc,
            data: vec![7; 70_000],
        },
        RepoMessage::DocUnavailable {
            sender_id: b.clone(),
            target_id: a.clone(),
            document_id: doc,
        },
        RepoMessage::Ephemeral {
            sender_id: a.clone(),
            target_id: b.clone(),
            document_id: doc,
            session_id: "s".into(),
            count: u64::from(u32::MAX) + 5,
            data: vec![1, 2, 3],
        },
        RepoMessage::RemoteSubscriptionChange {
            sender_id: a.clone(),
            target_id: b.clone(),
            add: vec![storage.clone()],
            remove: vec![],
        },
        RepoMessage::RemoteHeadsChanged {
            sender_id: a,
            target_id: b,
            document_id: doc,
            new_heads: vec![(
                storage,
                RemoteHeads {
                    heads: vec!["00ff".into(), "aa".into()],
                    timestamp: 1_764_000_000_000,
                },
            )],
        },
    ]
}

#[test]
fn every_message_type_round_trips() {
    let messages = every_message_type();
    let types: std::collections::BTreeSet<&str> =
        messages.iter().map(RepoMessage::message_type).collect();
    assert_eq!(
        types.len(),
        10,
        "all ten message types are covered: {types:?}"
    );
    for message in messages {
        let frame = message.encode();
        assert_eq!(
            RepoMessage::decode(&frame).as_ref(),
            Ok(&message),
            "{}",
            message.message_type()
        );
    }
}

fn single_field_map(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut f = vec![0xa0 | entries.len() as u8];
    for (k, v) in entries {
        f.extend(text(k));
        f.extend(v);
    }
    f
}

#[test]
fn malformed_cbor_is_a_protocol_error() {
    let mut truncated = RepoMessage::Leave {
        sender_id: peer("p"),
    }
    .encode();
    truncated.pop();
    for (bytes, what) in [
        (truncated, "truncated"),
        (vec![0xff], "a lone break"),
        (vec![0x1c], "reserved additional info"),
        (vec![], "empty frame"),
    ] {
        let err = RepoMessage::decode(&bytes).expect_err(what);
        assert!(
            matches!(err, ProtocolError::MalformedCbor { .. }),
            "{what}: {err}"
        );
    }
    assert!(matches!(
        RepoMessage::decode(&[0x83, 1, 2, 3]),
        Err(ProtocolError::NotAMap { .. })
    ));
    let mut trailing = RepoMessage::Leave {
        sender_id: peer("p"),
    }
    .encode();
    trailing.push(0);
    assert_eq!(
        RepoMessage::decode(&trailing),
        Err(ProtocolError::TrailingBytes { count: 1 })
    );
}

#[test]
fn wrong_field_types_name_the_field() {
    let frame = single_field_map(&[
        ("type", text("sync")),
        ("senderId", text("a")),
        ("targetId", text("b")),
        ("documentId", text(&DocumentId::random().encode())),
        ("data", text("not bytes")),
    ]);
    assert_eq!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::WrongType {
            field: "data".into(),
            expected: "bytes",
            found: "text".into()
        })
    );
    let frame = single_field_map(&[("type", vec![0x05])]);
    assert_eq!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::WrongType {
            field: "type".into(),
            expected: "text",
            found: "unsigned integer".into()
        })
    );
    let frame = single_field_map(&[
        ("type", text("join")),
        ("senderId", text("a")),
        (
            "peerMetadata",
            single_field_map(&[("isEphemeral", text("no"))]),
        ),
    ]);
    let err = RepoMessage::decode(&frame).expect_err("bad isEphemeral");
    assert!(
        err.to_string().contains("peerMetadata.isEphemeral"),
        "{err}"
    );
}

#[test]
fn missing_fields_unknown_types_and_bad_ids_are_named() {
    let frame = single_field_map(&[("type", text("sync")), ("senderId", text("a"))]);
    assert_eq!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::MissingField {
            message_type: "sync".into(),
            field: "targetId"
        })
    );
    let frame = single_field_map(&[("type", text("teleport"))]);
    assert_eq!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::UnknownType("teleport".into()))
    );
    let frame = single_field_map(&[("senderId", text("a"))]);
    assert!(matches!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::MissingField { field: "type", .. })
    ));
    let frame = single_field_map(&[
        ("type", text("doc-unavailable")),
        ("senderId", text("a")),
        ("targetId", text("b")),
        ("documentId", text("not-a-document-id")),
    ]);
    assert!(matches!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::InvalidDocumentId { .. })
    ));
    let frame = single_field_map(&[("type", text("leave")), ("senderId", text(""))]);
    assert!(matches!(
        RepoMessage::decode(&frame),
        Err(ProtocolError::InvalidField { ref field, .. }) if field == "senderId"
    ));
}

#[test]
fn oversized_messages_are_refused_before_decoding() {
    let big = RepoMessage::Sync {
        sender_id: peer("a"),
        target_id: peer("b"),
        document_id: DocumentId::random(),
        data: vec![0; 2048],
    }
    .encode();
    assert!(matches!(
        RepoMessage::decode_with_limit(&big, 1024),
        Err(ProtocolError::TooLarge { limit: 1024, .. })
    ));
    // even garbage is refused for its size alone
    let junk = vec![0xffu8; DEFAULT_MAX_MESSAGE_BYTES + 1];
    assert!(matches!(
        RepoMessage::decode(&junk),
        Err(ProtocolError::TooLarge { .. })
    ));
}

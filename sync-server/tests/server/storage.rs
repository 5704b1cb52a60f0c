//! The storage trait's document, change, snapshot, peer-state and notification
//! methods (the ones sync will use), on a real SQLite file; `postgres` runs the
//! same checks on PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use tutti_sync_server::storage::{DocumentRecord, NewUser, SqliteStorage, Storage};

async fn new_user(s: &dyn Storage, name: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    let email = crate::support::unique_email(name);
    s.create_user(&NewUser {
        id: id.clone(),
        email: email.clone(),
        email_normalized: email,
        password_hash: "$argon2id$test".into(),
        name: name.into(),
        gender: "other".into(),
        birthdate: "2000-01-01".into(),
        created_at: 1,
    })
    .await
    .unwrap();
    id
}

/// Documents, members, changes, compaction and peer states.
pub async fn document_store(s: Arc<dyn Storage>) {
    let owner = new_user(&*s, "Owner").await;
    let reader = new_user(&*s, "Reader").await;
    let stranger = new_user(&*s, "Stranger").await;
    let doc_id = format!("doc-{}", uuid::Uuid::new_v4().simple());
    let doc = DocumentRecord {
        id: doc_id.clone(),
        owner_id: owner.clone(),
        kind: "chat_outbox".into(),
        members: vec![reader.clone()],
        created_at: 5,
    };
    s.create_document(&doc).await.unwrap();
    assert!(matches!(
        s.create_document(&doc).await,
        Err(tutti_sync_server::Error::DocumentExists)
    ));
    assert_eq!(s.document(&doc_id).await.unwrap().unwrap(), doc);
    assert!(s.document("missing").await.unwrap().is_none());
    assert_eq!(
        s.documents_visible_to(&reader).await.unwrap(),
        std::slice::from_ref(&doc_id)
    );
    assert_eq!(
        s.documents_visible_to(&owner).await.unwrap(),
        std::slice::from_ref(&doc_id)
    );
    assert!(s.documents_visible_to(&stranger).await.unwrap().is_empty());

    let mut members = vec![reader.clone(), stranger.clone()];
    members.sort();
    s.set_document_members(&doc_id, &members).await.unwrap();
    assert_eq!(s.document(&doc_id).await.unwrap().unwrap().members, members);
    s.set_document_members(&doc_id, &[]).await.unwrap();
    assert!(s.documents_visible_to(&reader).await.unwrap().is_empty());
    assert!(s.set_document_members("missing", &[]).await.is_err());
    assert!(
        s.set_document_members(&doc_id, &["no-such-user".to_owned()])
            .await
            .is_err(),
        "members must be users"
    );

    // Changes get increasing sequence numbers; a known hash is not stored twice.
    assert_eq!(
        s.append_change(&doc_id, "h1", &owner, b"one", 10)
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        s.append_change(&doc_id, "h2", &owner, b"two", 11)
            .await
            .unwrap(),
        Some(2)
    );
    assert_eq!(
        s.append_change(&doc_id, "h1", &owner, b"one", 12)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.append_change(&doc_id, "h3", &owner, b"three", 13)
            .await
            .unwrap(),
        Some(3)
    );
    assert!(
        s.append_change("missing", "h", &owner, b"x", 1)
            .await
            .is_err()
    );
    let all = s.changes_since(&doc_id, 0).await.unwrap();
    let hashes: Vec<&str> = all.iter().map(|c| c.change_hash.as_str()).collect();
    assert_eq!(hashes, ["h1", "h2", "h3"]);
    assert_eq!(all[1].bytes, b"two");
    assert_eq!(s.changes_since(&doc_id, 2).await.unwrap().len(), 1);

    // Compaction replaces changes up to a point with one snapshot.
    assert!(s.snapshot(&doc_id).await.unwrap().is_none());
    assert!(
        s.compact_document(&doc_id, b"snap", 9, 20).await.is_err(),
        "cannot snapshot the future"
    );
    s.compact_document(&doc_id, b"snap-1-2", 2, 20)
        .await
        .unwrap();
    let snap = s.snapshot(&doc_id).await.unwrap().unwrap();
    assert_eq!(
        (snap.bytes.as_slice(), snap.up_to_seq),
        (&b"snap-1-2"[..], 2)
    );
    let rest = s.changes_since(&doc_id, 0).await.unwrap();
    assert_eq!(rest.iter().map(|c| c.seq).collect::<Vec<_>>(), [3]);
    assert_eq!(
        s.append_change(&doc_id, "h4", &owner, b"four", 21)
            .await
            .unwrap(),
        Some(4),
        "numbering continues after compaction"
    );

    // Peer sync state, per user, peer and document.
    assert!(
        s.peer_state(&reader, "peer-a", &doc_id)
            .await
            .unwrap()
            .is_none()
    );
    s.save_peer_state(&reader, "peer-a", &doc_id, b"state-1", 30)
        .await
        .unwrap();
    s.save_peer_state(&reader, "peer-a", &doc_id, b"state-2", 31)
        .await
        .unwrap();
    assert_eq!(
        s.peer_state(&reader, "peer-a", &doc_id)
            .await
            .unwrap()
            .unwrap(),
        b"state-2"
    );
    assert!(
        s.peer_state(&stranger, "peer-a", &doc_id)
            .await
            .unwrap()
            .is_none(),
        "keyed by user too"
    );
    assert!(
        s.save_peer_state(&reader, "peer-a", "missing", b"x", 1)
            .await
            .is_err()
    );
}

/// A notification reaches a subscriber of `to`, sent by `from`.
pub async fn notification_arrives(from: &dyn Storage, to: &dyn Storage) {
    let mut rx = to.subscribe_changes();
    let doc = format!("doc-{}", uuid::Uuid::new_v4().simple());
    from.notify_change(&doc).await.unwrap();
    // A generous bound so a broken LISTEN fails the test instead of hanging it.
    let got = loop {
        let n = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("a notification within 30 s")
            .unwrap();
        if n.doc_id == doc {
            break n;
        }
    };
    assert_eq!(got.origin, from.instance_id());
}

/// An account the server runs: created, then rewritten by id (its
/// `created_at` kept); another account's email is refused.
pub async fn service_user(s: &dyn Storage) {
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let email = format!("service-{tag}@tutti.invalid");
    let mut user = NewUser {
        id: format!("service-{tag}"),
        email: email.clone(),
        email_normalized: email.clone(),
        password_hash: "!".into(),
        name: "Tutti AI".into(),
        gender: "other".into(),
        birthdate: String::new(),
        created_at: 7,
    };
    s.put_service_user(&user).await.unwrap();
    user.name = "튜티 도우미".into();
    user.created_at = 8;
    s.put_service_user(&user).await.unwrap();
    let stored = s.user_by_email(&email).await.unwrap().expect("created");
    assert_eq!(
        (stored.id.as_str(), stored.name.as_str()),
        (user.id.as_str(), "튜티 도우미")
    );
    assert_eq!(stored.created_at, 7, "a rewrite keeps the creation time");
    let person = new_user(s, "Person").await;
    let taken = s.user_by_id(&person).await.unwrap().unwrap().email;
    user.email_normalized = taken.clone();
    user.email = taken;
    assert!(matches!(
        s.put_service_user(&user).await,
        Err(tutti_sync_server::Error::EmailTaken)
    ));
}

#[tokio::test]
async fn sqlite_service_user() {
    let s = SqliteStorage::open_in_memory().unwrap();
    service_user(&s).await;
}

#[tokio::test]
async fn sqlite_document_store() {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStorage::open(&dir.path().join("s.sqlite3"))
        .await
        .unwrap();
    document_store(Arc::new(s)).await;
}

#[tokio::test]
async fn sqlite_notifications_stay_in_process() {
    let s = SqliteStorage::open_in_memory().unwrap();
    notification_arrives(&s, &s).await;
}

#[tokio::test]
async fn sqlite_data_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    let s = SqliteStorage::open(&path).await.unwrap();
    let id = new_user(&s, "Durable").await;
    drop(s);
    let s = SqliteStorage::open(&path).await.unwrap();
    assert_eq!(s.user_by_id(&id).await.unwrap().unwrap().name, "Durable");
}

//! Pseudonymity: the stored events carry HMAC-SHA256(key, user id), never
//! the user id, with a generated key kept in the store or a configured one.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tutti_sync_server::Secret;

use super::{click, guitar, now_ms, post_events, view};
use crate::support::TestServer;

fn hmac_hex(key: &[u8], user_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    mac.update(user_id.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every text value of every row of `table`.
fn texts(db: &rusqlite::Connection, table: &str) -> Vec<String> {
    let mut stmt = db.prepare(&format!("SELECT * FROM {table}")).unwrap();
    let columns = stmt.column_count();
    let mut out = Vec::new();
    let mut rows = stmt.query([]).unwrap();
    while let Some(row) = rows.next().unwrap() {
        for i in 0..columns {
            if let Ok(text) = row.get::<_, String>(i) {
                out.push(text);
            }
        }
    }
    out
}

#[tokio::test]
async fn events_are_stored_under_a_pseudonym_never_the_user_id() {
    let server = TestServer::start().await;
    let (ann, ann_token) = server.user("Ann", "female").await;
    let (bob, bob_token) = server.user("Bob", "male").await;
    let guitar = guitar();
    let now = now_ms();
    post_events(&server, &ann_token, vec![click(&guitar[0], now)]).await;
    post_events(&server, &ann_token, vec![click(&guitar[1], now)]).await;
    post_events(&server, &bob_token, vec![view(&guitar[0], now)]).await;
    let path = server.sqlite_path();
    let _dir = server.stop().await;

    let db = rusqlite::Connection::open(path).unwrap();
    let columns: Vec<String> = db
        .prepare("SELECT name FROM pragma_table_info('course_events')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !columns.iter().any(|c| c.contains("user")),
        "no user column: {columns:?}"
    );
    let values = texts(&db, "course_events");
    assert!(
        !values.iter().any(|v| v.contains(&ann) || v.contains(&bob)),
        "no user id in any event: {values:?}"
    );
    let key: Vec<u8> = db
        .query_row(
            "SELECT value FROM server_secrets WHERE name = 'pseudonym'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(key.len(), 32, "a generated 32-byte key");
    let pseudonyms: Vec<String> = db
        .prepare("SELECT pseudonym FROM course_events ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (p_ann, p_bob) = (hmac_hex(&key, &ann), hmac_hex(&key, &bob));
    assert_eq!(
        pseudonyms,
        [p_ann.clone(), p_ann, p_bob],
        "HMAC-SHA256(key, user id): one pseudonym per learner across uploads"
    );
}

#[tokio::test]
async fn a_configured_pseudonym_secret_is_used_and_a_short_one_refused() {
    let secret = "a-pseudonym-secret-kept-outside-the-database";
    let (server, state) = TestServer::start_with_state(|c| {
        c.pseudonym_secret = Some(Secret::new(secret));
    })
    .await;
    let (ann, token) = server.user("Ann", "female").await;
    post_events(&server, &token, vec![click(&guitar()[0], now_ms())]).await;
    let totals = state.storage.course_event_totals().await.unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0].pseudonym, hmac_hex(secret.as_bytes(), &ann));
    server.stop().await;

    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = crate::support::test_config(listener.local_addr().unwrap(), dir.path().into());
    config.pseudonym_secret = Some(Secret::new("too-short"));
    let err = tutti_sync_server::serve(config, listener, std::future::pending::<()>())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            tutti_sync_server::Error::PseudonymSecretTooShort { .. }
        ),
        "{err}"
    );
}

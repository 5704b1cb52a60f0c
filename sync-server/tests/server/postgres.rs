//! The same flows on a real PostgreSQL server, plus what only a shared store
//! has: two instances on one database (LISTEN/NOTIFY, shared sessions, a
//! capacity race). Run with:
//!   URL=$(sync-server/scripts/start-test-postgres.sh /tmp/tutti-test-pg 5433 tutti_test | tail -n1)
//!   TUTTI_TEST_DATABASE_URL=$URL cargo test -p tutti-sync-server --test server -- --ignored

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use tutti_sync_server::storage::{CourseEvents, PostgresStorage};

use crate::support::{TestServer, expect_json, postgres_url, unique_hobby};

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_account_flow() {
    let server = TestServer::postgres(&postgres_url()).await;
    crate::accounts::account_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_matching_flow() {
    let server = TestServer::postgres(&postgres_url()).await;
    crate::matches::matching_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_document_store() {
    let s = PostgresStorage::connect(&postgres_url()).await.unwrap();
    crate::storage::document_store(Arc::new(s)).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_notify_reaches_another_instance() {
    let url = postgres_url();
    let (a, b) = tokio::join!(
        PostgresStorage::connect(&url),
        PostgresStorage::connect(&url)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(
        tutti_sync_server::Storage::instance_id(&a),
        tutti_sync_server::Storage::instance_id(&b)
    );
    crate::storage::notification_arrives(&a, &b).await;
    crate::storage::notification_arrives(&b, &a).await;
    crate::storage::notification_arrives(&a, &a).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_two_servers_share_accounts_and_sessions() {
    let url = postgres_url();
    let one = TestServer::postgres(&url).await;
    let two = TestServer::postgres(&url).await;
    let (_, email) = one.signup("Shared", "female").await;
    let tokens = two.login(&email).await;
    let access = tokens["access_token"].as_str().unwrap();
    expect_json(one.get("/api/v1/me", Some(access)).await, StatusCode::OK).await;
    let out = one
        .http
        .delete(one.url("/api/v1/sessions"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        two.get("/api/v1/me", Some(access)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    one.stop().await;
    two.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_concurrent_accepts_on_two_servers_respect_capacity() {
    let url = postgres_url();
    let one = TestServer::postgres(&url).await;
    let two = TestServer::postgres(&url).await;
    let hobby = unique_hobby();
    let (mentor_id, mentor) = one.user("RaceMentor", "male").await;
    let survey = json!({"role": "mentor", "hobby": hobby, "gender": "male", "age_group": "40s",
        "location": "서울", "activity_level": "low", "level": 5, "capacity": 1});
    expect_json(
        one.put("/api/v1/survey", &survey, &mentor).await,
        StatusCode::OK,
    )
    .await;
    let mut match_ids = Vec::new();
    for name in ["RaceA", "RaceB", "RaceC", "RaceD"] {
        let (_, token) = one.user(name, "female").await;
        let s = json!({"role": "mentee", "hobby": hobby, "gender": "female", "age_group": "20s",
            "location": "서울", "activity_level": "low", "level": 1});
        expect_json(one.put("/api/v1/survey", &s, &token).await, StatusCode::OK).await;
        let m = expect_json(
            one.post(
                "/api/v1/matches",
                &json!({"mentor_id": mentor_id}),
                Some(&token),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        match_ids.push(m["id"].as_str().unwrap().to_owned());
    }
    // Accept all four at once, alternating servers.
    let empty = json!({});
    let paths: Vec<String> = match_ids
        .iter()
        .map(|id| format!("/api/v1/matches/{id}/accept"))
        .collect();
    let accepts = paths.iter().enumerate().map(|(i, path)| {
        let server = if i % 2 == 0 { &one } else { &two };
        server.post(path, &empty, Some(&mentor))
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(accepts)
        .await
        .into_iter()
        .map(|r| r.status())
        .collect();
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let full = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (ok, full),
        (1, 3),
        "capacity 1 holds under concurrency: {statuses:?}"
    );
    one.stop().await;
    two.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_two_servers_relay_sync_changes_live() {
    use crate::sync::{SyncClient, accepted_room, device, doc_id, messages, open_own, pump, write};
    let url = postgres_url();
    let one = TestServer::postgres(&url).await;
    let two = TestServer::postgres(&url).await;
    let (mentor, mentee, room) = accepted_room(&one).await;
    let mentor_doc = doc_id(&room, &mentor);

    // the mentee, on instance two, asks before the document exists anywhere
    let mut reader = device();
    reader.request_document(mentor_doc);
    let mut e = SyncClient::connect(two.addr, &mentee.token, reader).await;
    pump(&mut [&mut e], "not there yet", |c| {
        c[0].unavailable.contains(&mentor_doc)
    })
    .await;

    // the mentor, on instance one, creates it and writes
    let mut writer = device();
    open_own(&mut writer, &room, &mentor);
    write(
        &mut writer,
        &mentor_doc,
        &mentor,
        "from instance one",
        1_000,
    );
    let mut m = SyncClient::connect(one.addr, &mentor.token, writer).await;
    m.push(&mentor_doc).await;
    pump(
        &mut [&mut m, &mut e],
        "the creation reaches instance two",
        |c| messages(&c[1].session, &mentor_doc).len() == 1,
    )
    .await;

    // now loaded on both instances: a live message crosses over too
    write(&mut m.session, &mentor_doc, &mentor, "and another", 2_000);
    m.push(&mentor_doc).await;
    pump(
        &mut [&mut m, &mut e],
        "the live message reaches instance two",
        |c| messages(&c[1].session, &mentor_doc).len() == 2,
    )
    .await;
    let texts: Vec<String> = messages(&e.session, &mentor_doc)
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert_eq!(texts, ["from instance one", "and another"]);
    drop((m, e));
    one.stop().await;
    two.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_community_threads_and_search() {
    let server = TestServer::postgres(&postgres_url()).await;
    crate::community::two_answers_flow(&server).await;
    crate::community::search_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_course_events_train_a_model() {
    let url = postgres_url();
    let (server, state) = TestServer::start_with_state(move |c| {
        c.database_url = Some(tutti_sync_server::Secret::new(url));
    })
    .await;
    crate::courses::event_and_train_flow(&server, &state).await;
    server.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_deleted_course_events_leave_the_model() {
    let url = postgres_url();
    let (server, state) = TestServer::start_with_state(move |c| {
        c.database_url = Some(tutti_sync_server::Secret::new(url));
    })
    .await;
    crate::courses::deletion::deleted_clicks_leave_the_model(&server, &state).await;
    server.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_course_events_are_deleted_and_pruned() {
    let s = PostgresStorage::connect(&postgres_url()).await.unwrap();
    let (first, second) = crate::courses::deletion::deletion_and_pruning_in_storage(&s).await;
    assert!(second.generation > first.generation, "{first:?} {second:?}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_instances_share_one_pseudonym_key() {
    let url = postgres_url();
    let (a, b) = tokio::join!(
        PostgresStorage::connect(&url),
        PostgresStorage::connect(&url)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let (ka, kb) = tokio::join!(
        a.server_secret("pseudonym", &[1; 32], 0),
        b.server_secret("pseudonym", &[2; 32], 0)
    );
    assert_eq!(
        ka.unwrap(),
        kb.unwrap(),
        "the first stored key wins for every instance"
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_service_user() {
    let s = PostgresStorage::connect(&postgres_url()).await.unwrap();
    crate::storage::service_user(&s).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set TUTTI_TEST_DATABASE_URL; scripts/test.sh starts one"]
async fn postgres_community_assistant_answers() {
    use crate::community::assistant::{KEY, labelled_answer_flow, with_assistant};
    use crate::community::provider::{Behaviour, FakeProvider};
    let provider = FakeProvider::start(Behaviour::Status(500)).await;
    let url = postgres_url();
    let configure = with_assistant(&provider, Some(KEY));
    // the assistant's account is ensured by every start (and earlier runs)
    let server = TestServer::start_with(move |c| {
        configure(c);
        c.database_url = Some(tutti_sync_server::Secret::new(url));
    })
    .await;
    labelled_answer_flow(&server, &provider).await;
    server.stop().await;
}

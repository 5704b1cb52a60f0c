//! Learners delete the course events they shared: `DELETE
//! /api/v1/course-events`, its effect on the served model, and the storage's
//! delete and prune on both backends (`postgres` runs
//! [`deletion_and_pruning_in_storage`] and [`deleted_clicks_leave_the_model`]
//! on PostgreSQL). Expiry by the training task is in `retention`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tutti_recommend::ItemModel;
use tutti_sync_server::AppState;
use tutti_sync_server::storage::{CourseEventKind, EventsWatermark, NewCourseEvent, Storage};

use super::{click, guitar, now_ms, post_events, stored_events, view};
use crate::support::{TestServer, expect_error, expect_json};

pub(super) const DAY_SECS: i64 = 24 * 60 * 60;

async fn delete_events(server: &TestServer, token: Option<&str>) -> reqwest::Response {
    let mut req = server.http.delete(server.url("/api/v1/course-events"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

/// A pseudonym no other test (or earlier run on a shared database) uses.
fn pseudonym(tag: &str) -> String {
    format!("{tag}-{}", uuid::Uuid::new_v4().simple())
}

pub(super) fn clicks(courses: &[&String], at_ms: i64) -> Vec<NewCourseEvent> {
    courses
        .iter()
        .enumerate()
        .map(|(i, c)| NewCourseEvent {
            course_id: (*c).clone(),
            kind: CourseEventKind::Click,
            at_ms: at_ms + i as i64,
        })
        .collect()
}

/// `pseudonym`'s stored (course, views, clicks), by course.
async fn totals_of(s: &dyn Storage, pseudonym: &str) -> Vec<(String, i64, i64)> {
    let mut rows: Vec<(String, i64, i64)> = s
        .course_event_totals()
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.pseudonym == pseudonym)
        .map(|t| (t.course_id, t.views, t.clicks))
        .collect();
    rows.sort();
    rows
}

/// The served guitar model and its `ETag`.
async fn guitar_model(server: &TestServer, token: &str) -> (Vec<String>, ItemModel, String) {
    let resp = server
        .get("/api/v1/courses/model?hobby=guitar", Some(token))
        .await;
    let etag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let body = expect_json(resp, StatusCode::OK).await;
    let items = serde_json::from_value(body["items"].clone()).unwrap();
    let model = serde_json::from_value(body["model"].clone()).unwrap();
    (items, model, etag)
}

pub(super) fn neighbours(items: &[String], model: &ItemModel, of: &str) -> Vec<String> {
    let index = items.iter().position(|x| x == of).unwrap() as u32;
    model
        .similar(index)
        .iter()
        .map(|&(j, _)| items[j as usize].clone())
        .collect()
}

#[tokio::test]
async fn a_learner_deletes_their_shared_events_and_only_theirs() {
    let (server, state) = TestServer::start_with_state(|_| {}).await;
    let (_, ann) = server.user("Ann", "female").await;
    let (_, bob) = server.user("Bob", "male").await;
    let g = guitar();
    let now = now_ms();
    post_events(
        &server,
        &ann,
        vec![click(&g[0], now), view(&g[1], now), click(&g[2], now)],
    )
    .await;
    post_events(&server, &bob, vec![view(&g[3], now), click(&g[4], now)]).await;
    assert_eq!(stored_events(&state).await, 5);

    expect_error(
        delete_events(&server, None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    expect_error(
        delete_events(&server, Some("not-a-token")).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_eq!(
        stored_events(&state).await,
        5,
        "nothing deleted without a token"
    );

    let deleted = expect_json(delete_events(&server, Some(&ann)).await, StatusCode::OK).await;
    assert_eq!(deleted, json!({"deleted": 3}));
    let left = state.storage.course_event_totals().await.unwrap();
    let mut left: Vec<(&str, i64, i64)> = left
        .iter()
        .map(|t| (t.course_id.as_str(), t.views, t.clicks))
        .collect();
    left.sort_unstable();
    assert_eq!(
        left,
        [(g[3].as_str(), 1, 0), (g[4].as_str(), 0, 1)],
        "Bob's events remain"
    );
    let again = expect_json(delete_events(&server, Some(&ann)).await, StatusCode::OK).await;
    assert_eq!(again, json!({"deleted": 0}), "deleting twice is fine");
    assert_eq!(stored_events(&state).await, 2);

    // Ann may share again later; that starts a new history.
    let body = expect_json(
        post_events(&server, &ann, vec![click(&g[0], now)]).await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(body["accepted"], 1);
    let bobs = expect_json(delete_events(&server, Some(&bob)).await, StatusCode::OK).await;
    assert_eq!(bobs, json!({"deleted": 2}));
    server.stop().await;
}

/// Ann alone clicks guitar courses 5 and 6 (a neighbour pair only she
/// made), Bob clicks 6 and 7. After Ann's delete the retrained model has no
/// 5–6 pair, Bob's 6–7 stays, and the old `ETag` no longer matches.
pub async fn deleted_clicks_leave_the_model(server: &TestServer, state: &AppState) {
    let g = guitar();
    let (g5, g6, g7) = (&g[5], &g[6], &g[7]);
    let now = now_ms();
    let (_, ann) = server.user("Ann", "female").await;
    let (_, bob) = server.user("Bob", "male").await;
    post_events(server, &ann, vec![click(g5, now - 2), click(g6, now - 1)]).await;
    post_events(server, &bob, vec![click(g6, now - 2), click(g7, now - 1)]).await;
    state
        .recommender
        .retrain_if_changed(&*state.storage)
        .await
        .unwrap();
    let (items, model, etag) = guitar_model(server, &bob).await;
    assert!(neighbours(&items, &model, g5).contains(g6), "Ann's pair");
    assert!(neighbours(&items, &model, g6).contains(g7), "Bob's pair");

    let before = state.storage.course_events_watermark().await.unwrap();
    let deleted = expect_json(delete_events(server, Some(&ann)).await, StatusCode::OK).await;
    assert_eq!(deleted, json!({"deleted": 2}));
    let after = state.storage.course_events_watermark().await.unwrap();
    assert_ne!(after, before, "the delete moved the watermark");

    // what the training task does on its next pass
    state
        .recommender
        .retrain_if_changed(&*state.storage)
        .await
        .unwrap();
    let resp = server
        .http
        .get(server.url("/api/v1/courses/model?hobby=guitar"))
        .bearer_auth(&bob)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the cached model is stale");
    let (items, model, _) = guitar_model(server, &bob).await;
    let index = |id: &str| items.iter().position(|x| x == id).unwrap() as u32;
    assert!(
        neighbours(&items, &model, g5).is_empty(),
        "nobody else used course 5"
    );
    assert_eq!(model.popularity(index(g5)), None);
    assert!(!neighbours(&items, &model, g6).contains(g5));
    assert!(
        neighbours(&items, &model, g6).contains(g7),
        "Bob's pair stays"
    );
}

#[tokio::test]
async fn deleted_clicks_leave_the_retrained_model() {
    let (server, state) = TestServer::start_with_state(|_| {}).await;
    deleted_clicks_leave_the_model(&server, &state).await;
    server.stop().await;
}

/// Delete by pseudonym and prune by receive time. Returns the watermarks
/// around "the last event deleted, then one new event stored", which differ.
pub async fn deletion_and_pruning_in_storage(
    s: &dyn Storage,
) -> (EventsWatermark, EventsWatermark) {
    let g = guitar();
    let now_secs = now_ms() / 1000;
    let at = now_ms();
    // Ten days old, with a five-day cutoff: inside every server's default
    // retention, so no running training task prunes them meanwhile.
    let old = now_secs - 10 * DAY_SECS;
    let cutoff_ms = (now_secs - 5 * DAY_SECS) * 1000;
    // leftovers of an interrupted earlier run on a shared database
    s.prune_course_events(cutoff_ms).await.unwrap();

    let (p1, p2) = (pseudonym("p1"), pseudonym("p2"));
    let stored = s
        .record_course_events(&p1, &clicks(&[&g[0], &g[1]], at), old)
        .await
        .unwrap();
    assert_eq!(stored, 2);
    s.record_course_events(&p1, &clicks(&[&g[2]], at), now_secs)
        .await
        .unwrap();
    s.record_course_events(&p2, &clicks(&[&g[0]], at), old)
        .await
        .unwrap();
    let before = s.course_events_watermark().await.unwrap();
    assert_eq!(s.prune_course_events(cutoff_ms).await.unwrap(), 3);
    assert!(
        s.course_events_watermark().await.unwrap().generation > before.generation,
        "a prune that deleted moves the generation"
    );
    assert_eq!(
        totals_of(s, &p1).await,
        [(g[2].clone(), 0, 1)],
        "recent events are kept"
    );
    assert!(totals_of(s, &p2).await.is_empty());
    assert_eq!(s.prune_course_events(cutoff_ms).await.unwrap(), 0);

    // An event received at second t is older than t*1000 + 1 ms, not t*1000.
    let p3 = pseudonym("p3");
    let t = old + DAY_SECS;
    s.record_course_events(&p3, &clicks(&[&g[0]], at), t)
        .await
        .unwrap();
    assert_eq!(s.prune_course_events(t * 1000).await.unwrap(), 0);
    assert_eq!(s.prune_course_events(t * 1000 + 1).await.unwrap(), 1);

    let (p4, p5) = (pseudonym("p4"), pseudonym("p5"));
    s.record_course_events(&p4, &clicks(&[&g[0], &g[1], &g[2]], at), now_secs)
        .await
        .unwrap();
    s.record_course_events(&p5, &clicks(&[&g[1]], at), now_secs)
        .await
        .unwrap();
    let before = s.course_events_watermark().await.unwrap();
    assert_eq!(s.delete_course_events(&p4).await.unwrap(), 3);
    let after = s.course_events_watermark().await.unwrap();
    assert!(after.generation > before.generation, "{before:?} {after:?}");
    assert_eq!(s.delete_course_events(&p4).await.unwrap(), 0);
    assert!(totals_of(s, &p4).await.is_empty());
    assert_eq!(
        totals_of(s, &p5).await,
        [(g[1].clone(), 0, 1)],
        "p5 keeps its event"
    );
    assert_eq!(
        s.delete_course_events(&pseudonym("nobody")).await.unwrap(),
        0
    );

    // The newest event goes, then one new event comes.
    let (p6, p7) = (pseudonym("p6"), pseudonym("p7"));
    s.record_course_events(&p6, &clicks(&[&g[3]], at), now_secs)
        .await
        .unwrap();
    let first = s.course_events_watermark().await.unwrap();
    assert_eq!(s.delete_course_events(&p6).await.unwrap(), 1);
    s.record_course_events(&p7, &clicks(&[&g[4]], at), now_secs)
        .await
        .unwrap();
    let second = s.course_events_watermark().await.unwrap();
    assert_ne!(first, second, "the trainer sees the change");
    for p in [&p1, &p5, &p7] {
        s.delete_course_events(p).await.unwrap();
    }
    (first, second)
}

#[tokio::test]
async fn sqlite_deletes_and_prunes_and_the_generation_tells_reused_ids_apart() {
    let dir = tempfile::tempdir().unwrap();
    let s = tutti_sync_server::storage::SqliteStorage::open(&dir.path().join("db.sqlite3"))
        .await
        .unwrap();
    let (first, second) = deletion_and_pruning_in_storage(&s).await;
    assert_eq!(
        (first.count, first.max_id),
        (second.count, second.max_id),
        "SQLite reused the deleted newest id: only the generation differs"
    );
    assert_eq!(second.generation, first.generation + 1);
}

#[tokio::test]
async fn the_delete_route_is_documented() {
    let server = TestServer::start().await;
    let doc: Value = expect_json(
        server.get("/api/v1/openapi.json", None).await,
        StatusCode::OK,
    )
    .await;
    let op = &doc["paths"]["/api/v1/course-events"]["delete"];
    assert_eq!(op["tags"], json!(["courses"]), "{op}");
    assert_eq!(op["security"], json!([{"bearer": []}]), "{op}");
    let ok = &op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(ok, "#/components/schemas/CourseEventsDeleted");
    let schema = &doc["components"]["schemas"]["CourseEventsDeleted"];
    assert_eq!(schema["required"], json!(["deleted"]), "{schema}");
    assert!(op["responses"]["401"].is_object());
    server.stop().await;
}

//! Shared course events expire: the training pass deletes the events the
//! server received before the retention cutoff and then retrains, the
//! training task does so with `--course-event-retention-days`, and a zero
//! retention is refused at start.

use std::time::Duration;

use tutti_recommend::ItemModel;
use tutti_sync_server::courses::retention_cutoff_ms;
use tutti_sync_server::storage::{CourseEventTotals, Storage};
use tutti_sync_server::{AppState, Config, serve};

use super::deletion::{DAY_SECS, clicks, neighbours};
use super::{guitar, now_ms};
use crate::support::{TestServer, test_config};

/// Stores events as if the server had received them `days_ago` days ago.
async fn store_received(s: &dyn Storage, pseudonym: &str, courses: &[&String], days_ago: i64) {
    let received = now_ms() / 1000 - days_ago * DAY_SECS;
    let stored = s
        .record_course_events(pseudonym, &clicks(courses, now_ms()), received)
        .await
        .unwrap();
    assert_eq!(stored, courses.len() as u64);
}

fn guitar_model_of(state: &AppState) -> (Vec<String>, ItemModel) {
    let models = state.recommender.current().expect("trained");
    let m = &models.hobbies["guitar"];
    (m.items.clone(), m.model.clone())
}

#[tokio::test]
async fn the_training_pass_prunes_expired_events_then_retrains() {
    let (server, state) = TestServer::start_with_state(|_| {}).await;
    // Wait for the task's first pass (no events), so the passes below are
    // the only ones until the next interval (300 s).
    for _ in 0..1500 {
        if state.recommender.current().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(state.recommender.current().is_some(), "the first pass ran");
    let g = guitar();
    let s = &*state.storage;
    store_received(s, "expiring", &[&g[5], &g[6]], 10).await;
    store_received(s, "recent", &[&g[6], &g[7]], 0).await;

    let cutoff = retention_cutoff_ms(now_ms(), 5);
    let pass = state.recommender.training_pass(s, cutoff).await.unwrap();
    assert_eq!((pass.pruned, pass.trained), (2, true));
    let (items, model) = guitar_model_of(&state);
    assert!(
        neighbours(&items, &model, &g[5]).is_empty(),
        "expired pair gone"
    );
    assert!(neighbours(&items, &model, &g[6]).contains(&g[7]));
    assert_eq!(state.recommender.current().unwrap().watermark.count, 2);

    let pass = state.recommender.training_pass(s, cutoff).await.unwrap();
    assert_eq!(
        (pass.pruned, pass.trained),
        (0, false),
        "nothing changed since"
    );
    server.stop().await;
}

#[tokio::test]
async fn the_training_task_deletes_events_past_the_configured_retention() {
    let (server, state) = TestServer::start_with_state(|c| {
        c.course_event_retention_days = 30;
        c.course_train_interval_secs = 1;
    })
    .await;
    let g = guitar();
    let s = &*state.storage;
    store_received(s, "old", &[&g[5], &g[6]], 31).await;
    store_received(s, "within", &[&g[6], &g[7]], 29).await;
    // No test call prunes here: only the task can.
    let mut totals: Vec<CourseEventTotals> = Vec::new();
    for _ in 0..300 {
        totals = s.course_event_totals().await.unwrap();
        if totals.iter().all(|t| t.pseudonym != "old") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut left: Vec<&str> = totals.iter().map(|t| t.pseudonym.as_str()).collect();
    left.sort_unstable();
    left.dedup();
    assert_eq!(left, ["within"], "31 days old is past 30 days, 29 is not");
    server.stop().await;
}

#[tokio::test]
async fn a_zero_retention_is_refused_at_start_naming_the_flag() {
    const FLAG: &str = "--course-event-retention-days";
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = test_config(listener.local_addr().unwrap(), dir.path().join("data"));
    config.course_event_retention_days = 0;
    let refused = tokio::time::timeout(
        Duration::from_secs(30),
        serve(config, listener, std::future::pending()),
    )
    .await
    .expect("serve refuses at once")
    .expect_err("a zero retention is refused");
    assert!(refused.to_string().contains(FLAG), "{refused}");

    use clap::{CommandFactory, Parser};
    let flag = Config::try_parse_from(["tutti-sync-server", "--data-dir", "/tmp/x", FLAG, "0"])
        .expect_err("the flag refuses 0");
    assert!(flag.to_string().contains(FLAG), "{flag}");
    let parsed =
        Config::try_parse_from(["tutti-sync-server", "--data-dir", "/tmp/x", FLAG, "7"]).unwrap();
    assert_eq!(parsed.course_event_retention_days, 7);
    let default = Config::try_parse_from(["tutti-sync-server", "--data-dir", "/tmp/x"]).unwrap();
    assert_eq!(default.course_event_retention_days, 365);
    let command = Config::command();
    let arg = command
        .get_arguments()
        .find(|a| a.get_long() == Some("course-event-retention-days"))
        .unwrap();
    assert_eq!(
        arg.get_env().and_then(|e| e.to_str()),
        Some("TUTTI_SYNC_COURSE_EVENT_RETENTION_DAYS")
    );
}

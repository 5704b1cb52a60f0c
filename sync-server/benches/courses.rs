//! Prints how long storing course events and training the recommender take,
//! and how large a hobby's served model is, on a real SQLite file (and
//! PostgreSQL when TUTTI_TEST_DATABASE_URL is set — give it a database of its
//! own, the events stay): 20,000 learners × 25 events (one hobby each,
//! clustered by level so there is structure to learn).
//!
//!   cargo bench -p tutti-sync-server --bench courses
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::Instant;

use tutti_courses::Catalogue;
use tutti_sync_server::courses::Recommender;
use tutti_sync_server::storage::{
    CourseEventKind, NewCourseEvent, PostgresStorage, SqliteStorage, Storage,
};

const LEARNERS: u64 = 20_000;
const EVENTS_PER_LEARNER: u64 = 25;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

async fn run(label: &str, storage: Arc<dyn Storage>) {
    let catalogue = Catalogue::bundled();
    let hobbies = catalogue.hobbies();
    let mut rng = Rng(7);
    let started = Instant::now();
    for learner in 0..LEARNERS {
        let hobby = &hobbies[rng.below(hobbies.len())].id;
        let level = tutti_courses::Level::ALL[rng.below(3)];
        let near = catalogue.by_hobby_level(hobby, Some(level));
        let all = catalogue.by_hobby_level(hobby, None);
        let events: Vec<NewCourseEvent> = (0..EVENTS_PER_LEARNER)
            .map(|i| {
                // Mostly courses at the learner's level, sometimes any of the hobby's.
                let pool = if rng.below(4) == 0 || near.is_empty() {
                    &all
                } else {
                    &near
                };
                NewCourseEvent {
                    course_id: pool[rng.below(pool.len())].id.clone(),
                    kind: if rng.below(3) == 0 {
                        CourseEventKind::Click
                    } else {
                        CourseEventKind::View
                    },
                    at_ms: 1_750_000_000_000 + i as i64,
                }
            })
            .collect();
        storage
            .record_course_events(&format!("learner-{learner}"), &events, 0)
            .await
            .unwrap();
    }
    let stored = started.elapsed();
    let total = LEARNERS * EVENTS_PER_LEARNER;
    let recommender = Recommender::default();
    let started = Instant::now();
    let models = recommender.retrain(&*storage).await.unwrap();
    let trained = started.elapsed();
    let guitar = &models.hobbies["guitar"];
    let json = serde_json::to_vec(&guitar.model).unwrap();
    println!("{label}:");
    println!(
        "  store {total} events in batches of {EVENTS_PER_LEARNER}: {:.2} s ({:.0} events/s)",
        stored.as_secs_f64(),
        total as f64 / stored.as_secs_f64()
    );
    println!(
        "  read totals + train {} hobby models: {:.0} ms",
        models.hobbies.len(),
        trained.as_secs_f64() * 1e3
    );
    println!(
        "  guitar model: {} courses, {} links, {} learners, {:.1} KiB as JSON",
        guitar.model.len(),
        guitar.model.link_count(),
        guitar.learners,
        json.len() as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStorage::open(&dir.path().join("bench.sqlite3"))
        .await
        .unwrap();
    run("SQLite", Arc::new(sqlite)).await;
    if let Ok(url) = std::env::var("TUTTI_TEST_DATABASE_URL") {
        let pg = PostgresStorage::connect(&url).await.unwrap();
        run("PostgreSQL", Arc::new(pg)).await;
    }
}

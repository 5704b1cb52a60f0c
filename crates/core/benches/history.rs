//! Loading an AI mentor room's history: a room of 10,000 messages in a real
//! SQLite file, opened through the same `Tutti::mentor_room` the app calls.
//! The target is under 10 ms; run `cargo bench -p tutti-core --bench history`.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use tutti_core::Tutti;

const MESSAGES: usize = 10_000;

fn history(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let app = Tutti::open(dir.path()).expect("the data directory opens");
    let room = app.mentor_room_create().expect("a room").room.id;
    // Each turn that names no hobby stores the learner's message and the
    // mentor asking again: two messages per turn, plus the greeting.
    for i in 0..MESSAGES / 2 {
        app.mentor_send(&room, &format!("음… 아직 고민 중이에요 {i}"))
            .expect("an offline turn");
    }
    let loaded = app.mentor_room(&room).expect("room").messages.len();
    assert!(loaded > MESSAGES, "the room holds {loaded} messages");

    let runs = 50;
    let start = Instant::now();
    for _ in 0..runs {
        black_box(app.mentor_room(black_box(&room)).expect("room"));
    }
    let mean = start.elapsed() / runs;
    println!(
        "history: loading {loaded} messages takes {mean:?} on average over {runs} runs (target < 10 ms)"
    );

    c.bench_function("mentor_room with 10k messages", |b| {
        b.iter(|| black_box(app.mentor_room(black_box(&room)).expect("room")))
    });
}

criterion_group!(benches, history);
criterion_main!(benches);

//! Hobby extraction speed: the target is < 50 µs per sentence.
//!
//! Runs over the dev set and the crate's held-out set (Korean and English, short and long) and
//! prints the mean time per sentence besides criterion's own report.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tutti_mentor::extract_hobby;

fn sentences() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let eval = std::env::var_os("TUTTI_EVAL_DIR")
        .map_or_else(|| root.join("../../eval"), std::path::PathBuf::from);
    let mut out = Vec::new();
    for path in [
        eval.join("hobby/dev.jsonl"),
        root.join("tests/mentor/extra.jsonl"),
    ] {
        let Ok(body) = std::fs::read_to_string(&path) else {
            println!("(skipping missing {})", path.display());
            continue;
        };
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("jsonl line parses");
            out.push(v["text"].as_str().expect("text field").to_owned());
        }
    }
    assert!(!out.is_empty(), "no sentences to benchmark");
    out
}

fn bench(c: &mut Criterion) {
    let texts = sentences();
    match tutti_mentor::validate_catalog() {
        Ok(summary) => println!("catalog: {summary:?}"),
        Err(e) => println!("catalog invalid: {e}"),
    }
    // Warm the lazily built lexicon so the first sample does not pay for it.
    black_box(extract_hobby("기타를 배우고 싶어요"));

    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            black_box(extract_hobby(black_box(t)));
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * texts.len()) as f64;
    println!(
        "extract_hobby: {per:.2} µs per sentence (mean over {} sentences x {rounds}); target < 50 µs",
        texts.len()
    );

    let mut group = c.benchmark_group("extract_hobby");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("dev+extra corpus", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(extract_hobby(black_box(t)));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Prints how long grading, quantising and exporting take for melodies of
//! growing length (wall-clock median of a few runs, on an idle machine).
//! Run: `cargo bench -p tutti-score --bench score`.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use tutti_score::{Note, QuantiseOptions, grade, quantise, to_abc, to_midi, to_musicxml};

/// A deterministic melody of `n` notes: stepwise with leaps, mixed lengths.
fn melody(n: usize, beat_s: f64, cents: f64, seed: u64) -> Vec<Note> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let lengths = [1.0, 1.0, 0.5, 0.5, 2.0, 1.5];
    let mut t = 0.0;
    let mut pitch = 67i32;
    (0..n)
        .map(|i| {
            let l = lengths[(i * 7 + i / 3) % lengths.len()];
            pitch = (pitch + [-2, -1, 1, 2, 0, 3, -3][(next() % 7) as usize]).clamp(55, 84);
            let jitter = ((next() % 41) as f64 - 20.0) / 1000.0;
            let note = Note {
                onset_s: t + jitter,
                offset_s: t + l * beat_s * 0.9,
                midi_pitch: f64::from(pitch) + cents / 100.0,
            };
            t += l * beat_s;
            note
        })
        .collect()
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    println!(
        "{:>6} {:>12} {:>12} {:>12}",
        "notes", "grade ms", "quantise ms", "export ms"
    );
    for n in [30, 300, 1000, 3000] {
        let target = melody(n, 0.6, 0.0, 7);
        let mut take = melody(n, 0.66, 25.0, 11);
        take.remove(n / 2);
        let runs = if n > 1000 { 3 } else { 9 };
        let g = time(runs, || grade(&target, &take));
        let q = time(runs, || quantise(&take, &QuantiseOptions::default()));
        let score = quantise(&take, &QuantiseOptions::default());
        let e = time(runs, || {
            (
                to_musicxml(&score).len(),
                to_midi(&score).len(),
                to_abc(&score).len(),
            )
        });
        println!(
            "{n:>6} {:>12.2} {:>12.2} {:>12.2}",
            g * 1e3,
            q * 1e3,
            e * 1e3
        );
    }

    // A short target inside a long take: 75 other notes, the target played
    // 10% slow and 25 cents sharp, 75 other notes.
    println!("\n{:>6} {:>6} {:>12}", "target", "take", "grade ms");
    for (n, before, after) in [(50, 75, 75), (100, 200, 200)] {
        let target = melody(n, 0.6, 0.0, 7);
        let played = melody(n, 0.66, 25.0, 7);
        let mut take = melody(before, 0.5, 0.0, 3);
        let mut t = take.last().map_or(0.0, |x| x.offset_s) + 0.5;
        let shift = |notes: Vec<Note>, t: f64| -> Vec<Note> {
            notes
                .into_iter()
                .map(|x| Note {
                    onset_s: x.onset_s + t,
                    offset_s: x.offset_s + t,
                    ..x
                })
                .collect()
        };
        take.extend(shift(played, t));
        t = take.last().map_or(0.0, |x| x.offset_s) + 0.5;
        take.extend(shift(melody(after, 0.5, 0.0, 5), t));
        let g = time(9, || grade(&target, &take));
        println!("{n:>6} {:>6} {:>12.2}", take.len(), g * 1e3);
    }
}

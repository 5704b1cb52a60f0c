//! Score following latency: from a note's onset in the input to the
//! follower's verdict on it, through the live path (decimation, 40 ms YIN
//! window every 10 ms, note confirmation, placement). Prints the
//! distribution per kind of input; nothing is asserted. The device's own
//! period (`cargo bench -p tutti-capture --bench latency`) comes on top.
//!
//! `cargo bench -p tutti-ear --bench follow_latency`
#![allow(clippy::print_stdout)]

use cpu_time::ProcessTime;
use tutti_score::{FollowEvent, FollowOptions, Note};

const RATE: u32 = 48_000;

/// A melody of `n` notes: steps and leaps, quarter notes at 100 bpm.
fn melody(n: usize) -> Vec<Note> {
    let steps = [
        0.0, 2.0, 4.0, 5.0, 7.0, 5.0, 4.0, 2.0, 0.0, 7.0, 12.0, 7.0, 4.0, 0.0, -5.0, 0.0,
    ];
    (0..n)
        .map(|i| Note {
            onset_s: 0.6 * i as f64,
            offset_s: 0.6 * i as f64 + 0.5,
            midi_pitch: 62.0 + steps[i % steps.len()],
        })
        .collect()
}

/// Renders notes with `partials` harmonics (amplitude 1/k), an attack of
/// `attack_s`, `vibrato_cents` at 5.5 Hz and a `scoop` (semitones flat,
/// gliding up over 60 ms); onsets shifted by `start`.
fn render(
    notes: &[Note],
    start: f64,
    partials: usize,
    attack_s: f64,
    vibrato_cents: f64,
    scoop: f64,
) -> Vec<f32> {
    let r = f64::from(RATE);
    let end = notes.last().map_or(0.0, |n| n.offset_s) + start + 0.5;
    let mut out = vec![0f32; (end * r) as usize];
    for n in notes {
        let (a, b) = (
            ((n.onset_s + start) * r) as usize,
            ((n.offset_s + start) * r) as usize,
        );
        let mut phase = 0.0f64;
        for (i, o) in out.iter_mut().enumerate().take(b).skip(a) {
            let t = (i - a) as f64 / r;
            let sc = if t < 0.06 {
                scoop * (1.0 - t / 0.06)
            } else {
                0.0
            };
            let vib = vibrato_cents / 100.0 * (2.0 * std::f64::consts::PI * 5.5 * t).sin();
            let hz = 440.0 * 2f64.powf((n.midi_pitch - sc + vib - 69.0) / 12.0);
            phase += 2.0 * std::f64::consts::PI * hz / r;
            let env =
                (t / attack_s).min(1.0) * ((n.offset_s - n.onset_s - t) / 0.02).clamp(0.0, 1.0);
            let s: f64 = (1..=partials)
                .map(|k| (k as f64 * phase).sin() / k as f64)
                .sum();
            *o += (0.2 * env * s) as f32;
        }
    }
    out
}

fn main() {
    let target = melody(48);
    let start = 0.5037; // onsets fall between readings
    let kinds: [(&str, usize, f64, f64, f64); 4] = [
        ("keyboard-like (5 ms attack)", 6, 0.005, 0.0, 0.0),
        ("wind-like (40 ms attack)", 4, 0.04, 0.0, 0.0),
        ("voice-like (vibrato 40 cents)", 8, 0.03, 40.0, 0.0),
        ("voice with a scoop (1 st, 60 ms)", 8, 0.03, 20.0, 1.0),
    ];
    for (label, partials, attack, vibrato, scoop) in kinds {
        let audio = render(&target, start, partials, attack, vibrato, scoop);
        let mut f =
            tutti_ear::LiveFollower::new(RATE, &target, FollowOptions::default()).expect("target");
        let mut lat = Vec::new();
        let cpu = ProcessTime::now();
        for chunk in audio.chunks(480) {
            for e in f.push(chunk) {
                if let FollowEvent::Reached { index, time_s, .. } = e {
                    lat.push(1000.0 * (time_s - (target[index].onset_s + start)));
                }
            }
        }
        f.finish();
        let cpu_s = cpu.elapsed().as_secs_f64();
        lat.sort_by(f64::total_cmp);
        let pct = |q: f64| {
            lat.get(((lat.len().saturating_sub(1)) as f64 * q) as usize)
                .copied()
                .unwrap_or(f64::NAN)
        };
        println!(
            "{label:34} onset -> verdict: median {:5.1} ms, p90 {:5.1} ms, max {:5.1} ms ({} of {} notes reached); CPU {:.1} us per 10 ms reading",
            pct(0.5),
            pct(0.9),
            pct(1.0),
            lat.len(),
            target.len(),
            1e6 * cpu_s / (audio.len() as f64 / f64::from(RATE) * 100.0)
        );
    }
}

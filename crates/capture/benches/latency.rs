//! Prints the live latency of the capture path: from a note's onset in the
//! device's input to the first pitch event naming it, in samples and ms
//! (onset → event position, plus one device period, plus the writer's poll).
//!
//! Uses the same sound-card-free ALSA device as the tests (an ALSA `file`
//! PCM); the bench re-runs itself as a child with that configuration.

#![allow(clippy::print_stdout)]

#[path = "../tests/capture/onset.rs"]
mod onset;
#[path = "../tests/capture/support.rs"]
mod support;

use support::{Fixture, RATE};

fn main() {
    if let Some(fixture) = Fixture::in_child() {
        let poll = (tutti_capture::WRITER_POLL_S * f64::from(RATE)).ceil() as u64;
        println!(
            "note  onset_sample  shown_at_sample  period  latency_samples  latency_ms  with_poll_ms"
        );
        let mut worst = 0.0f64;
        for r in onset::measure(&fixture) {
            let with_poll = 1000.0 * (r.samples() + poll) as f64 / f64::from(RATE);
            worst = worst.max(with_poll);
            println!(
                "{:<5} {:>12}  {:>15}  {:>6}  {:>15}  {:>10.1}  {:>12.1}",
                r.note,
                r.onset_sample,
                r.shown_at_sample,
                r.period_frames,
                r.samples(),
                r.ms(),
                with_poll
            );
        }
        println!("worst onset-to-pitch latency: {worst:.1} ms (target < 60 ms)");
        return;
    }
    let fixture = Fixture::new(&onset::source());
    let out = fixture.command().output().expect("run the measuring child");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        out.status.success(),
        "measurement failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

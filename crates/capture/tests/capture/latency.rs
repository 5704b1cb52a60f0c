//! Live latency: a note's onset reaches the pitch events in under 60 ms
//! (counted in samples; `benches/latency.rs` prints the numbers).

use crate::onset::{measure, source};
use crate::support::{Fixture, RATE};

/// The target, seconds.
const TARGET_S: f64 = 0.06;

#[test]
fn every_onset_reaches_the_pitch_events_within_60_ms() {
    let Some(fixture) = Fixture::in_child() else {
        Fixture::new(&source())
            .run_child("latency::every_onset_reaches_the_pitch_events_within_60_ms");
        return;
    };
    let results = measure(&fixture);
    assert_eq!(results.len(), 3);
    // The writer polls the ring every `WRITER_POLL_S`: the worst case adds that.
    let poll = (tutti_capture::WRITER_POLL_S * f64::from(RATE)).ceil() as u64;
    let bound = (TARGET_S * f64::from(RATE)) as u64;
    for r in &results {
        assert!(
            r.period_frames <= 960,
            "the device period is short: {} frames",
            r.period_frames
        );
        assert!(
            r.samples() + poll < bound,
            "{} shown {} samples ({:.1} ms) after its onset, period and poll included",
            r.note,
            r.samples() + poll,
            1000.0 * (r.samples() + poll) as f64 / f64::from(RATE)
        );
    }
}

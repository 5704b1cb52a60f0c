//! The live-latency harness: known onsets go through the whole capture path
//! (ALSA → cpal callback → ring → writer → monitor), and the latency of each
//! is counted in samples, from the onset to the first `Pitch` event naming
//! the right note, plus one device period (the longest a sample waits before
//! the callback delivers it). The `file` PCM is not paced in real time, so
//! nothing here reads a clock: positions in the take are exact.

#![allow(dead_code)]

use tutti_capture::{CaptureEvent, RecordOptions, Recorder};

use crate::support::{Events, Fixture, RATE, SourceNote, render};

/// A4 and C5 after silence, then E5 straight after C5 (legato). The onsets
/// fall at different points of the 10 ms reading grid (5.3, 9.1 and 9.1 ms
/// past a reading), so the hop's share of the latency varies.
pub fn notes() -> Vec<SourceNote> {
    vec![
        SourceNote {
            midi: 69,
            onset_s: 0.5053,
            duration_s: 0.4,
        },
        SourceNote {
            midi: 72,
            onset_s: 1.1091,
            duration_s: 0.3,
        },
        SourceNote {
            midi: 76,
            onset_s: 1.4091,
            duration_s: 0.3,
        },
    ]
}

pub const TOTAL_S: f64 = 2.2;

pub fn source() -> Vec<f32> {
    render(&notes(), TOTAL_S)
}

/// How long one onset took to reach the events.
#[derive(Debug, Clone)]
pub struct OnsetLatency {
    pub note: String,
    pub onset_sample: u64,
    /// Position of the first event naming the note.
    pub shown_at_sample: u64,
    /// Frames per device callback.
    pub period_frames: u64,
}

impl OnsetLatency {
    /// Onset to event, plus one device period, in samples.
    pub fn samples(&self) -> u64 {
        self.shown_at_sample - self.onset_sample + self.period_frames
    }

    pub fn ms(&self) -> f64 {
        1000.0 * self.samples() as f64 / f64::from(RATE)
    }
}

/// Records [`source`] from the fixture's device and measures every onset.
/// Runs in a fixture child.
pub fn measure(fixture: &Fixture) -> Vec<OnsetLatency> {
    let events = Events::default();
    let recording = Recorder::start(
        RecordOptions {
            device: None,
            path: fixture.take_path(),
        },
        events.sink(),
    )
    .expect("recording starts");
    events.wait_for_position((TOTAL_S * f64::from(RATE)) as u64);
    recording.stop().expect("stopped");
    let events = events.snapshot();
    let Some(CaptureEvent::Started { period_frames, .. }) = events.first() else {
        panic!("the first event is Started: {:?}", events.first())
    };
    let period_frames = u64::from(period_frames.expect("ALSA reports its period"));
    notes()
        .iter()
        .map(|n| {
            let note = tutti_ear::note_name(n.midi);
            let onset_sample = (n.onset_s * f64::from(RATE)).round() as u64;
            let shown_at_sample = events
                .iter()
                .find_map(|e| match e {
                    CaptureEvent::Pitch {
                        at_sample,
                        note_name,
                        ..
                    } if *at_sample >= onset_sample && *note_name == note => Some(*at_sample),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{note} was never shown"));
            OnsetLatency {
                note,
                onset_sample,
                shown_at_sample,
                period_frames,
            }
        })
        .collect()
}

//! What a recording reports while it runs (streamed to the UI).

use serde::{Deserialize, Serialize};

/// Audio time between two `Level` events (40 per second of audio).
pub const EVENT_INTERVAL_S: f64 = 0.025;
/// Longest audio time between two `Pitch`/`Unvoiced` events (50 per second of
/// audio at least; a change of note is reported at once).
pub const PITCH_INTERVAL_S: f64 = 0.02;

/// One update from a running recording.
///
/// Every event carries `at_sample`: its position in the take, in samples of
/// the take's own rate (the WAV's sample index just past the newest sample
/// the event covers), and `time_s` = `at_sample / sample_rate`. Positions,
/// not wall-clock times, so they line up with the recorded file exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CaptureEvent {
    /// The stream is open and recording.
    Started {
        /// The device's display name.
        device_name: String,
        /// Sample rate of the device and of the take, Hz.
        sample_rate: u32,
        /// Channels the device delivers (the take stores their mix, mono).
        device_channels: u16,
        /// Frames per audio callback, when the backend reports it.
        period_frames: Option<u32>,
    },
    /// Input level over the last [`EVENT_INTERVAL_S`].
    Level {
        /// Position in the take, samples.
        at_sample: u64,
        /// Position in the take, seconds.
        time_s: f64,
        /// RMS level, dBFS (-120 for digital silence).
        rms_dbfs: f32,
        /// Highest absolute sample, dBFS (-120 for digital silence).
        peak_dbfs: f32,
    },
    /// A steady pitch is heard.
    Pitch {
        /// Position in the take, samples.
        at_sample: u64,
        /// Position in the take, seconds.
        time_s: f64,
        /// Nearest note, e.g. "A4".
        note_name: String,
        /// MIDI number of that note (69 = A4).
        midi: i32,
        /// Cents from that note, -50..50.
        cents: f64,
        /// The measured frequency, Hz.
        frequency_hz: f64,
        /// How steady the note is: the share of the last 40 ms of readings
        /// (four) that heard this same note, 0.25..1.
        confidence: f32,
    },
    /// No steady pitch (silence, noise, or between notes).
    Unvoiced {
        /// Position in the take, samples.
        at_sample: u64,
        /// Position in the take, seconds.
        time_s: f64,
    },
    /// The writer fell behind the device and samples were dropped (the take
    /// skips them). `dropped_samples` is the running total.
    Overrun {
        /// Position in the take, samples.
        at_sample: u64,
        /// Position in the take, seconds.
        time_s: f64,
        /// Samples dropped since the take started.
        dropped_samples: u64,
    },
    /// The take ended on an error (e.g. the device was unplugged). Everything
    /// recorded until `at_sample` is in the file, which is finalised.
    Error {
        /// Position in the take, samples.
        at_sample: u64,
        /// Position in the take, seconds.
        time_s: f64,
        /// [`crate::CaptureError::code`].
        code: String,
        /// Human-readable description.
        message: String,
    },
}

impl CaptureEvent {
    /// Position in the take, samples (`None` for `Started`).
    pub fn at_sample(&self) -> Option<u64> {
        match self {
            Self::Started { .. } => None,
            Self::Level { at_sample, .. }
            | Self::Pitch { at_sample, .. }
            | Self::Unvoiced { at_sample, .. }
            | Self::Overrun { at_sample, .. }
            | Self::Error { at_sample, .. } => Some(*at_sample),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialise_as_tagged_camel_case() {
        let e = CaptureEvent::Pitch {
            at_sample: 4800,
            time_s: 0.1,
            note_name: "A4".into(),
            midi: 69,
            cents: -3.0,
            frequency_hz: 439.2,
            confidence: 1.0,
        };
        let json = serde_json::to_value(&e).expect("serialisable");
        assert_eq!(json["kind"], "pitch");
        assert_eq!(json["noteName"], "A4");
        assert_eq!(json["atSample"], 4800);
        assert_eq!(json["frequencyHz"], 439.2);
        let back: CaptureEvent = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, e);
    }
}

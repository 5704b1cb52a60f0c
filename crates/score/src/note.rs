use serde::{Deserialize, Serialize};

/// One performed note: when it starts and ends (seconds from the start of the
/// take) and its pitch as a MIDI note number, fractional when out of tune
/// (69.0 = A4 = 440 Hz).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub onset_s: f64,
    pub offset_s: f64,
    pub midi_pitch: f64,
}

impl Note {
    /// Length of the note in seconds.
    pub fn duration_s(&self) -> f64 {
        self.offset_s - self.onset_s
    }
}

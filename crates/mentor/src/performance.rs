//! The performance part of a level test for instruments and voice: a short target melody.
//!
//! The audio grader (tutti-ear / tutti-score) plays the learner's take against `notes`: pitches are
//! sounding MIDI numbers, durations in beats at `tempo_bpm`. `octave_free` tells it to accept the
//! melody an octave off (a bass voice singing a soprano tune); `written_transpose` is how many
//! semitones the score is written above the sound (12 for guitar).

use serde::{Deserialize, Serialize};

use crate::error::MentorError;
use crate::text::Text;

/// Whether pitch or only timing and drum choice matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PerformanceKind {
    /// A melody: pitch and rhythm are graded.
    Pitched,
    /// A drum pattern: `midi` is a General MIDI percussion key (36 kick, 38 snare, 42 closed hi-hat).
    Percussion,
}

/// One note of the target melody.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetNote {
    /// Sounding MIDI pitch (60 = middle C), or the GM drum key for percussion.
    pub midi: u8,
    /// Length in beats (1.0 = one beat of the time signature's beat unit).
    pub beats: f32,
}

/// A short melody to play or sing, graded by the musical-ear engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerformancePart {
    /// Tune name, e.g. "환희의 송가" / "Ode to Joy".
    pub title: Text,
    /// What the learner should do.
    pub instruction: Text,
    /// Pitched melody or drum pattern.
    pub kind: PerformanceKind,
    /// Tempo in beats per minute.
    pub tempo_bpm: u16,
    /// Beats per bar (4 for 4/4).
    pub beats_per_bar: u8,
    /// Lowest and highest MIDI note the instrument or voice can produce; every note lies inside.
    pub range: [u8; 2],
    /// Accept the melody transposed by whole octaves (voice).
    pub octave_free: bool,
    /// Semitones the notation is written above the sounding pitch (guitar: 12).
    pub written_transpose: i8,
    /// The melody, in order.
    pub notes: Vec<TargetNote>,
}

impl PerformancePart {
    /// Total length in beats.
    pub fn total_beats(&self) -> f32 {
        self.notes.iter().map(|n| n.beats).sum()
    }

    /// Length in seconds at the part's tempo.
    pub fn duration_secs(&self) -> f32 {
        self.total_beats() * 60.0 / f32::from(self.tempo_bpm)
    }

    /// Checks the part is playable: notes in range, positive durations, whole bars, sane tempo.
    pub fn validate(&self, id: &str) -> Result<(), MentorError> {
        let bad = |reason: String| Err(MentorError::invalid("performance part", id, reason));
        if !self.title.is_complete() || !self.instruction.is_complete() {
            return bad("title and instruction need Korean and English".into());
        }
        if !(40..=200).contains(&self.tempo_bpm) || self.beats_per_bar == 0 {
            return bad(format!(
                "tempo {} / {} beats per bar",
                self.tempo_bpm, self.beats_per_bar
            ));
        }
        if self.notes.len() < 4 {
            return bad("a melody needs at least 4 notes".into());
        }
        let [lo, hi] = self.range;
        for (i, n) in self.notes.iter().enumerate() {
            if n.midi < lo || n.midi > hi {
                return bad(format!(
                    "note {i} (MIDI {}) is outside the range {lo}..={hi}",
                    n.midi
                ));
            }
            if !(n.beats > 0.0 && n.beats <= 8.0) {
                return bad(format!("note {i} lasts {} beats", n.beats));
            }
        }
        let bars = self.total_beats() / f32::from(self.beats_per_bar);
        if (bars - bars.round()).abs() > 1e-3 {
            return bad(format!(
                "the melody lasts {} beats, not whole bars of {}",
                self.total_beats(),
                self.beats_per_bar
            ));
        }
        Ok(())
    }
}

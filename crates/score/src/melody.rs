//! A target melody read from a file: notes placed both in beats (quarter
//! notes) and in seconds, and the tempo map that turns one into the other.

use serde::{Deserialize, Serialize};

use crate::note::Note;
use crate::quantise::{DIVISIONS, QuantiseOptions, quantise};
use crate::score::{Score, TimeSignature};

/// One sounding note of a melody.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MelodyNote {
    /// Start in quarter notes from the beginning.
    pub onset_beats: f64,
    /// Length in quarter notes.
    pub duration_beats: f64,
    /// Start in seconds, from the tempo map.
    pub onset_s: f64,
    /// End in seconds, from the tempo map.
    pub offset_s: f64,
    /// MIDI note number.
    pub midi_pitch: u8,
}

/// A single line of notes, as imported from MusicXML or MIDI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Melody {
    pub title: String,
    /// The first tempo in quarter notes per minute.
    pub tempo_bpm: f64,
    /// The first time signature, when the file gives one.
    pub time: Option<TimeSignature>,
    /// Notes in onset order, not overlapping.
    pub notes: Vec<MelodyNote>,
}

impl Melody {
    /// The melody as performed notes (seconds), the shape [`crate::grade`] takes.
    pub fn to_notes(&self) -> Vec<Note> {
        self.notes
            .iter()
            .map(|n| Note {
                onset_s: n.onset_s,
                offset_s: n.offset_s,
                midi_pitch: f64::from(n.midi_pitch),
            })
            .collect()
    }
}

impl Melody {
    /// The melody written as a score (e.g. to show a MIDI or CSV target as
    /// notation): its own tempo and time signature (4/4 when it has none),
    /// bar position kept, key estimated.
    pub fn to_score(&self) -> Score {
        let time = self.time.unwrap_or(TimeSignature::COMMON);
        let measure = time.measure_ticks(DIVISIONS).max(1);
        let pickup = self.notes.first().map_or(0, |n| {
            (n.onset_beats * f64::from(DIVISIONS)).round().max(0.0) as u64 % u64::from(measure)
        }) as u32;
        quantise(
            &self.to_notes(),
            &QuantiseOptions {
                title: self.title.clone(),
                tempo_bpm: Some(self.tempo_bpm),
                time: Some(time),
                key: None,
                pickup_sixteenths: Some(pickup),
            },
        )
    }
}

/// Tempo changes over a piece: `(beat, bpm)` pairs sorted by beat.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TempoMap {
    changes: Vec<(f64, f64)>,
}

/// Tempo used when a file gives none (MIDI's default of 500 000 µs per quarter).
pub(crate) const DEFAULT_BPM: f64 = 120.0;

impl TempoMap {
    pub(crate) fn constant(bpm: f64) -> TempoMap {
        TempoMap {
            changes: vec![(0.0, sane_bpm(bpm))],
        }
    }

    /// Builds a map from changes in any order; the tempo before the first
    /// change is that change's tempo (or the default when there is none).
    pub(crate) fn from_changes(mut changes: Vec<(f64, f64)>) -> TempoMap {
        changes.retain(|(b, t)| b.is_finite() && *b >= 0.0 && t.is_finite() && *t > 0.0);
        changes.sort_by(|a, b| a.0.total_cmp(&b.0));
        let first = changes.first().map_or(DEFAULT_BPM, |c| c.1);
        let mut out = vec![(0.0, sane_bpm(first))];
        for (beat, bpm) in changes {
            match out.last_mut() {
                Some(last) if (last.0 - beat).abs() < 1e-9 => last.1 = sane_bpm(bpm),
                _ => out.push((beat, sane_bpm(bpm))),
            }
        }
        TempoMap { changes: out }
    }

    pub(crate) fn first_bpm(&self) -> f64 {
        self.changes.first().map_or(DEFAULT_BPM, |c| c.1)
    }

    /// Seconds from the start to `beat`.
    pub(crate) fn seconds_at(&self, beat: f64) -> f64 {
        let mut seconds = 0.0;
        for (i, &(start, bpm)) in self.changes.iter().enumerate() {
            if beat <= start {
                break;
            }
            let end = self.changes.get(i + 1).map_or(f64::INFINITY, |c| c.0);
            seconds += (beat.min(end) - start) * 60.0 / bpm;
        }
        seconds
    }

    pub(crate) fn fill_seconds(&self, notes: &mut [MelodyNote]) {
        for n in notes {
            n.onset_s = self.seconds_at(n.onset_beats);
            n.offset_s = self.seconds_at(n.onset_beats + n.duration_beats);
        }
    }
}

fn sane_bpm(bpm: f64) -> f64 {
    if bpm.is_finite() && bpm > 0.0 {
        bpm.clamp(1.0, 2000.0)
    } else {
        DEFAULT_BPM
    }
}

/// Makes a melody monophonic: sorted by onset, simultaneous notes reduced to
/// the highest, and each note cut where the next begins.
pub(crate) fn to_single_line(mut notes: Vec<MelodyNote>) -> Vec<MelodyNote> {
    notes.retain(|n| n.duration_beats > 0.0);
    notes.sort_by(|a, b| {
        a.onset_beats
            .total_cmp(&b.onset_beats)
            .then(b.midi_pitch.cmp(&a.midi_pitch))
    });
    let mut out: Vec<MelodyNote> = Vec::with_capacity(notes.len());
    for n in notes {
        if let Some(last) = out.last_mut() {
            if (n.onset_beats - last.onset_beats).abs() < 1e-6 {
                continue; // a lower note of a chord
            }
            let end = last.onset_beats + last.duration_beats;
            if end > n.onset_beats {
                last.duration_beats = n.onset_beats - last.onset_beats;
            }
        }
        out.push(n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tempo_map_integrates_over_changes() {
        // 4 beats at 120 (2 s), then 2 beats at 60 (2 s).
        let map = TempoMap::from_changes(vec![(4.0, 60.0), (0.0, 120.0)]);
        assert!((map.seconds_at(4.0) - 2.0).abs() < 1e-9);
        assert!((map.seconds_at(6.0) - 4.0).abs() < 1e-9);
        assert!((map.seconds_at(1.0) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn single_line_keeps_the_top_of_a_chord_and_cuts_overlaps() {
        let n = |on: f64, dur: f64, p: u8| MelodyNote {
            onset_beats: on,
            duration_beats: dur,
            onset_s: 0.0,
            offset_s: 0.0,
            midi_pitch: p,
        };
        let line = to_single_line(vec![n(1.0, 1.0, 62), n(0.0, 2.0, 60), n(0.0, 1.0, 64)]);
        assert_eq!(line.len(), 2);
        assert_eq!(line[0].midi_pitch, 64);
        assert_eq!(line[1].midi_pitch, 62);
        assert!((line[0].duration_beats - 1.0).abs() < 1e-9);
    }
}

//! The written score: measures of notes and rests with note values, ties,
//! a time signature, a key and a tempo. Built by [`crate::quantise`] or by
//! hand, read by the exporters.

use serde::{Deserialize, Serialize};

use crate::melody::{Melody, MelodyNote, TempoMap};
use crate::pitch::{KeySignature, SpelledPitch};

/// A time signature such as 4/4 or 6/8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeSignature {
    /// Upper number: beats per measure (6 in 6/8).
    pub beats: u8,
    /// Lower number: the note value of one beat (8 in 6/8).
    pub beat_type: u8,
}

impl TimeSignature {
    pub const COMMON: TimeSignature = TimeSignature::new(4, 4);

    pub const fn new(beats: u8, beat_type: u8) -> TimeSignature {
        TimeSignature { beats, beat_type }
    }

    /// Length of one measure in quarter notes (3.0 for 6/8 and 3/4).
    pub fn quarters_per_measure(self) -> f64 {
        f64::from(self.beats) * 4.0 / f64::from(self.beat_type.max(1))
    }

    /// Length of one measure in ticks at `divisions` ticks per quarter.
    pub fn measure_ticks(self, divisions: u32) -> u32 {
        (u32::from(self.beats) * divisions * 4) / u32::from(self.beat_type.max(1))
    }

    /// Compound metres (6/8, 9/8, 12/8) group eighths in threes.
    pub fn is_compound(self) -> bool {
        self.beat_type >= 8 && self.beats.is_multiple_of(3) && self.beats > 3
    }
}

/// The clef a part is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Clef {
    Treble,
    Bass,
}

/// Undotted note values, whole to thirty-second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NoteType {
    Whole,
    Half,
    Quarter,
    Eighth,
    Sixteenth,
    ThirtySecond,
}

impl NoteType {
    pub const ALL: [NoteType; 6] = [
        NoteType::Whole,
        NoteType::Half,
        NoteType::Quarter,
        NoteType::Eighth,
        NoteType::Sixteenth,
        NoteType::ThirtySecond,
    ];

    /// Length in thirty-seconds (whole = 32).
    pub fn thirty_seconds(self) -> u32 {
        match self {
            NoteType::Whole => 32,
            NoteType::Half => 16,
            NoteType::Quarter => 8,
            NoteType::Eighth => 4,
            NoteType::Sixteenth => 2,
            NoteType::ThirtySecond => 1,
        }
    }

    /// The MusicXML `<type>` name.
    pub fn musicxml_name(self) -> &'static str {
        match self {
            NoteType::Whole => "whole",
            NoteType::Half => "half",
            NoteType::Quarter => "quarter",
            NoteType::Eighth => "eighth",
            NoteType::Sixteenth => "16th",
            NoteType::ThirtySecond => "32nd",
        }
    }
}

/// A written note value: a base value and 0–2 dots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteValue {
    pub base: NoteType,
    pub dots: u8,
}

impl NoteValue {
    /// Length in quarter notes (dotted quarter = 1.5).
    pub fn quarters(self) -> f64 {
        let base = f64::from(self.base.thirty_seconds()) / 8.0;
        let mut total = base;
        let mut add = base;
        for _ in 0..self.dots {
            add /= 2.0;
            total += add;
        }
        total
    }

    /// Length in ticks at `divisions` per quarter, if it is a whole number.
    pub fn ticks(self, divisions: u32) -> Option<u32> {
        let t = self.quarters() * f64::from(divisions);
        (t.fract() == 0.0).then_some(t as u32)
    }

    /// The written value lasting exactly `ticks`, if there is one.
    pub fn from_ticks(ticks: u32, divisions: u32) -> Option<NoteValue> {
        NoteType::ALL.iter().find_map(|&base| {
            (0..=2).find_map(|dots| {
                let v = NoteValue { base, dots };
                (v.ticks(divisions) == Some(ticks)).then_some(v)
            })
        })
    }
}

/// One note or rest in a measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// `None` for a rest.
    pub pitch: Option<SpelledPitch>,
    /// Length in ticks (`Score::divisions` per quarter).
    pub ticks: u32,
    /// The written value; its length equals `ticks`.
    pub value: NoteValue,
    /// Tied to the next note (same pitch).
    pub tie_start: bool,
    /// Tied from the previous note.
    pub tie_stop: bool,
    /// Index of the performed note this was quantised from, if any, so a UI
    /// can colour the written note by that note's grade.
    pub source: Option<usize>,
}

impl Event {
    pub fn is_rest(&self) -> bool {
        self.pitch.is_none()
    }
}

/// One measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Measure {
    /// 1-based measure number.
    pub number: u32,
    pub events: Vec<Event>,
}

/// A single-voice score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub title: String,
    /// Quarter notes per minute.
    pub tempo_bpm: f64,
    pub time: TimeSignature,
    pub key: KeySignature,
    pub clef: Clef,
    /// Ticks per quarter note.
    pub divisions: u32,
    pub measures: Vec<Measure>,
    /// Global tuning of the performance it was quantised from, in cents
    /// (positive = sharp); 0 for a score not quantised from a performance.
    pub tuning_offset_cents: f64,
}

impl Score {
    /// The sounding notes in beats (quarters) and seconds, tied notes joined.
    pub fn melody(&self) -> Melody {
        let divisions = f64::from(self.divisions.max(1));
        let mut notes: Vec<MelodyNote> = Vec::new();
        let mut pos = 0u64;
        let mut tie_open = false;
        for event in self.measures.iter().flat_map(|m| &m.events) {
            let onset = pos as f64 / divisions;
            let length = f64::from(event.ticks) / divisions;
            pos += u64::from(event.ticks);
            let Some(pitch) = event.pitch else {
                tie_open = false;
                continue;
            };
            let midi = pitch.midi().clamp(0, 127) as u8;
            match notes.last_mut() {
                Some(last) if tie_open && event.tie_stop && last.midi_pitch == midi => {
                    last.duration_beats += length;
                }
                _ => notes.push(MelodyNote {
                    onset_beats: onset,
                    duration_beats: length,
                    onset_s: 0.0,
                    offset_s: 0.0,
                    midi_pitch: midi,
                }),
            }
            tie_open = event.tie_start;
        }
        let tempo = TempoMap::constant(self.tempo_bpm);
        tempo.fill_seconds(&mut notes);
        Melody {
            title: self.title.clone(),
            tempo_bpm: self.tempo_bpm,
            time: Some(self.time),
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_values_cover_dotted_lengths_at_sixteenth_resolution() {
        let find = |t| NoteValue::from_ticks(t, 4);
        // 6 sixteenths = dotted quarter, 7 = double-dotted quarter, 5 has no single value.
        assert_eq!(
            find(6),
            Some(NoteValue {
                base: NoteType::Quarter,
                dots: 1
            })
        );
        assert_eq!(find(7).map(|v| v.dots), Some(2));
        assert_eq!(find(5), None);
        assert_eq!(find(16).map(|v| v.base), Some(NoteType::Whole));
    }

    #[test]
    fn measure_length_follows_the_time_signature() {
        assert_eq!(TimeSignature::new(6, 8).measure_ticks(4), 12);
        assert_eq!(TimeSignature::new(3, 4).measure_ticks(4), 12);
        assert_eq!(TimeSignature::COMMON.measure_ticks(480), 1920);
        assert!(TimeSignature::new(6, 8).is_compound());
        assert!(!TimeSignature::new(3, 8).is_compound());
    }
}

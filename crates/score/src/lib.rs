//! The written score: performed notes, quantisation into a score, exports
//! (MusicXML, MIDI, ABC), target import (MusicXML, MIDI) and grading a take
//! against a target melody.
//!
//! Everything here is pure code over plain data (`&[Note]`, `&str`, `&[u8]`);
//! reading audio and finding notes in it belongs to `tutti-ear`, files and
//! databases to callers.
//!
//! The flow: `tutti-ear` gives [`Note`]s → [`quantise`] makes a [`Score`]
//! (tempo, metre, key, note values) → [`to_musicxml`] / [`to_midi`] /
//! [`to_abc`] write it. A target comes from [`parse_musicxml`] or
//! [`parse_midi`] as a [`Melody`]; [`grade`] compares a take's notes with
//! `Melody::to_notes()` and gives a [`Grade`] with a [`Verdict`] per note.
//!
//! Extending: a new export is a module with a `to_x(&Score) -> String|Vec<u8>`
//! reading [`Score`]; a new metre is a candidate in `metre.rs`; grading
//! strictness lives in [`GradeOptions`], alignment costs in `grading/mod.rs`.

mod abc;
mod abc_read;
mod error;
mod follow;
mod grading;
mod melody;
mod metre;
mod midi;
mod musicxml;
mod note;
mod pitch;
mod quantise;
mod score;
mod tempo;

pub use abc::to_abc;
pub use abc_read::parse_abc;
pub use error::ScoreError;
pub use follow::{FollowEvent, FollowOptions, Follower, NoteProgress, Reading};
pub use grading::{
    ExtraNote, Grade, GradeOptions, NoteGrade, Verdict, VerdictCounts, grade, grade_with,
};
pub use melody::{Melody, MelodyNote};
pub use midi::{TICKS_PER_QUARTER, notes_to_midi, parse_midi, to_midi};
pub use musicxml::{parse_musicxml, to_musicxml, to_musicxml_coloured, to_musicxml_graded};
pub use note::Note;
pub use pitch::{KeySignature, Mode, SpelledPitch, Step, estimate_key};
pub use quantise::{DIVISIONS, QuantiseOptions, quantise};
pub use score::{Clef, Event, Measure, NoteType, NoteValue, Score, TimeSignature};
pub use tempo::{TempoEstimate, estimate_tempo, estimate_tuning_cents};

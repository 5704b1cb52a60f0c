//! The sung-line transcriber: notes begin where their vowel (or the held
//! sound of an instrument) establishes itself, so a consonant before a sung
//! syllable does not move the onset, and notes are separated by level dips
//! (consonants, breaths, re-articulations) or by a change of held pitch.
//! Built and tuned on real sight-singing; see `notes.rs` for the rules.
//!
//! Stages: [`analysis`] (5 ms frames: vowel-band level, timbre novelty, YIN
//! candidates) -> `track` (one pitch per frame by Viterbi) -> `notes`.

pub mod analysis;
pub(crate) mod notes;
pub(crate) mod track;

use crate::transcription::RawNote;

/// Notes of `x` sampled at `rate` Hz.
pub(crate) fn transcribe(x: &[f32], rate: f64) -> Vec<RawNote> {
    notes::segment(&analysis::analyse(x, rate))
}

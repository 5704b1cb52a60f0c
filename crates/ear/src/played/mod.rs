//! The played-line transcriber: notes begin at their attack, as an
//! instrument's note-on does, and are found by a Viterbi pass over the
//! semitones of the take's own tuning (so a steady, in-tune line is read
//! exactly), with re-attacks split by spectral flux and offsets at the start
//! of each release. Built and tuned on the rendered-instrument dev set.
//!
//! Stages: [`frames`] (10 ms frames: YIN pitch, band energies, noise floor,
//! spectral flux) -> `voicing` (activity gate, octave folding, tuning) ->
//! `segmentation` (Viterbi over semitone states) -> `onset` (re-attacks,
//! onset placement) -> `release` (offsets).

pub mod frames;
mod onset;
mod release;
pub(crate) mod segmentation;
pub(crate) mod voicing;

use crate::transcription::RawNote;

/// Notes of `x` sampled at `rate` Hz, and the tuning they were decoded at
/// (cents from the 440 Hz grid).
pub(crate) fn transcribe(x: &[f32], rate: f64) -> (Vec<RawNote>, f64) {
    let (notes, tuning) = segmentation::segment(&frames::analyse(x, rate));
    (notes, 100.0 * f64::from(tuning))
}

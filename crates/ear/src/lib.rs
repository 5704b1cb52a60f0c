//! Sans-IO listening: turns a recording of one melodic line (sung, whistled or
//! played) into notes.
//!
//! What this crate owns:
//! - [`decode`]: WAV / FLAC bytes to mono `f32` ([`Audio`]), with named
//!   [`Error`]s for empty, truncated, foreign, 0-length and over-long input.
//! - [`transcribe`]: samples to [`Transcription`] (notes as
//!   [`tutti_score::Note`], global tuning in cents, per-note intonation).
//! - [`LivePitch`]: a streaming tracker for the recording screen (note name,
//!   cents and level every 10 ms from a 40 ms window).
//! - [`evaluation`]: the note-matching metrics of
//!   `shared/eval/transcription/score.py` (mir_eval), and the note CSV format
//!   ([`notes_to_csv`], [`notes_from_csv`]).
//!
//! The pipeline, one module per stage: [`resample`] (integer decimation to
//! ~11 kHz) -> [`frames`] (10 ms frames: YIN pitch from [`pitch`], band
//! energies, noise floor, spectral flux) -> `voicing` (activity gate, octave
//! folding, tuning) -> `segmentation` (Viterbi over semitone states) ->
//! `onset` (re-attacks, onset placement) -> `release` (offsets).
//!
//! To extend: a new input format goes in `decode.rs` (sniff its magic bytes in
//! [`decode`]); a new frame feature in `frames.rs`; new note rules in the
//! stage they belong to. Check every change against the dev set
//! (`cargo test --release -p tutti-ear --test ear`, which fails when the mean
//! scores drop under their floors) and for speed run
//! `cargo bench -p tutti-ear --bench transcribe`.

mod decode;
mod error;
pub mod evaluation;
mod live;
mod note_table;
pub mod pitch;
pub mod played;
pub mod resample;
pub mod sung;
mod transcription;

pub use decode::{Audio, MAX_DURATION_S, SAMPLE_RATE_RANGE, decode};
pub use error::Error;
pub use live::{LIVE_HOP_S, LivePitch, LiveReading, NoteDisplay, note_name};
pub use note_table::{CSV_HEADER, notes_from_csv, notes_to_csv};
pub use transcription::{Config, Source, Transcription, estimate_tuning, transcribe};

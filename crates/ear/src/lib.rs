//! Sans-IO listening: turns a recording of one melodic line (sung, whistled or
//! played) into notes.
//!
//! What this crate owns:
//! - [`decode`]: WAV / FLAC bytes to mono `f32` ([`Audio`]), with named
//!   [`Error`]s for empty, truncated, foreign, 0-length and over-long input.
//! - [`transcribe`]: samples to [`Transcription`] (notes as
//!   [`tutti_score::Note`] with their measured pitch, global tuning in cents,
//!   per-note intonation, and which transcriber heard the take).
//! - [`LivePitch`]: a streaming tracker for the recording screen (level and
//!   pitch every 10 ms from a 40 ms window) with a [`NoteDisplay`] that keeps
//!   the shown note name steady through vibrato, slides and dropouts.
//! - [`LiveFollower`]: live pitch fed to a `tutti_score::Follower`, which
//!   keeps the learner's place in a target melody as they play
//!   ([`follow_recording`] plays a file through it).
//! - [`evaluation`]: the note-matching metrics of the eval sets' `score.py`
//!   (mir_eval), and the note CSV format ([`notes_to_csv`], [`notes_from_csv`]).
//!
//! Two transcribers, chosen by [`Source`] (by default from the take itself,
//! see `transcription.rs`):
//! - [`sung`], for voices: 5 ms frames (vowel-band level, timbre novelty,
//!   YIN candidates tracked by Viterbi), notes split at level dips and held-
//!   pitch changes, each starting where its vowel establishes itself. Built
//!   on real sight-singing.
//! - [`played`], for instruments: 10 ms frames, Viterbi over the semitones of
//!   the take's tuning, onsets at attacks, offsets at releases. Built on the
//!   rendered-instrument dev set.
//!
//! Both start with [`resample`] (integer decimation to ~11 kHz) and use the
//! YIN of [`pitch`].
//!
//! To extend: a new input format goes in `decode.rs` (sniff its magic bytes in
//! [`decode`]); a new frame feature in the transcriber's analysis; new note
//! rules in the stage they belong to. Check every change against the rendered
//! dev set (`cargo test --release -p tutti-ear --test ear`, which fails when
//! the mean scores drop under their floors), against real singing if you have
//! it (`TUTTI_REAL_SINGING_DIR=... cargo test --release -p tutti-ear --test ear
//! -- --ignored real_singing`), and run `cargo bench -p tutti-ear --bench
//! transcribe -- --dir <a set>` for speed and per-file numbers.

mod decode;
mod error;
pub mod evaluation;
mod live;
mod live_follow;
mod note_table;
pub mod pitch;
pub mod played;
pub mod resample;
pub mod sung;
mod transcription;

pub use decode::{Audio, MAX_DURATION_S, SAMPLE_RATE_RANGE, decode};
pub use error::Error;
pub use live::{LIVE_HOP_S, LivePitch, LiveReading, NoteDisplay, note_name};
pub use live_follow::{LiveFollower, follow_recording};
pub use note_table::{CSV_HEADER, notes_from_csv, notes_to_csv};
pub use transcription::{Config, Source, Transcription, estimate_tuning, transcribe};

//! Reading takes and targets from files for `transcribe` and `grade`.

use std::path::Path;

use anyhow::{Context, bail};
use tutti_score::Note;

/// Audio files the CLI reads.
pub const AUDIO_EXTENSIONS: &[&str] = &["wav", "flac"];

pub fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub fn is_audio(path: &Path) -> bool {
    AUDIO_EXTENSIONS.contains(&extension(path).as_str())
}

/// What a take is (`--source`): decides how notes are heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Source {
    /// Decide from the take: a voice unless its notes sit on one semitone grid.
    #[default]
    Auto,
    /// Singing: notes start at their vowel.
    Voice,
    /// An instrument: notes start at their attack.
    Instrument,
}

impl From<Source> for tutti_ear::Source {
    fn from(s: Source) -> tutti_ear::Source {
        match s {
            Source::Auto => tutti_ear::Source::Auto,
            Source::Voice => tutti_ear::Source::Voice,
            Source::Instrument => tutti_ear::Source::Instrument,
        }
    }
}

/// Decodes an audio file and transcribes it on this machine. Notes carry
/// their measured pitch (a score rounds it; grading has its own tolerance).
pub fn transcribe_file(path: &Path, source: Source) -> anyhow::Result<tutti_ear::Transcription> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let audio = tutti_ear::decode(&bytes).with_context(|| format!("{}", path.display()))?;
    Ok(tutti_ear::transcribe(
        &audio.samples,
        audio.sample_rate,
        &tutti_ear::Config {
            source: source.into(),
            ..tutti_ear::Config::default()
        },
    ))
}

/// Notes of a target melody or a take: MusicXML, MIDI, ABC, the eval CSV, or
/// audio (transcribed).
pub fn read_notes(path: &Path, source: Source) -> anyhow::Result<Vec<Note>> {
    let ctx = || format!("{}", path.display());
    match extension(path).as_str() {
        "musicxml" | "xml" => {
            let text = std::fs::read_to_string(path).with_context(ctx)?;
            Ok(tutti_score::parse_musicxml(&text)
                .with_context(ctx)?
                .to_notes())
        }
        "mid" | "midi" => {
            let bytes = std::fs::read(path).with_context(ctx)?;
            Ok(tutti_score::parse_midi(&bytes)
                .with_context(ctx)?
                .to_notes())
        }
        "abc" => {
            let text = std::fs::read_to_string(path).with_context(ctx)?;
            Ok(tutti_score::parse_abc(&text).with_context(ctx)?.to_notes())
        }
        "csv" => {
            let text = std::fs::read_to_string(path).with_context(ctx)?;
            Ok(tutti_ear::notes_from_csv(&text).with_context(ctx)?)
        }
        ext if AUDIO_EXTENSIONS.contains(&ext) => Ok(transcribe_file(path, source)?.notes),
        other => bail!(
            "{}: unsupported file type '.{other}' (use .musicxml, .mid, .abc, .csv, .wav or .flac)",
            path.display()
        ),
    }
}

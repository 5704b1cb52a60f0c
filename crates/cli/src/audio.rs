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

/// Decodes an audio file and transcribes it on this machine.
pub fn transcribe_file(path: &Path) -> anyhow::Result<tutti_ear::Transcription> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let audio = tutti_ear::decode(&bytes).with_context(|| format!("{}", path.display()))?;
    Ok(tutti_ear::transcribe(
        &audio.samples,
        audio.sample_rate,
        &tutti_ear::Config::default(),
    ))
}

/// Notes of a target melody or a take: MusicXML, MIDI, the eval CSV, or audio
/// (transcribed).
pub fn read_notes(path: &Path) -> anyhow::Result<Vec<Note>> {
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
        "csv" => {
            let text = std::fs::read_to_string(path).with_context(ctx)?;
            Ok(tutti_ear::notes_from_csv(&text).with_context(ctx)?)
        }
        ext if AUDIO_EXTENSIONS.contains(&ext) => Ok(transcribe_file(path)?.notes),
        other => bail!(
            "{}: unsupported file type '.{other}' (use .musicxml, .mid, .csv, .wav or .flac)",
            path.display()
        ),
    }
}

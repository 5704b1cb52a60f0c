//! Exports of a take: MusicXML (coloured by verdict when graded) and MIDI,
//! as bytes or written under the data directory's `exports/`.

use std::path::PathBuf;

use super::EXPORTS_DIR;
use super::dto::ExportFormat;
use super::take::{file_error, parse_notes, parsed_grade};
use crate::{Result, Tutti};

impl Tutti {
    /// The take written as MusicXML (coloured by verdict when graded) or MIDI:
    /// a file name and the bytes.
    pub fn practice_take_export(
        &self,
        id: &str,
        format: ExportFormat,
    ) -> Result<(String, Vec<u8>)> {
        let take = self.take_row(id)?;
        let notes = parse_notes(&take)?;
        let graded = take
            .grade
            .as_ref()
            .map(|g| parsed_grade(&take.id, g))
            .transpose()?;
        let mut opts = tutti_score::QuantiseOptions {
            title: take.title.clone(),
            ..Default::default()
        };
        if let Some((melody, grade)) = &graded {
            opts.tempo_bpm =
                Some(melody.tempo_bpm * grade.tempo_ratio).filter(|t| t.is_finite() && *t > 0.0);
            opts.time = melody.time;
        }
        let score = tutti_score::quantise(&notes, &opts);
        let bytes = match format {
            ExportFormat::Musicxml => match &graded {
                Some((_, grade)) => tutti_score::to_musicxml_graded(&score, &grade.take_verdicts),
                None => tutti_score::to_musicxml(&score),
            }
            .into_bytes(),
            ExportFormat::Midi => tutti_score::to_midi(&score),
        };
        Ok((
            format!("{}.{}", safe_file_stem(&take.title), format.extension()),
            bytes,
        ))
    }

    /// Writes the export into `exports/` under the data directory and returns its path.
    pub fn practice_take_export_file(&self, id: &str, format: ExportFormat) -> Result<PathBuf> {
        let (name, bytes) = self.practice_take_export(id, format)?;
        let dir = self.data_dir().join(EXPORTS_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| file_error(&dir, source))?;
        let path = dir.join(name);
        let temp = dir.join(format!(".{}.part", uuid::Uuid::new_v4()));
        std::fs::write(&temp, &bytes)
            .and_then(|()| std::fs::rename(&temp, &path))
            .map_err(|source| {
                let _ = std::fs::remove_file(&temp);
                file_error(&path, source)
            })?;
        Ok(path)
    }
}

/// A file name stem from a title: no path separators or control characters.
fn safe_file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let stem = stem.trim().trim_start_matches('.');
    if stem.is_empty() {
        "take".into()
    } else {
        stem.into()
    }
}

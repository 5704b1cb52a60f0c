//! The recordings library: takes imported from audio bytes or recorded by
//! the shell, graded against targets, renamed, deleted and exported.

use std::path::{Path, PathBuf};

use tutti_score::{Melody, Note};

use super::dto::{PracticeTake, TakeGrade, VerdictTally};
use super::target::parse_melody;
use super::{RECORDINGS_DIR, notation, valid_title};
use crate::store::practice::{GradeRow, TakeRow};
use crate::{Error, Result, Tutti};

/// Prefix of a recording in progress inside `recordings/`.
const IN_PROGRESS_PREFIX: &str = ".rec-";

/// A take's audio, decoded and transcribed, before it is stored.
struct Heard {
    notes: Vec<Note>,
    tuning_cents: f64,
    duration_s: f64,
    sample_rate: u32,
}

impl Tutti {
    /// Imports WAV or FLAC bytes as a take (stored as a mono WAV), graded
    /// against `target_id` when given. Bytes that are not audio, an unknown
    /// target or an empty title are errors and nothing is stored.
    pub fn practice_take_import(
        &self,
        title: &str,
        bytes: &[u8],
        target_id: Option<&str>,
    ) -> Result<PracticeTake> {
        let title = valid_title("title", title)?;
        let target = target_id.map(|id| self.target_row(id)).transpose()?;
        let audio = tutti_ear::decode(bytes).map_err(|e| Error::invalid("audio", e.to_string()))?;
        let heard = listen(&audio);
        let id = uuid::Uuid::new_v4().to_string();
        let dir = self.recordings_dir()?;
        let temp = dir.join(format!(".import-{id}.wav"));
        write_wav(&temp, &audio).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })?;
        let grade = match &target {
            Some(t) => Some(grade_row(&t.id, &t.title, &t.melody_json, &heard.notes)?),
            None => None,
        };
        let result = self.insert_take(&id, &title, &heard, grade, &temp);
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    /// Where the shell records a new take: `recordings/.rec-<uuid>.wav`
    /// (the folder is created). Hand the finished file to
    /// [`Tutti::practice_take_from_recording`].
    pub fn practice_recording_path(&self) -> Result<PathBuf> {
        let dir = self.recordings_dir()?;
        Ok(dir.join(format!("{IN_PROGRESS_PREFIX}{}.wav", uuid::Uuid::new_v4())))
    }

    /// Adds a finished recording to the library and grades it against
    /// `target_id`. The recording is never lost: if the target is gone or
    /// grading fails the take is kept ungraded, and if storing fails the
    /// file stays where it is for [`Tutti::practice_recover_recordings`].
    /// A recording without any audio is removed and reported.
    pub fn practice_take_from_recording(
        &self,
        path: &Path,
        title: &str,
        target_id: Option<&str>,
    ) -> Result<PracticeTake> {
        let title = valid_title("title", title)?;
        let bytes = std::fs::read(path).map_err(|source| file_error(path, source))?;
        let audio = match tutti_ear::decode(&bytes) {
            Ok(a) => a,
            Err(e) => {
                if bytes.len() <= 44 {
                    // A header and no samples: nothing was recorded.
                    let _ = std::fs::remove_file(path);
                }
                return Err(Error::invalid("audio", e.to_string()));
            }
        };
        let heard = listen(&audio);
        let grade = target_id
            .and_then(|id| self.store().practice_target(id).ok().flatten())
            .and_then(|t| {
                grade_row(&t.id, &t.title, &t.melody_json, &heard.notes)
                    .map_err(|e| tracing::warn!(error = %e, "recorded take not graded"))
                    .ok()
            });
        let id = uuid::Uuid::new_v4().to_string();
        self.insert_take(&id, &title, &heard, grade, path)
    }

    /// Adopts recordings a crash or power cut left in progress, ungraded,
    /// titled `title`. Call at start-up, before any recording starts.
    pub fn practice_recover_recordings(&self, title: &str) -> Result<Vec<PracticeTake>> {
        let dir = self.recordings_dir()?;
        let entries = std::fs::read_dir(&dir).map_err(|source| file_error(&dir, source))?;
        let mut adopted = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.starts_with(IN_PROGRESS_PREFIX) && name.ends_with(".wav")) {
                continue;
            }
            match self.practice_take_from_recording(&entry.path(), title, None) {
                Ok(take) => adopted.push(take),
                Err(e) => tracing::warn!(file = %name, error = %e, "recording not recovered"),
            }
        }
        Ok(adopted)
    }

    /// Newest first.
    pub fn practice_takes(&self) -> Result<Vec<PracticeTake>> {
        let rows = self.store().practice_takes()?;
        rows.iter().map(take_view).collect()
    }

    pub fn practice_take(&self, id: &str) -> Result<PracticeTake> {
        take_view(&self.take_row(id)?)
    }

    pub fn practice_take_rename(&self, id: &str, title: &str) -> Result<PracticeTake> {
        let title = valid_title("title", title)?;
        if !self.store().rename_practice_take(id, &title)? {
            return Err(not_found(id));
        }
        self.practice_take(id)
    }

    /// Grades the take (again) against a target; the new grade replaces the old.
    pub fn practice_take_grade(&self, id: &str, target_id: &str) -> Result<PracticeTake> {
        let take = self.take_row(id)?;
        let target = self.target_row(target_id)?;
        let notes = parse_notes(&take)?;
        let grade = grade_row(&target.id, &target.title, &target.melody_json, &notes)?;
        if !self.store().set_practice_take_grade(id, &grade)? {
            return Err(not_found(id));
        }
        self.practice_take(id)
    }

    /// Deletes the take's row and its audio file together.
    pub fn practice_take_delete(&self, id: &str) -> Result<()> {
        let dir = self.data_dir().join(RECORDINGS_DIR);
        let deleted = self.store().delete_practice_take(id, |file| {
            let path = dir.join(file);
            match std::fs::remove_file(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(source) => Err(file_error(&path, source)),
            }
        })?;
        if deleted { Ok(()) } else { Err(not_found(id)) }
    }

    /// The take's WAV bytes (for playback).
    pub fn practice_take_audio(&self, id: &str) -> Result<Vec<u8>> {
        let path = self.take_path(&self.take_row(id)?);
        std::fs::read(&path).map_err(|source| file_error(&path, source))
    }

    fn recordings_dir(&self) -> Result<PathBuf> {
        let dir = self.data_dir().join(RECORDINGS_DIR);
        std::fs::create_dir_all(&dir).map_err(|source| file_error(&dir, source))?;
        Ok(dir)
    }

    pub(super) fn take_row(&self, id: &str) -> Result<TakeRow> {
        self.store().practice_take(id)?.ok_or_else(|| not_found(id))
    }

    fn take_path(&self, take: &TakeRow) -> PathBuf {
        self.data_dir().join(RECORDINGS_DIR).join(&take.file_name)
    }

    /// One transaction: the row, then `from` renamed to `recordings/<id>.wav`.
    fn insert_take(
        &self,
        id: &str,
        title: &str,
        heard: &Heard,
        grade: Option<GradeRow>,
        from: &Path,
    ) -> Result<PracticeTake> {
        let file_name = format!("{id}.wav");
        let dest = self.data_dir().join(RECORDINGS_DIR).join(&file_name);
        let row = TakeRow {
            id: id.to_owned(),
            title: title.to_owned(),
            file_name,
            duration_s: heard.duration_s,
            sample_rate: heard.sample_rate,
            notes_json: serde_json::to_string(&heard.notes).expect("notes are JSON"),
            tuning_cents: heard.tuning_cents,
            grade,
            created_at: String::new(),
        };
        let stored = self.store().insert_practice_take(&row, || {
            std::fs::rename(from, &dest).map_err(|source| file_error(&dest, source))
        })?;
        tracing::info!(take = %id, notes = heard.notes.len(), "take stored");
        take_view(&stored)
    }
}

fn listen(audio: &tutti_ear::Audio) -> Heard {
    let t = tutti_ear::transcribe(
        &audio.samples,
        audio.sample_rate,
        &tutti_ear::Config::default(),
    );
    Heard {
        notes: t.notes,
        tuning_cents: t.tuning_cents,
        duration_s: audio.samples.len() as f64 / f64::from(audio.sample_rate.max(1)),
        sample_rate: audio.sample_rate,
    }
}

/// Mono 16-bit WAV of the decoded audio.
fn write_wav(path: &Path, audio: &tutti_ear::Audio) -> Result<()> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: audio.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let io = |e: hound::Error| match e {
        hound::Error::IoError(source) => file_error(path, source),
        other => file_error(path, std::io::Error::other(other.to_string())),
    };
    let mut w = hound::WavWriter::create(path, spec).map_err(io)?;
    for &s in &audio.samples {
        let v = (s.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
        w.write_sample(v).map_err(io)?;
    }
    w.finalize().map_err(io)
}

fn grade_row(target_id: &str, title: &str, melody_json: &str, notes: &[Note]) -> Result<GradeRow> {
    let melody = parse_melody(target_id, melody_json)?;
    let grade = tutti_score::grade(&melody.to_notes(), notes)
        .map_err(|e| Error::invalid("target_id", e.to_string()))?;
    Ok(GradeRow {
        target_id: Some(target_id.to_owned()),
        target_title: title.to_owned(),
        grade_json: serde_json::to_string(&grade).expect("a grade is JSON"),
        target_json: melody_json.to_owned(),
    })
}

pub(super) fn parse_notes(take: &TakeRow) -> Result<Vec<Note>> {
    serde_json::from_str(&take.notes_json).map_err(|e| corrupt(&take.id, &e))
}

pub(super) fn parsed_grade(id: &str, g: &GradeRow) -> Result<(Melody, tutti_score::Grade)> {
    let melody = parse_melody(id, &g.target_json)?;
    let grade = serde_json::from_str(&g.grade_json).map_err(|e| corrupt(id, &e))?;
    Ok((melody, grade))
}

fn take_view(row: &TakeRow) -> Result<PracticeTake> {
    let notes = parse_notes(row)?;
    let graded = row
        .grade
        .as_ref()
        .map(|g| parsed_grade(&row.id, g))
        .transpose()?;
    let notation = notation::take(&notes, &row.title, graded.as_ref().map(|(m, g)| (m, g)));
    let grade = match (&row.grade, &graded) {
        (Some(g), Some((melody, grade))) => Some(TakeGrade {
            target_id: g.target_id.clone(),
            target_title: g.target_title.clone(),
            pitch_score: grade.pitch_score,
            rhythm_score: grade.rhythm_score,
            total_score: grade.total_score,
            tuning_offset_cents: grade.tuning_offset_cents,
            tempo_ratio: grade.tempo_ratio,
            counts: VerdictTally {
                right: grade.counts.right as u32,
                sharp: grade.counts.sharp as u32,
                flat: grade.counts.flat as u32,
                early: grade.counts.early as u32,
                late: grade.counts.late as u32,
                missed: grade.counts.missed as u32,
                extra: grade.counts.extra as u32,
            },
            target_notation: notation::graded_target(melody, grade),
        }),
        _ => None,
    };
    Ok(PracticeTake {
        id: row.id.clone(),
        title: row.title.clone(),
        created_at: row.created_at.clone(),
        duration_s: row.duration_s,
        sample_rate: row.sample_rate,
        note_count: notes.len() as u32,
        tuning_cents: row.tuning_cents,
        notation,
        grade,
    })
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "take",
        field: "take_id",
        id: id.to_owned(),
    }
}

fn corrupt(id: &str, e: &serde_json::Error) -> Error {
    Error::CorruptRecord {
        what: "take",
        id: id.to_owned(),
        reason: e.to_string(),
    }
}

pub(super) fn file_error(path: &Path, source: std::io::Error) -> Error {
    Error::File {
        path: path.to_path_buf(),
        source,
    }
}

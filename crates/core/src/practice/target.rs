//! Target melodies: imported from MusicXML, MIDI or the note CSV, or taken
//! from a level test's performance part.

use tutti_score::{Melody, MelodyNote, TimeSignature};

use super::dto::{PracticeTarget, TargetFormat, TargetSource};
use super::{notation, valid_title};
use crate::dto::Language;
use crate::store::practice::TargetRow;
use crate::{Error, Result, Tutti};

/// Tempo given to a CSV target (its notes are in seconds only).
const CSV_TEMPO_BPM: f64 = 120.0;

impl Tutti {
    /// Imports a target melody from file bytes. A file that does not parse
    /// or holds no notes is an `invalid_input` error and nothing is stored.
    pub fn practice_target_import(
        &self,
        title: &str,
        format: TargetFormat,
        bytes: &[u8],
    ) -> Result<PracticeTarget> {
        let title = valid_title("title", title)?;
        let bad = |e: &dyn std::fmt::Display| Error::invalid("file", e.to_string());
        let (mut melody, source) = match format {
            TargetFormat::Musicxml => {
                let text = std::str::from_utf8(bytes).map_err(|e| bad(&e))?;
                let m = tutti_score::parse_musicxml(text).map_err(|e| bad(&e))?;
                (m, TargetSource::Musicxml)
            }
            TargetFormat::Midi => {
                let m = tutti_score::parse_midi(bytes).map_err(|e| bad(&e))?;
                (m, TargetSource::Midi)
            }
            TargetFormat::Csv => {
                let text = std::str::from_utf8(bytes).map_err(|e| bad(&e))?;
                let notes = tutti_ear::notes_from_csv(text).map_err(|e| bad(&e))?;
                (melody_from_seconds(&notes), TargetSource::Csv)
            }
        };
        if melody.notes.is_empty() {
            return Err(Error::invalid("file", "the file holds no notes"));
        }
        melody.title.clone_from(&title);
        self.store_target(&title, source, &melody, None)
    }

    /// A target from the performance part of the newest level test of an AI
    /// mentor room (pitched parts only).
    pub fn practice_target_from_level_test(&self, room_id: &str) -> Result<PracticeTarget> {
        let (test_id, json) = self
            .store()
            .latest_level_test_json(room_id)?
            .ok_or_else(|| Error::NotFound {
                what: "level test",
                field: "room_id",
                id: room_id.to_owned(),
            })?;
        let test: tutti_mentor::LevelTest =
            serde_json::from_str(&json).map_err(|e| Error::CorruptRecord {
                what: "level test of room",
                id: room_id.to_owned(),
                reason: e.to_string(),
            })?;
        let part = test.performance.ok_or_else(|| {
            Error::invalid("room_id", "this room's level test has no performance part")
        })?;
        if part.kind != tutti_mentor::PerformanceKind::Pitched {
            return Err(Error::invalid(
                "room_id",
                "a drum pattern cannot be practised as a melody",
            ));
        }
        let title = match self.store().settings()?.language {
            Language::Ko => part.title.ko.clone(),
            Language::En => part.title.en.clone(),
        };
        let tempo = f64::from(part.tempo_bpm.max(1));
        let mut beat = 0.0;
        let mut notes = Vec::with_capacity(part.notes.len());
        for n in &part.notes {
            let beats = f64::from(n.beats);
            notes.push(MelodyNote {
                onset_beats: beat,
                duration_beats: beats,
                onset_s: beat * 60.0 / tempo,
                offset_s: (beat + beats) * 60.0 / tempo,
                midi_pitch: n.midi,
            });
            beat += beats;
        }
        let melody = Melody {
            title: title.clone(),
            tempo_bpm: tempo,
            time: Some(TimeSignature {
                beats: part.beats_per_bar.max(1),
                beat_type: 4,
            }),
            notes,
        };
        self.store_target(
            &valid_title("title", &title)?,
            TargetSource::LevelTest,
            &melody,
            Some(test_id),
        )
    }

    /// Newest first.
    pub fn practice_targets(&self) -> Result<Vec<PracticeTarget>> {
        let rows = self.store().practice_targets()?;
        rows.iter().map(target_view).collect()
    }

    pub fn practice_target(&self, id: &str) -> Result<PracticeTarget> {
        target_view(&self.target_row(id)?)
    }

    /// Deletes a target; takes graded against it keep their grade.
    pub fn practice_target_delete(&self, id: &str) -> Result<()> {
        if self.store().delete_practice_target(id)? {
            Ok(())
        } else {
            Err(not_found(id))
        }
    }

    pub(crate) fn target_row(&self, id: &str) -> Result<TargetRow> {
        self.store()
            .practice_target(id)?
            .ok_or_else(|| not_found(id))
    }

    fn store_target(
        &self,
        title: &str,
        source: TargetSource,
        melody: &Melody,
        level_test_id: Option<i64>,
    ) -> Result<PracticeTarget> {
        let id = uuid::Uuid::new_v4().to_string();
        let json = serde_json::to_string(melody).expect("a melody is JSON");
        let row = self.store().insert_practice_target(
            &id,
            title,
            source_to_sql(source),
            &json,
            level_test_id,
        )?;
        tracing::info!(target = %id, notes = melody.notes.len(), "practice target stored");
        target_view(&row)
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "practice target",
        field: "target_id",
        id: id.to_owned(),
    }
}

/// Notes in seconds as a melody at [`CSV_TEMPO_BPM`].
fn melody_from_seconds(notes: &[tutti_score::Note]) -> Melody {
    let beat_s = 60.0 / CSV_TEMPO_BPM;
    Melody {
        title: String::new(),
        tempo_bpm: CSV_TEMPO_BPM,
        time: None,
        notes: notes
            .iter()
            .filter(|n| n.midi_pitch.is_finite() && n.offset_s > n.onset_s)
            .map(|n| MelodyNote {
                onset_beats: n.onset_s / beat_s,
                duration_beats: n.duration_s() / beat_s,
                onset_s: n.onset_s,
                offset_s: n.offset_s,
                midi_pitch: n.midi_pitch.round().clamp(0.0, 127.0) as u8,
            })
            .collect(),
    }
}

pub(crate) fn parse_melody(id: &str, json: &str) -> Result<Melody> {
    serde_json::from_str(json).map_err(|e| Error::CorruptRecord {
        what: "practice target",
        id: id.to_owned(),
        reason: e.to_string(),
    })
}

fn source_to_sql(source: TargetSource) -> &'static str {
    match source {
        TargetSource::Musicxml => "musicxml",
        TargetSource::Midi => "midi",
        TargetSource::Csv => "csv",
        TargetSource::LevelTest => "level_test",
    }
}

fn target_view(row: &TargetRow) -> Result<PracticeTarget> {
    let melody = parse_melody(&row.id, &row.melody_json)?;
    let source = match row.source.as_str() {
        "musicxml" => TargetSource::Musicxml,
        "midi" => TargetSource::Midi,
        "csv" => TargetSource::Csv,
        "level_test" => TargetSource::LevelTest,
        other => {
            return Err(Error::CorruptRecord {
                what: "practice target",
                id: row.id.clone(),
                reason: format!("unknown source `{other}`"),
            });
        }
    };
    Ok(PracticeTarget {
        id: row.id.clone(),
        title: row.title.clone(),
        source,
        note_count: melody.notes.len() as u32,
        duration_s: melody.notes.iter().map(|n| n.offset_s).fold(0.0, f64::max),
        tempo_bpm: melody.tempo_bpm,
        abc: notation::target(&melody).abc,
        created_at: row.created_at.clone(),
        level_test_room_id: row.level_test.as_ref().map(|(_, room)| room.clone()),
    })
}

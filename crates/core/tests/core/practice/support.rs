//! Synthesised melodies (harmonic tones written as real WAV files) and a dump
//! of the practice tables and recordings folder.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;
use tutti_core::data_dir::DATABASE_FILE;
use tutti_score::Note;

pub const RATE: u32 = 44_100;
/// Seconds per note (a quarter at 120 bpm).
pub const STEP_S: f64 = 0.5;
/// C D E F G A G.
pub const MELODY: [u8; 7] = [60, 62, 64, 65, 67, 69, 67];

/// Notes of `pitches`, one per beat at 120 bpm, each sounding 90 % of it.
pub fn notes(pitches: &[u8]) -> Vec<Note> {
    pitches
        .iter()
        .enumerate()
        .map(|(i, &p)| Note {
            onset_s: 0.5 + i as f64 * STEP_S,
            offset_s: 0.5 + i as f64 * STEP_S + STEP_S * 0.9,
            midi_pitch: f64::from(p),
        })
        .collect()
}

/// The target as MusicXML bytes, written by tutti-score.
pub fn target_musicxml(pitches: &[u8]) -> Vec<u8> {
    let score = tutti_score::quantise(
        &notes(pitches),
        &tutti_score::QuantiseOptions {
            title: "Scale".into(),
            tempo_bpm: Some(120.0),
            ..Default::default()
        },
    );
    tutti_score::to_musicxml(&score).into_bytes()
}

/// A sung-like take of `pitches` (three harmonics, soft attack and release),
/// `cents` off A440, as 16-bit mono WAV bytes.
pub fn take_wav(pitches: &[u8], cents: f64) -> Vec<u8> {
    wav_of(&notes(pitches), cents)
}

/// `notes` synthesised like [`take_wav`], with half a second of silence after.
pub fn wav_of(notes: &[Note], cents: f64) -> Vec<u8> {
    let total = notes.iter().map(|n| n.offset_s).fold(0.0, f64::max) + 0.5;
    let mut samples = vec![0.0f32; (total * f64::from(RATE)) as usize];
    for n in notes {
        let f = 440.0 * 2f64.powf((n.midi_pitch - 69.0 + cents / 100.0) / 12.0);
        let start = (n.onset_s * f64::from(RATE)) as usize;
        let len = ((n.offset_s - n.onset_s) * f64::from(RATE)) as usize;
        for i in 0..len {
            let t = i as f64 / f64::from(RATE);
            let env = (t / 0.02).min(1.0) * ((len - i) as f64 / (0.03 * f64::from(RATE))).min(1.0);
            let w = std::f64::consts::TAU * f * t;
            let s = 0.5 * w.sin() + 0.25 * (2.0 * w).sin() + 0.12 * (3.0 * w).sin();
            samples[start + i] += (0.6 * env * s) as f32;
        }
    }
    let mut cursor = std::io::Cursor::new(Vec::new());
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::new(&mut cursor, spec).expect("wav writer");
    for s in samples {
        w.write_sample((s * 32767.0) as i16).expect("sample");
    }
    w.finalize().expect("finalise");
    cursor.into_inner()
}

/// Every practice row plus the names in `recordings/`, to prove a rejected
/// action changed nothing.
pub fn snapshot(dir: &Path) -> Vec<String> {
    let conn = Connection::open(dir.join(DATABASE_FILE)).expect("the database opens");
    let mut rows = Vec::new();
    for table in ["practice_targets", "practice_takes"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .expect("select");
        let columns = stmt.column_count();
        let mut query = stmt.query([]).expect("query");
        while let Some(row) = query.next().expect("row") {
            let values: Vec<Value> = (0..columns).map(|i| row.get(i).expect("value")).collect();
            rows.push(format!("{table}: {values:?}"));
        }
    }
    rows.extend(recordings(dir));
    rows
}

/// File names in `recordings/`, sorted.
pub fn recordings(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join("recordings"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

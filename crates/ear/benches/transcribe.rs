//! Transcription speed and accuracy, printed (nothing here is asserted).
//!
//! ```text
//! cargo bench -p tutti-ear --bench transcribe                  # the rendered dev set in eval/
//! cargo bench -p tutti-ear --bench transcribe -- --dir SET ... # and any set with audio/ and gt/
//! ```
//!
//! For each set: per-file note F1 (onset; onset+offset) as `score.py`
//! computes them, which transcriber heard each file, the mean over files,
//! the CPU time per minute of audio (decoding included, best of three
//! rounds, one thread), the live display's steadiness (how often the shown
//! note changes inside one annotated note, against the raw nearest
//! semitone) and grading each recording against its own annotation (score,
//! and whether three shifted target notes are exactly the ones flagged).
//! A set that may not be redistributed (the real sight-singing set) is read
//! from where you keep it; nothing is copied.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};

use cpu_time::ProcessTime;
use tutti_ear::evaluation::{read_scored_csv, score_notes, summarize};
use tutti_score::Note;

fn rendered_set() -> PathBuf {
    std::env::var_os("TUTTI_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../eval"))
        .join("transcription/dev")
}

struct Recording {
    name: String,
    bytes: Vec<u8>,
    truth: Vec<Note>,
}

fn load(set: &Path) -> Result<Vec<Recording>, Box<dyn std::error::Error>> {
    let audio = set.join("audio");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&audio)
        .map_err(|e| format!("cannot read {}: {e}", audio.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "flac" || x == "wav"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let gt = set.join("gt").join(format!("{name}.csv"));
        let text = std::fs::read_to_string(&gt)
            .map_err(|e| format!("no ground truth {}: {e}", gt.display()))?;
        out.push(Recording {
            bytes: std::fs::read(&p)?,
            truth: read_scored_csv(&text).0,
            name,
        });
    }
    if out.is_empty() {
        return Err(format!("no audio in {}", audio.display()).into());
    }
    Ok(out)
}

/// Shown-note changes inside held annotated notes (notes of 250 ms or more,
/// from 150 ms after the onset, once the display has moved to the note, to
/// 30 ms before the offset), for the display and for the raw nearest note.
fn steadiness(audio: &tutti_ear::Audio, truth: &[Note]) -> (usize, usize, usize) {
    let Ok(mut live) = tutti_ear::LivePitch::new(audio.sample_rate) else {
        return (0, 0, 0);
    };
    let mut readings = Vec::new();
    for chunk in audio.samples.chunks(1024) {
        readings.extend(live.push(chunk));
    }
    let (mut shown_changes, mut raw_changes, mut notes) = (0, 0, 0);
    for n in truth {
        let (a, b) = (n.onset_s + 0.15, n.offset_s - 0.03);
        if n.offset_s - n.onset_s < 0.25 {
            continue;
        }
        notes += 1;
        let inside: Vec<_> = readings
            .iter()
            .filter(|r| r.time_s >= a && r.time_s <= b)
            .collect();
        let count = |v: Vec<i32>| v.windows(2).filter(|w| w[0] != w[1]).count();
        shown_changes += count(inside.iter().filter_map(|r| r.note).collect());
        raw_changes += count(
            inside
                .iter()
                .filter_map(|r| r.midi.map(|m| m.round() as i32))
                .collect(),
        );
    }
    (notes, shown_changes, raw_changes)
}

/// Grades the take against its own annotation, then against the annotation
/// with three notes moved a whole tone up; returns (score, score with the
/// moves, whether every moved note that was sung is flagged and no other
/// note is newly flagged).
fn grading(take: &[Note], truth: &[Note]) -> Option<(f64, f64, bool)> {
    let (exact, moved, picks) = grade_moved(take, truth)?;
    Some((
        exact.total_score,
        moved.total_score,
        flags_exactly(&exact, &moved, &picks),
    ))
}

/// The grades against the annotation and against it with three notes
/// (a quarter, half and three quarters in) moved a whole tone up.
fn grade_moved(
    take: &[Note],
    truth: &[Note],
) -> Option<(tutti_score::Grade, tutti_score::Grade, [usize; 3])> {
    if truth.len() < 8 {
        return None;
    }
    let exact = tutti_score::grade(truth, take).ok()?;
    let picks = [truth.len() / 4, truth.len() / 2, 3 * truth.len() / 4];
    let mut moved = truth.to_vec();
    for &i in &picks {
        moved[i].midi_pitch += 2.0;
    }
    let g = tutti_score::grade(&moved, take).ok()?;
    Some((exact, g, picks))
}

fn flags_exactly(exact: &tutti_score::Grade, moved: &tutti_score::Grade, picks: &[usize]) -> bool {
    use tutti_score::Verdict::{Flat, Missed, Sharp};
    exact
        .notes
        .iter()
        .zip(&moved.notes)
        .enumerate()
        .all(|(i, (a, b))| {
            let wrong = |v| matches!(v, Sharp | Flat);
            if picks.contains(&i) {
                // sung and now flagged (heard flat, or its sung note matched elsewhere)
                a.verdict == Missed || matches!(b.verdict, Flat | Missed)
            } else {
                !wrong(b.verdict) || wrong(a.verdict)
            }
        })
}

/// Prints the verdicts of a recording whose moved notes were not exactly
/// the ones flagged (`TUTTI_BENCH_VERBOSE`).
fn explain_grading(take: &[Note], truth: &[Note]) {
    let Some((a, b, picks)) = grade_moved(take, truth) else {
        return;
    };
    for (i, (x, y)) in a.notes.iter().zip(&b.notes).enumerate() {
        if x.verdict != y.verdict || picks.contains(&i) {
            println!(
                "    note {i}: {:?} -> {:?}{}",
                x.verdict,
                y.verdict,
                if picks.contains(&i) { " (moved)" } else { "" }
            );
        }
    }
}

fn run_set(set: &Path, rounds: usize) -> Result<(), Box<dyn std::error::Error>> {
    let recordings = load(set)?;
    println!("\n== {} ({} recordings)", set.display(), recordings.len());
    let cfg = tutti_ear::Config::default();
    // accuracy, steadiness and grading (one pass)
    let mut scores = Vec::new();
    let (mut notes, mut shown, mut raw) = (0, 0, 0);
    let mut grades = Vec::new();
    let mut heard_voice = 0;
    for r in &recordings {
        let audio = tutti_ear::decode(&r.bytes).map_err(|e| format!("{}: {e}", r.name))?;
        let t = tutti_ear::transcribe(&audio.samples, audio.sample_rate, &cfg);
        heard_voice += usize::from(t.heard_as == tutti_ear::Source::Voice);
        let s = score_notes(&r.truth, &t.notes);
        let (n, sc, rc) = steadiness(&audio, &r.truth);
        (notes, shown, raw) = (notes + n, shown + sc, raw + rc);
        let g = grading(&t.notes, &r.truth);
        if std::env::var_os("TUTTI_BENCH_VERBOSE").is_some() && matches!(g, Some((_, _, false))) {
            explain_grading(&t.notes, &r.truth);
        }
        println!(
            "{:36} ref {:3} est {:3} onset F1 {:.3} onset+offset F1 {:.3} heard as {:10}{}",
            r.name,
            s.n_ref,
            s.n_est,
            s.onset.f1,
            s.onset_offset.f1,
            format!("{:?}", t.heard_as),
            g.map(|(a, b, ok)| format!(
                " grade {a:5.1} shifted {b:5.1} flagged {}",
                if ok { "yes" } else { "NO" }
            ))
            .unwrap_or_default()
        );
        if let Some(g) = g {
            grades.push(g);
        }
        scores.push(s);
    }
    let s = summarize(&scores);
    println!(
        "accuracy: mean onset F1 {:.3}, mean onset+offset F1 {:.3} over {} files ({} heard as a voice)",
        s.mean_onset_f1, s.mean_onset_offset_f1, s.n_files, heard_voice
    );
    if notes > 0 {
        println!(
            "live display: {:.3} note-name changes per held note (raw nearest semitone: {:.3}) over {notes} notes of 250 ms or more",
            shown as f64 / notes as f64,
            raw as f64 / notes as f64
        );
    }
    if !grades.is_empty() {
        let n = grades.len() as f64;
        println!(
            "grading against the annotation: mean total {:.1}; with three notes moved a tone {:.1}, moved notes flagged in {}/{} recordings",
            grades.iter().map(|g| g.0).sum::<f64>() / n,
            grades.iter().map(|g| g.1).sum::<f64>() / n,
            grades.iter().filter(|g| g.2).count(),
            grades.len()
        );
    }
    // speed: decode + transcribe, best of `rounds`
    let mut best = f64::MAX;
    let mut audio_s = 0.0;
    for _ in 0..rounds {
        audio_s = 0.0;
        let start = ProcessTime::now();
        for r in &recordings {
            let audio = tutti_ear::decode(&r.bytes)?;
            audio_s += audio.duration_s();
            std::hint::black_box(tutti_ear::transcribe(
                &audio.samples,
                audio.sample_rate,
                &cfg,
            ));
        }
        best = best.min(start.elapsed().as_secs_f64() / (audio_s / 60.0));
    }
    println!(
        "speed: {best:.4} CPU seconds per audio minute, decoding included ({:.0}x real time; {:.1} s of audio, best of {rounds})",
        60.0 / best,
        audio_s
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sets = vec![rendered_set()];
    let mut rounds = 3;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--dir" => {
                let dir = args.get(i + 1).ok_or("--dir needs a folder")?;
                sets.push(PathBuf::from(dir));
                i += 1;
            }
            "--rounds" => {
                rounds = args
                    .get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .ok_or("--rounds needs a number")?;
                i += 1;
            }
            _ => {} // cargo passes --bench
        }
        i += 1;
    }
    for set in &sets {
        run_set(set, rounds)?;
    }
    Ok(())
}

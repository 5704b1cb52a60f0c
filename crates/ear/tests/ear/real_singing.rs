//! Real people sight-singing (62 recordings, hand-annotated): the floors of
//! transcription accuracy, live-display steadiness and grading on real
//! voices. The set has no licence to redistribute, so it is not in the
//! repository: these tests read it from `TUTTI_REAL_SINGING_DIR` (a folder
//! with `audio/` and `gt/`) and are ignored unless asked for:
//!
//! ```text
//! TUTTI_REAL_SINGING_DIR=/path/to/transcription-real-dev \
//!   cargo test --release -p tutti-ear --test ear -- --ignored real_singing
//! ```
//!
//! `cargo bench -p tutti-ear --bench transcribe -- --dir <same folder>`
//! prints the numbers these floors sit under.

use std::path::PathBuf;

use tutti_ear::evaluation::{read_scored_csv, score_notes, summarize};
use tutti_score::{Note, Verdict};

use crate::support::stems;

const WHY: &str =
    "needs the real sight-singing set, which may not be redistributed: set TUTTI_REAL_SINGING_DIR";

/// (name, decoded audio, annotation) of every recording of the set.
fn recordings() -> Vec<(String, tutti_ear::Audio, Vec<Note>)> {
    let dir = PathBuf::from(
        std::env::var_os("TUTTI_REAL_SINGING_DIR")
            .unwrap_or_else(|| panic!("TUTTI_REAL_SINGING_DIR is not set ({WHY})")),
    );
    let names = stems(&dir.join("audio"), "flac");
    assert!(
        !names.is_empty(),
        "no FLAC files in {}",
        dir.join("audio").display()
    );
    names
        .into_iter()
        .map(|name| {
            let bytes =
                std::fs::read(dir.join("audio").join(format!("{name}.flac"))).expect("audio");
            let audio = tutti_ear::decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            let gt =
                std::fs::read_to_string(dir.join("gt").join(format!("{name}.csv"))).expect("gt");
            let (truth, _) = read_scored_csv(&gt);
            (name, audio, truth)
        })
        .collect()
}

#[test]
#[ignore = "needs the real sight-singing set, which may not be redistributed: set TUTTI_REAL_SINGING_DIR"]
fn real_singing_transcribes_above_its_floors() {
    let mut scores = Vec::new();
    let mut report = String::new();
    for (name, audio, truth) in recordings() {
        let t = tutti_ear::transcribe(
            &audio.samples,
            audio.sample_rate,
            &tutti_ear::Config::default(),
        );
        assert_eq!(t.heard_as, tutti_ear::Source::Voice, "{name} is a voice");
        let s = score_notes(&truth, &t.notes);
        report.push_str(&format!(
            "{name}: {:.3} {:.3}\n",
            s.onset.f1, s.onset_offset.f1
        ));
        scores.push(s);
    }
    let s = summarize(&scores);
    // measured 0.748 / 0.673 when set (the issue's goal is 0.80 / 0.65)
    assert!(
        s.mean_onset_f1 >= 0.73,
        "mean onset F1 {:.3}\n{report}",
        s.mean_onset_f1
    );
    assert!(
        s.mean_onset_offset_f1 >= 0.65,
        "mean onset+offset F1 {:.3}\n{report}",
        s.mean_onset_offset_f1
    );
}

#[test]
#[ignore = "needs the real sight-singing set, which may not be redistributed: set TUTTI_REAL_SINGING_DIR"]
fn real_singing_live_note_name_is_steady_inside_held_notes() {
    let (mut held, mut shown_changes, mut raw_changes) = (0usize, 0usize, 0usize);
    for (_, audio, truth) in recordings() {
        let mut live = tutti_ear::LivePitch::new(audio.sample_rate).expect("rate");
        let mut readings = Vec::new();
        for chunk in audio.samples.chunks(1024) {
            readings.extend(live.push(chunk));
        }
        for n in truth.iter().filter(|n| n.offset_s - n.onset_s >= 0.25) {
            held += 1;
            let inside: Vec<_> = readings
                .iter()
                .filter(|r| r.time_s >= n.onset_s + 0.15 && r.time_s <= n.offset_s - 0.03)
                .collect();
            let changes = |v: Vec<i32>| v.windows(2).filter(|w| w[0] != w[1]).count();
            shown_changes += changes(inside.iter().filter_map(|r| r.note).collect());
            raw_changes += changes(
                inside
                    .iter()
                    .filter_map(|r| r.midi.map(|m| m.round() as i32))
                    .collect(),
            );
        }
    }
    let (shown, raw) = (
        shown_changes as f64 / held as f64,
        raw_changes as f64 / held as f64,
    );
    // measured 0.49 shown against 1.69 raw when set
    assert!(
        shown <= 0.6 && shown <= 0.4 * raw,
        "the shown note changed {shown:.2} times per held note (the raw nearest semitone {raw:.2})"
    );
}

#[test]
#[ignore = "needs the real sight-singing set, which may not be redistributed: set TUTTI_REAL_SINGING_DIR"]
fn real_singing_grades_against_its_own_annotation() {
    let (mut totals, mut exact, mut graded) = (0.0, 0usize, 0usize);
    for (_, audio, truth) in recordings() {
        if truth.len() < 8 {
            continue;
        }
        let take = tutti_ear::transcribe(
            &audio.samples,
            audio.sample_rate,
            &tutti_ear::Config::default(),
        )
        .notes;
        let g = tutti_score::grade(&truth, &take).expect("grades");
        let picks = [truth.len() / 4, truth.len() / 2, 3 * truth.len() / 4];
        let mut moved = truth.clone();
        for &i in &picks {
            moved[i].midi_pitch += 2.0;
        }
        let m = tutti_score::grade(&moved, &take).expect("grades");
        let wrong = |v: Verdict| matches!(v, Verdict::Sharp | Verdict::Flat);
        let only_moved = g.notes.iter().zip(&m.notes).enumerate().all(|(i, (a, b))| {
            if picks.contains(&i) {
                a.verdict == Verdict::Missed || matches!(b.verdict, Verdict::Flat | Verdict::Missed)
            } else {
                !wrong(b.verdict) || wrong(a.verdict)
            }
        });
        totals += g.total_score;
        exact += usize::from(only_moved);
        graded += 1;
    }
    let mean = totals / graded as f64;
    // measured 89.8 and 51 of 62 when set: in the others a note of the
    // singer's that sat near the 40-cent tolerance crossed it when the three
    // moved notes left the tuning estimate, or a moved note was matched to a
    // neighbouring sung note of the same pitch
    assert!(
        mean >= 87.0,
        "a take graded against its own annotation scores {mean:.1} on average"
    );
    assert!(
        exact * 100 >= 80 * graded,
        "three moved target notes are exactly the ones flagged in {exact} of {graded} recordings"
    );
}

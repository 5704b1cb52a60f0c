//! The Rust scorer reproduces score.py: on every committed anchor prediction,
//! the per-file numbers in the anchor's scores.json (written by score.py with
//! mir_eval) come out the same.

use tutti_ear::evaluation::{read_scored_csv, score_notes};

use crate::support::{stems, transcription_dir};

#[test]
fn rust_scorer_agrees_with_score_py_on_every_anchor_file() {
    let dir = transcription_dir();
    let anchors = dir.join("anchors/dev");
    let mut checked = 0;
    for entry in
        std::fs::read_dir(&anchors).unwrap_or_else(|e| panic!("{}: {e}", anchors.display()))
    {
        let anchor = entry.expect("dir entry").path();
        let Ok(text) = std::fs::read_to_string(anchor.join("scores.json")) else {
            continue;
        };
        let json: serde_json::Value = serde_json::from_str(&text).expect("scores.json parses");
        let per_file = json["per_file"].as_array().expect("per_file array");
        for rec in per_file {
            let name = rec["file"].as_str().expect("file name");
            let gt_text = std::fs::read_to_string(dir.join("dev/gt").join(format!("{name}.csv")))
                .expect("gt csv");
            let (gt, _) = read_scored_csv(&gt_text);
            let pred_text =
                std::fs::read_to_string(anchor.join(format!("{name}.csv"))).unwrap_or_default();
            let (pred, dropped) = read_scored_csv(&pred_text);
            let s = score_notes(&gt, &pred);
            let want = |k: &str| rec[k].as_f64().unwrap_or_else(|| panic!("{name}: no {k}"));
            let ctx = format!("{} / {name}", anchor.display());
            assert_eq!(s.n_ref as f64, want("n_ref"), "{ctx}");
            assert_eq!(s.n_est as f64, want("n_est"), "{ctx}");
            assert_eq!(dropped as f64, want("dropped_invalid"), "{ctx}");
            for (got, key) in [
                (s.onset.f1, "onset_F"),
                (s.onset_offset.f1, "onoff_F"),
                (s.onset100_f1, "onset100_F"),
                (s.overlap, "overlap"),
                (s.onset.precision, "onset_P"),
                (s.onset_offset.recall, "onoff_R"),
            ] {
                assert!(
                    (got - want(key)).abs() < 1e-6,
                    "{ctx}: {key} {got} vs score.py {}",
                    want(key)
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 33 * 5, "only {checked} anchor files checked");
}

#[test]
fn every_dev_recording_has_ground_truth() {
    let dir = transcription_dir();
    assert_eq!(
        stems(&dir.join("dev/audio"), "flac"),
        stems(&dir.join("dev/gt"), "csv")
    );
}

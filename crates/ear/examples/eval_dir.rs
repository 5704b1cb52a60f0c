//! Diagnostic: transcribes every audio file of an eval set, writes the CSVs
//! and prints per-file scores, timing errors and a summary.
//! usage: eval_dir SET_DIR OUT_DIR   (SET_DIR has audio/, gt/, manifest.csv)
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;

use tutti_ear::evaluation::{Tolerances, match_notes, read_scored_csv, score_notes, summarize};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let set = std::path::PathBuf::from(args.next().ok_or("usage: eval_dir SET_DIR OUT_DIR")?);
    let out = std::path::PathBuf::from(args.next().ok_or("usage: eval_dir SET_DIR OUT_DIR")?);
    let filter = args.next();
    std::fs::create_dir_all(&out)?;
    let manifest = std::fs::read_to_string(set.join("manifest.csv")).unwrap_or_default();
    let mut meta: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lines = manifest.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or("")
        .split(',')
        .map(String::from)
        .collect();
    for l in lines {
        let f: Vec<String> = l.split(',').map(String::from).collect();
        meta.insert(f[0].trim_end_matches(".flac").to_string(), f);
    }
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut entries: Vec<_> = std::fs::read_dir(set.join("audio"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut scores = Vec::new();
    let mut groups: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let (mut on_err, mut off_err) = (Vec::new(), Vec::new());
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        let audio = tutti_ear::decode(&std::fs::read(&path)?)?;
        let cfg = tutti_ear::Config {
            snap_to_semitones: std::env::var("TUTTI_SNAP").is_ok_and(|v| v == "1"),
            source: match std::env::var("TUTTI_SOURCE").as_deref() {
                Ok("voice") => tutti_ear::Source::Voice,
                Ok("instrument") => tutti_ear::Source::Instrument,
                _ => tutti_ear::Source::Auto,
            },
        };
        let tr = tutti_ear::transcribe(&audio.samples, audio.sample_rate, &cfg);
        std::fs::write(
            out.join(format!("{name}.csv")),
            tutti_ear::notes_to_csv(&tr.notes),
        )?;
        let (gt, _) = read_scored_csv(&std::fs::read_to_string(
            set.join("gt").join(format!("{name}.csv")),
        )?);
        let s = score_notes(&gt, &tr.notes);
        for (r, e) in match_notes(
            &gt,
            &tr.notes,
            Tolerances {
                onset_s: 0.1,
                ..Tolerances::ONSET
            },
        ) {
            on_err.push(tr.notes[e].onset_s - gt[r].onset_s);
            off_err.push(tr.notes[e].offset_s - gt[r].offset_s);
        }
        println!(
            "{name:40} ref {:3} est {:3} onF {:.3} onoffF {:.3} ovl {:.3} on100 {:.3} tuning {:+.1} heard {:?}",
            s.n_ref,
            s.n_est,
            s.onset.f1,
            s.onset_offset.f1,
            s.overlap,
            s.onset100_f1,
            tr.tuning_cents,
            tr.heard_as
        );
        if let Some(m) = meta.get(&name) {
            for field in ["degradation", "melody_type", "instrument"] {
                if let Some(c) = col(field) {
                    groups
                        .entry(format!("{field}={}", m[c]))
                        .or_default()
                        .push((s.onset.f1, s.onset_offset.f1));
                }
            }
        }
        scores.push(s);
    }
    for (g, v) in &groups {
        let n = v.len() as f64;
        println!(
            "  {g:32} n={:2} onF {:.3} onoffF {:.3}",
            v.len(),
            v.iter().map(|x| x.0).sum::<f64>() / n,
            v.iter().map(|x| x.1).sum::<f64>() / n
        );
    }
    let pct = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        if v.is_empty() {
            0.0
        } else {
            v[((v.len() - 1) as f64 * q) as usize]
        }
    };
    println!(
        "onset err ms: p10 {:.0} p50 {:.0} p90 {:.0} | offset err ms: p10 {:.0} p50 {:.0} p90 {:.0}",
        1e3 * pct(&mut on_err, 0.1),
        1e3 * pct(&mut on_err, 0.5),
        1e3 * pct(&mut on_err, 0.9),
        1e3 * pct(&mut off_err, 0.1),
        1e3 * pct(&mut off_err, 0.5),
        1e3 * pct(&mut off_err, 0.9)
    );
    let s = summarize(&scores);
    println!(
        "SUMMARY files={} mean onset F1={:.3} onset+offset F1={:.3} overlap={:.3} onset100={:.3}",
        s.n_files, s.mean_onset_f1, s.mean_onset_offset_f1, s.mean_overlap, s.mean_onset100_f1
    );
    Ok(())
}

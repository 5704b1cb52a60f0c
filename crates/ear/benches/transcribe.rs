//! Decodes and transcribes every recording of the dev set and prints the
//! process CPU time per minute of audio (the 1000x-real-time budget is
//! 0.06 s CPU per audio minute, decoding included).
//!
//! `cargo bench -p tutti-ear --bench transcribe` (reads the repository's
//! `eval/transcription/dev/audio`; TUTTI_EVAL_DIR points it at another folder).
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

use cpu_time::ProcessTime;

fn eval_dir() -> PathBuf {
    std::env::var_os("TUTTI_EVAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../eval"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let audio_dir = eval_dir().join("transcription/dev/audio");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&audio_dir)
        .map_err(|e| format!("cannot read {}: {e}", audio_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "flac" || x == "wav"))
        .collect();
    paths.sort();
    for p in paths {
        files.push((p.display().to_string(), std::fs::read(&p)?));
    }
    if files.is_empty() {
        return Err(format!("no audio in {}", audio_dir.display()).into());
    }
    let cfg = tutti_ear::Config::default();
    let rounds = std::env::args()
        .filter_map(|a| a.parse::<usize>().ok())
        .next()
        .unwrap_or(3);
    let mut best = f64::MAX;
    let mut audio_s = 0.0;
    let mut notes = 0usize;
    for round in 0..rounds {
        let mut decode_s = 0.0;
        audio_s = 0.0;
        notes = 0;
        let start = ProcessTime::now();
        for (name, bytes) in &files {
            let t = ProcessTime::now();
            let audio = tutti_ear::decode(bytes).map_err(|e| format!("{name}: {e}"))?;
            decode_s += t.elapsed().as_secs_f64();
            audio_s += audio.duration_s();
            notes += tutti_ear::transcribe(&audio.samples, audio.sample_rate, &cfg)
                .notes
                .len();
        }
        let cpu = start.elapsed().as_secs_f64();
        let per_min = cpu / (audio_s / 60.0);
        println!(
            "round {round}: {} files, {:.1} s of audio, {notes} notes: {cpu:.3} s CPU ({:.3} s decoding) \
             = {per_min:.4} CPU seconds per audio minute ({:.0}x real time)",
            files.len(),
            audio_s,
            decode_s,
            audio_s / cpu
        );
        best = best.min(per_min);
    }
    println!(
        "CPU seconds per audio minute: {best:.4} (best of {rounds}; {:.1} s audio, {notes} notes)",
        audio_s
    );
    Ok(())
}

//! Diagnostic: the sung-or-played evidence of every audio file in a folder.
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: line_evidence AUDIO_DIR")?;
    let mut paths: Vec<_> = std::fs::read_dir(dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let a = tutti_ear::decode(&std::fs::read(&p)?)?;
        let e = tutti_ear::voice::evidence_of(&a.samples, a.sample_rate);
        println!(
            "{:40} notes {:3} consonant_joins {:.2} timbre_change {:.3} wobble {:5.1} sung {}",
            p.file_stem().unwrap_or_default().to_string_lossy(),
            e.notes,
            e.consonant_joins,
            e.timbre_change,
            e.wobble_cents,
            e.is_sung()
        );
    }
    Ok(())
}

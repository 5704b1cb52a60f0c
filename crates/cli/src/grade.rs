//! `tutti grade --target TARGET --take TAKE [--json]`: how a take matches a
//! target melody, note by note. The target may be MusicXML, MIDI or the eval
//! CSV; the take audio (WAV/FLAC, transcribed here) or CSV.

use std::path::PathBuf;

use crate::audio;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The target melody (.musicxml, .mid, .abc or .csv).
    #[arg(long)]
    target: PathBuf,
    /// The learner's take (.wav, .flac or .csv).
    #[arg(long)]
    take: PathBuf,
    /// Print the full result as JSON (per-note verdicts and scores).
    #[arg(long)]
    json: bool,
    /// What the take is, when it is audio.
    #[arg(long, value_enum, default_value = "auto")]
    source: audio::Source,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let target = audio::read_notes(&args.target, args.source)?;
    let take = audio::read_notes(&args.take, args.source)?;
    let grade = tutti_score::grade(&target, &take)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&grade)?);
        return Ok(());
    }
    println!(
        "total {:.0}  pitch {:.0}  rhythm {:.0}  (tuning {:+.0} cents, tempo x{:.2})",
        grade.total_score,
        grade.pitch_score,
        grade.rhythm_score,
        grade.tuning_offset_cents,
        grade.tempo_ratio
    );
    for n in &grade.notes {
        println!(
            "{:>3}  {:>6.2}s  midi {:>5.1}  {}",
            n.target_index + 1,
            n.target.onset_s,
            n.target.midi_pitch,
            n.verdict.as_str()
        );
    }
    if !grade.extras.is_empty() {
        println!("{} extra note(s)", grade.extras.len());
    }
    Ok(())
}

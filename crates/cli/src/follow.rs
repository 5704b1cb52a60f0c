//! `tutti follow --target FILE --take FILE --json`: plays a take through the
//! live path (live pitch, then the score follower) as if it were being
//! played now, and prints where the follower confirmed each target note:
//! `{"notes": [{"index": 0, "reached_s": 0.51, "verdict": "right"}, …]}`.

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::audio;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The target melody (.musicxml, .mid or .abc).
    #[arg(long)]
    target: PathBuf,
    /// The take (.wav or .flac).
    #[arg(long)]
    take: PathBuf,
    /// Print the result as JSON (the only output format).
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    if !args.json {
        bail!("tutti follow prints JSON: add --json");
    }
    let target = match audio::extension(&args.target).as_str() {
        "musicxml" | "xml" | "mid" | "midi" | "abc" => {
            audio::read_notes(&args.target, audio::Source::Auto)?
        }
        other => bail!(
            "{}: a target is a score (.musicxml, .mid or .abc), not '.{other}'",
            args.target.display()
        ),
    };
    if !audio::is_audio(&args.take) {
        bail!(
            "{}: a take is a recording (.wav or .flac)",
            args.take.display()
        );
    }
    let bytes = std::fs::read(&args.take)
        .with_context(|| format!("cannot read {}", args.take.display()))?;
    let take = tutti_ear::decode(&bytes).with_context(|| format!("{}", args.take.display()))?;
    let progress = tutti_ear::follow_recording(
        &take.samples,
        take.sample_rate,
        &target,
        tutti_score::FollowOptions::default(),
    )
    .with_context(|| format!("{}", args.target.display()))?;
    let notes: Vec<serde_json::Value> = progress
        .iter()
        .map(|p| {
            serde_json::json!({
                "index": p.index,
                "reached_s": p.reached_s.map(|t| (t * 1000.0).round() / 1000.0),
                "verdict": p.verdict.as_str(),
            })
        })
        .collect();
    println!("{}", serde_json::json!({ "notes": notes }));
    Ok(())
}

//! `tutti hobby-extract`: which hobby a sentence names, offline.
//!
//! `--jsonl FILE` reads lines `{"text": ...}` (blank lines skipped) and prints
//! one line `{"text","hobby","mention"}` per input, in the same order; `-`
//! reads standard input. A positional TEXT extracts from that one sentence.

use std::io::{BufRead, Write};

use anyhow::{Context, bail};
use tutti_mentor::ExtractionLine;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A JSON Lines file of `{"text": ...}` objects (`-` for standard input).
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    jsonl: Option<std::path::PathBuf>,
    /// One sentence to extract from.
    #[arg(required_unless_present = "jsonl")]
    text: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct InputLine {
    text: String,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match (&args.jsonl, &args.text) {
        (Some(path), _) => {
            let reader: Box<dyn BufRead> = if path.as_os_str() == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                let file = std::fs::File::open(path)
                    .with_context(|| format!("cannot open {}", path.display()))?;
                Box::new(std::io::BufReader::new(file))
            };
            // Parse everything first so a bad line fails before any output.
            let mut texts = Vec::new();
            for (i, line) in reader.lines().enumerate() {
                let line = line.with_context(|| format!("cannot read line {}", i + 1))?;
                if line.trim().is_empty() {
                    continue;
                }
                let input: InputLine = serde_json::from_str(&line).with_context(|| {
                    format!(
                        "line {}: expected a JSON object with a \"text\" string",
                        i + 1
                    )
                })?;
                texts.push(input.text);
            }
            for text in &texts {
                serde_json::to_writer(&mut out, &ExtractionLine::from_text(text))?;
                out.write_all(b"\n")?;
            }
        }
        (None, Some(text)) => {
            serde_json::to_writer(&mut out, &ExtractionLine::from_text(text))?;
            out.write_all(b"\n")?;
        }
        (None, None) => bail!("give a sentence or --jsonl FILE"),
    }
    out.flush()?;
    Ok(())
}

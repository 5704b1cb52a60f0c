//! `cargo run -p tutti-mentor --example hobby_extract -- FILE.jsonl` prints one
//! `{"text","hobby","mention"}` line per `{"text": ...}` input line, like `tutti hobby-extract`,
//! so the output can be fed to `eval/hobby/score.py`.
#![allow(clippy::print_stdout)]

use std::io::{BufRead, BufReader};

#[derive(serde::Deserialize)]
struct Input {
    text: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: hobby_extract FILE.jsonl")?;
    let file = std::fs::File::open(&path)?;
    for line in BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let input: Input = serde_json::from_str(&line)?;
        println!(
            "{}",
            serde_json::to_string(&tutti_mentor::ExtractionLine::from_text(&input.text))?
        );
    }
    Ok(())
}

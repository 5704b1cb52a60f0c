//! `tutti transcribe`: audio → notes, on this machine.
//!
//! One file: `tutti transcribe TAKE.wav [--format csv|musicxml|mid|abc] [-o OUT]
//! [--source auto|voice|instrument]`
//! (standard output without `-o`). A folder: `tutti transcribe --batch DIR
//! --out DIR [--format …]` writes `<basename>.<ext>` per audio file; a file
//! that cannot be read is reported and the others are still written.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::audio;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `onset_s,offset_s,midi_pitch` (the evaluation format).
    Csv,
    /// MusicXML 4.0 (opens in MuseScore).
    Musicxml,
    /// Standard MIDI file.
    Mid,
    /// ABC notation.
    Abc,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Musicxml => "musicxml",
            Format::Mid => "mid",
            Format::Abc => "abc",
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The audio file (WAV or FLAC).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Where to write (default: standard output).
    #[arg(short = 'o', long = "output", conflicts_with = "batch")]
    output: Option<PathBuf>,
    /// Transcribe every .wav/.flac file of this folder.
    #[arg(long, value_name = "DIR", requires = "out")]
    batch: Option<PathBuf>,
    /// Output folder for --batch.
    #[arg(long, value_name = "DIR", requires = "batch")]
    out: Option<PathBuf>,
    /// What the recording is: `voice` (notes start at their vowel),
    /// `instrument` (at their attack) or `auto` (decide from the take).
    #[arg(long, value_enum, default_value = "auto")]
    source: audio::Source,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    match (&args.batch, &args.out, &args.file) {
        (Some(dir), Some(out), _) => batch(dir, out, args.format, args.source),
        (None, _, Some(file)) => {
            let bytes = render(file, args.format, args.source)?;
            match &args.output {
                Some(path) => std::fs::write(path, bytes)
                    .with_context(|| format!("cannot write {}", path.display())),
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(&bytes)?;
                    Ok(stdout.flush()?)
                }
            }
        }
        _ => bail!("give an audio FILE, or --batch DIR --out DIR"),
    }
}

/// Transcribes one file into the bytes of the chosen format.
fn render(file: &Path, format: Format, source: audio::Source) -> anyhow::Result<Vec<u8>> {
    let transcription = audio::transcribe_file(file, source)?;
    let notes = &transcription.notes;
    if format == Format::Csv {
        return Ok(tutti_ear::notes_to_csv(notes).into_bytes());
    }
    let title = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("Tutti take")
        .to_owned();
    let score = tutti_score::quantise(
        notes,
        &tutti_score::QuantiseOptions {
            title,
            ..Default::default()
        },
    );
    Ok(match format {
        Format::Musicxml => tutti_score::to_musicxml(&score).into_bytes(),
        Format::Mid => tutti_score::to_midi(&score),
        Format::Abc => tutti_score::to_abc(&score).into_bytes(),
        Format::Csv => unreachable!("handled above"),
    })
}

fn batch(dir: &Path, out: &Path, format: Format, source: audio::Source) -> anyhow::Result<()> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && audio::is_audio(p))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no .wav or .flac files", dir.display());
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut failed = 0usize;
    for file in &files {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("take");
        let target = out.join(format!("{stem}.{}", format.extension()));
        match render(file, format, source).and_then(|bytes| {
            std::fs::write(&target, bytes)
                .with_context(|| format!("cannot write {}", target.display()))
        }) {
            Ok(()) => {}
            Err(e) => {
                failed += 1;
                tracing::error!("{e:#}");
                eprintln!("tutti: {e:#}");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files could not be transcribed", files.len());
    }
    Ok(())
}

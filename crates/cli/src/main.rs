//! `tutti`: the headless command over Tutti's core API, for scripts, tests and
//! people who like a terminal. Every subcommand calls the same `tutti-core`
//! functions the desktop app calls.
//!
//! To add a subcommand: a variant in [`Command`], a module that runs it, and an
//! integration test in `tests/cli/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod audio;
mod follow;
mod grade;
mod hobby;
mod settings;
mod transcribe;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "tutti",
    version,
    about = "Tutti, the hobby-learning companion, from the terminal"
)]
struct Cli {
    /// Data directory (default: the OS app-data directory).
    #[arg(long, global = true, env = "TUTTI_DATA_DIR")]
    data_dir: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show this installation: version, data directory, schema version.
    Info,
    /// Read or change settings (language, theme).
    Settings(settings::Args),
    /// Which hobby a sentence names (offline, Korean and English).
    HobbyExtract(hobby::Args),
    /// Turn a recording (WAV/FLAC) into notes: CSV, MusicXML, MIDI or ABC.
    Transcribe(transcribe::Args),
    /// Grade a take against a target melody, note by note.
    Grade(grade::Args),
    /// Follow a take through a target melody as if it were played live.
    Follow(follow::Args),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TUTTI_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let open = || -> anyhow::Result<tutti_core::Tutti> {
        Ok(match &cli.data_dir {
            Some(dir) => tutti_core::Tutti::open(dir)?,
            None => tutti_core::Tutti::open_default()?,
        })
    };
    match &cli.command {
        Command::Info => {
            let info = open()?.app_info()?;
            println!("{}", serde_json::to_string_pretty(&info)?);
        }
        Command::Settings(args) => settings::run(&open()?, args)?,
        Command::HobbyExtract(args) => hobby::run(args)?,
        Command::Transcribe(args) => transcribe::run(args)?,
        Command::Grade(args) => grade::run(args)?,
        Command::Follow(args) => follow::run(args)?,
    }
    Ok(())
}

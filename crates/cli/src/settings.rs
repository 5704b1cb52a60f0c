//! `tutti settings`: print the settings, or change them with flags.

use tutti_core::Tutti;
use tutti_core::dto::{Language, SettingsPatch, Theme};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Set the UI language.
    #[arg(long, value_enum)]
    language: Option<LanguageArg>,
    /// Set the colour scheme.
    #[arg(long, value_enum)]
    theme: Option<ThemeArg>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LanguageArg {
    Ko,
    En,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ThemeArg {
    System,
    Light,
    Dark,
}

pub fn run(app: &Tutti, args: &Args) -> anyhow::Result<()> {
    let patch = SettingsPatch {
        language: args.language.map(|l| match l {
            LanguageArg::Ko => Language::Ko,
            LanguageArg::En => Language::En,
        }),
        theme: args.theme.map(|t| match t {
            ThemeArg::System => Theme::System,
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        }),
        first_run_done: None,
    };
    let settings = if patch == SettingsPatch::default() {
        app.settings_get()?
    } else {
        app.settings_update(patch)?
    };
    println!("{}", serde_json::to_string(&settings)?);
    Ok(())
}

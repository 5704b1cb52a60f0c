//! Offline-evaluation driver for `eval/movielens.py`: trains on a TSV of
//! clicks and writes each user's top-k list.
//!
//! ```text
//! tutti-recommend-eval --train train.tsv [--k 10] [--weighting cosine|bm25]
//!     [--neighbours 100] [--shrink 10] [--alpha 0.5] [--locality 1] [--normalize-rows true]
//!     [--k1 1.2] [--b 0.75] [--click-scale binary|log|linear] [--no-fill]
//! ```
//! Input lines are `user<TAB>item[<TAB>weight]` (a header line whose item
//! column is not a number is skipped). Output lines are
//! `user<TAB>item item …`, best first, for every user in the input.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::error::Error;
use std::io::{BufRead, BufReader, BufWriter, Write};

use tutti_recommend::{
    ClickScale, InteractionsBuilder, RankOptions, TrainParams, Weighting, rank, train,
};

struct Args {
    train: String,
    k: usize,
    fill: bool,
    params: TrainParams,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut train_path = None;
    let mut k = 10;
    let mut fill = true;
    let mut params = TrainParams::default();
    let mut weighting = None;
    let (mut k1, mut b) = (1.2f32, 0.75f32);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--no-fill" {
            fill = false;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--train" => train_path = Some(value),
            "--k" => k = value.parse()?,
            "--weighting" => weighting = Some(value),
            "--neighbours" => params.neighbours = value.parse()?,
            "--shrink" => params.shrink = value.parse()?,
            "--alpha" => params.alpha = value.parse()?,
            "--locality" => params.locality = value.parse()?,
            "--normalize-rows" => params.normalize_rows = value.parse()?,
            "--k1" => k1 = value.parse()?,
            "--b" => b = value.parse()?,
            "--click-scale" => {
                params.click_scale = match value.as_str() {
                    "binary" => ClickScale::Binary,
                    "log" => ClickScale::Log,
                    "linear" => ClickScale::Linear,
                    other => return Err(format!("unknown click scale {other}").into()),
                }
            }
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    match weighting.as_deref() {
        None => {}
        Some("cosine") => params.weighting = Weighting::Cosine,
        Some("bm25") => params.weighting = Weighting::Bm25 { k1, b },
        Some(other) => return Err(format!("unknown weighting {other}").into()),
    }
    let train = train_path.ok_or("--train FILE is required")?;
    Ok(Args {
        train,
        k,
        fill,
        params,
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let args = parse_args()?;
    let file = BufReader::new(std::fs::File::open(&args.train)?);
    let mut builder = InteractionsBuilder::<String>::new();
    for line in file.lines() {
        let line = line?;
        let mut cols = line.split('\t');
        let (Some(user), Some(item)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Ok(item) = item.trim().parse::<u32>() else {
            continue;
        };
        let weight = match cols.next() {
            Some(w) => w.trim().parse::<f32>()?,
            None => 1.0,
        };
        builder.add(user.to_owned(), item, weight)?;
    }
    let (matrix, users) = builder.build_keyed();
    let model = train(&matrix, &args.params)?;
    let opts = RankOptions {
        k: args.k,
        fill_with_popular: args.fill,
        ..RankOptions::default()
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (u, user) in users.iter().enumerate() {
        let history: Vec<(u32, f32)> = matrix.user_row(u).collect();
        let recs = rank(&model, &history, &opts);
        let items: Vec<String> = recs.iter().map(|r| r.item.to_string()).collect();
        writeln!(out, "{user}\t{}", items.join(" "))?;
    }
    out.flush()?;
    Ok(())
}

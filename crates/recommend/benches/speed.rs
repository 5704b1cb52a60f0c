//! Speed benchmark: trains on a synthetic click log and times one learner's
//! ranking.
//!
//! ```text
//! cargo bench -p tutti-recommend --bench speed -- \
//!     [--users 100000] [--items 10000] [--clicks 10000000] [--zipf 1.0] [--seed 7]
//! ```
//! Clicks pick a user uniformly and an item from a Zipf (power-law)
//! popularity over a shuffled item order, from a fixed-seed SplitMix64, so
//! every run sees the same data. Prints matrix-building and training time
//! (wall and process CPU) and the median / p99 / max time of `rank` over
//! 2,000 learners, both wall-clock and the calling thread's CPU time (on a
//! shared machine a call that is preempted shows the scheduler's time slice
//! in its wall time, not in its CPU time).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use cpu_time::{ProcessTime, ThreadTime};

use tutti_recommend::{InteractionsBuilder, RankOptions, TrainParams, rank, train};

/// SplitMix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn arg<T: std::str::FromStr>(name: &str, default: T) -> Result<T, Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        Some(i) => {
            let v = args
                .get(i + 1)
                .ok_or_else(|| format!("{name} needs a value"))?;
            v.parse()
                .map_err(|_| format!("{name}: cannot parse {v}").into())
        }
        None => Ok(default),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() -> Result<(), Box<dyn Error>> {
    let n_users: u32 = arg("--users", 100_000)?;
    let n_items: u32 = arg("--items", 10_000)?;
    let n_clicks: usize = arg("--clicks", 10_000_000)?;
    let zipf: f64 = arg("--zipf", 1.0)?;
    let seed: u64 = arg("--seed", 7)?;
    println!(
        "synthetic clicks: {n_users} users x {n_items} items x {n_clicks} clicks, Zipf s={zipf}, seed {seed}, {} threads",
        rayon::current_num_threads()
    );

    // Item ids 1000.. in a shuffled popularity order.
    let mut rng = Rng(seed);
    let mut ids: Vec<u32> = (0..n_items).map(|i| 1000 + i).collect();
    for i in (1..ids.len()).rev() {
        ids.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut cdf = Vec::with_capacity(n_items as usize);
    let mut total = 0.0;
    for r in 0..n_items {
        total += 1.0 / f64::from(r + 1).powf(zipf);
        cdf.push(total);
    }
    let t = Instant::now();
    let mut clicks = Vec::with_capacity(n_clicks);
    for _ in 0..n_clicks {
        let user = rng.below(u64::from(n_users)) as u32;
        let x = rng.unit() * total;
        let r = cdf.partition_point(|&c| c < x).min(n_items as usize - 1);
        clicks.push((user, ids[r]));
    }
    println!("generate: {:.2} s", t.elapsed().as_secs_f64());

    let (cpu, t) = (ProcessTime::now(), Instant::now());
    let mut builder = InteractionsBuilder::<u32>::with_capacity(clicks.len());
    builder.extend(clicks.iter().copied());
    let matrix = builder.build();
    let build_wall = t.elapsed().as_secs_f64();
    let build_cpu = cpu.elapsed().as_secs_f64();
    println!(
        "build matrix: {build_wall:.2} s wall, {build_cpu:.2} s CPU; {} users, {} items, {} distinct cells",
        matrix.user_count(),
        matrix.item_count(),
        matrix.cell_count()
    );
    drop(clicks);

    let params = TrainParams::default();
    let (cpu, t) = (ProcessTime::now(), Instant::now());
    let model = train(&matrix, &params)?;
    let train_wall = t.elapsed().as_secs_f64();
    let train_cpu = cpu.elapsed().as_secs_f64();
    println!(
        "train ({params:?}): {train_wall:.2} s wall, {train_cpu:.2} s CPU (all threads); {} neighbour links (~{:.1} MB as u32+f32)",
        model.link_count(),
        model.link_count() as f64 * 8.0 / 1e6
    );

    let learners = 2_000usize.min(matrix.user_count());
    let opts = RankOptions::default();
    let mut wall = Vec::with_capacity(learners);
    let mut cpu = Vec::with_capacity(learners);
    let mut history_len = 0usize;
    for _ in 0..learners {
        let user = rng.below(matrix.user_count() as u64) as usize;
        let history: Vec<(u32, f32)> = matrix.user_row(user).collect();
        history_len += history.len();
        let (c, t) = (ThreadTime::now(), Instant::now());
        let recs = rank(&model, black_box(&history), &opts);
        wall.push(t.elapsed());
        cpu.push(c.elapsed());
        black_box(recs);
    }
    wall.sort_unstable();
    cpu.sort_unstable();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "rank (k=10, whole {}-item model, mean history {:.0} items) over {learners} learners:",
        model.len(),
        history_len as f64 / learners as f64
    );
    for (name, times) in [("wall", &wall), ("thread CPU", &cpu)] {
        println!(
            "  {name}: median {:.1} us, p99 {:.1} us, max {:.1} us",
            us(percentile(times, 0.5)),
            us(percentile(times, 0.99)),
            us(times[times.len() - 1])
        );
    }
    let ms = Duration::from_millis(1);
    println!(
        "goal: train < 10 s wall: {}; ranking < 1 ms (p99 thread CPU): {}; p99 wall < 1 ms: {}",
        if train_wall < 10.0 { "met" } else { "NOT met" },
        if percentile(&cpu, 0.99) < ms {
            "met"
        } else {
            "NOT met"
        },
        if percentile(&wall, 0.99) < ms {
            "yes"
        } else {
            "no (preempted calls; see thread CPU)"
        },
    );
    Ok(())
}

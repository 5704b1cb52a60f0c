//! Diagnostic: CPU time of each analysis stage over a folder of audio.
#![allow(clippy::print_stdout)]
use cpu_time::ProcessTime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: profile_stages AUDIO_DIR")?;
    let mut bytes = Vec::new();
    for e in std::fs::read_dir(dir)? {
        bytes.push(std::fs::read(e?.path())?);
    }
    let (mut dec, mut dsp, mut ana, mut seg, mut secs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for b in &bytes {
        let t = ProcessTime::now();
        let a = tutti_ear::decode(b)?;
        dec += t.elapsed().as_secs_f64();
        secs += a.duration_s();
        let t = ProcessTime::now();
        let k = tutti_ear::resample::decimation_factor(a.sample_rate);
        let x = tutti_ear::resample::decimate(&a.samples, k);
        dsp += t.elapsed().as_secs_f64();
        let t = ProcessTime::now();
        let f = tutti_ear::sung::analysis::analyse(&x, f64::from(a.sample_rate) / k as f64);
        ana += t.elapsed().as_secs_f64();
        let t = ProcessTime::now();
        let tr = tutti_ear::transcribe(&a.samples, a.sample_rate, &tutti_ear::Config::default());
        seg += t.elapsed().as_secs_f64();
        std::hint::black_box((f, tr));
    }
    let m = secs / 60.0;
    println!(
        "per audio minute: decode {:.4} decimate {:.4} frames {:.4} full transcribe {:.4}",
        dec / m,
        dsp / m,
        ana / m,
        seg / m
    );
    Ok(())
}

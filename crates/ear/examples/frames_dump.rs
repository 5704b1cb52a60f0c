//! Diagnostic: writes the frame features of one audio file as CSV to stdout.
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: frames_dump FILE")?;
    let audio = tutti_ear::decode(&std::fs::read(path)?)?;
    let k = tutti_ear::resample::decimation_factor(audio.sample_rate);
    let x = tutti_ear::resample::decimate(&audio.samples, k);
    let rate = f64::from(audio.sample_rate) / k as f64;
    let f = tutti_ear::frames::analyse(&x, rate);
    println!("t,midi,ap,excess_db,energy_db,flux");
    for i in 0..f.midi.len() {
        let db = |v: f32| 10.0 * (v.max(1e-12)).log10();
        println!(
            "{:.3},{:.3},{:.3},{:.2},{:.2},{:.3}",
            i as f64 * f.hop_s,
            f.midi[i],
            f.aperiodicity[i],
            db(f.excess[i]),
            db(f.energy[i]),
            f.flux[i]
        );
    }
    Ok(())
}

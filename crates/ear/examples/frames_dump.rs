//! Diagnostic: writes the frame features of one audio file as CSV to stdout.
#![allow(clippy::print_stdout)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: frames_dump FILE")?;
    let audio = tutti_ear::decode(&std::fs::read(path)?)?;
    let k = tutti_ear::resample::decimation_factor(audio.sample_rate);
    let x = tutti_ear::resample::decimate(&audio.samples, k);
    let rate = f64::from(audio.sample_rate) / k as f64;
    let f = tutti_ear::sung::analysis::analyse(&x, rate);
    println!("t,level_db,midi,ap,active,novelty");
    for i in 0..f.midi.len() {
        println!(
            "{:.4},{:.2},{:.3},{:.3},{},{:.4}",
            i as f64 * f.hop_s,
            f.level_db[i],
            f.midi[i],
            f.aperiodicity[i],
            u8::from(f.active[i]),
            f.novelty[i]
        );
    }
    Ok(())
}

//! Frame-wise features of a whole recording at the analysis rate: pitch and
//! aperiodicity (YIN), band energies and a noise-floor-relative spectral flux.

use std::sync::Arc;

use realfft::num_complex::Complex32;
use realfft::{RealFftPlanner, RealToComplex};

use crate::pitch::{PitchEstimate, Yin};

/// Time between frames, seconds.
pub const HOP_S: f64 = 0.01;
/// Length of the spectral (onset) window, seconds.
const SPECTRAL_WINDOW_S: f64 = 0.023;
/// Percentile of each band's energy over the recording taken as its noise floor.
const FLOOR_PERCENTILE: f64 = 0.1;
/// Absolute floor under the noise floor, relative to the loudest frame (-70 dB):
/// keeps digital silence from making tiny fluctuations look like onsets.
const ABS_FLOOR_REL: f32 = 1e-7;

/// Frames quieter than this many dB under the loudest are not pitch-tracked
/// (voicing ignores them anyway).
pub const ACTIVE_RANGE_DB: f32 = 50.0;
/// Spacing (frames) of the first, coarse pass of pitch estimates (a power of two).
const COARSE_SPACING: usize = 8;
/// Neighbours steadier than this (aperiodicity) ...
const STEADY_AP: f32 = 0.2;
/// ... and closer than this frequency ratio (about 0.2 semitone) let the frame
/// between them be interpolated.
const STEADY_RATIO: f32 = 0.012;

/// Masking floor of the onset function relative to the mean band energy of
/// the louder frame compared (-30 dB).
const MASK_REL: f32 = 1e-6;

/// Upper band edges in Hz (band 0 starts at the first non-DC bin).
const BAND_EDGES_HZ: [f64; 20] = [
    90.0, 130.0, 170.0, 215.0, 260.0, 300.0, 350.0, 420.0, 500.0, 600.0, 720.0, 860.0, 1030.0,
    1240.0, 1500.0, 1800.0, 2200.0, 2700.0, 3400.0, 5000.0,
];
/// Number of energy bands.
pub const N_BANDS: usize = BAND_EDGES_HZ.len();

/// Features of every frame; index `i` is centred at `i * hop_s` seconds.
#[derive(Debug, Clone, Default)]
pub struct Frames {
    /// Seconds between frames.
    pub hop_s: f64,
    /// Pitch of each frame in MIDI numbers (0 where no period was found).
    pub midi: Vec<f32>,
    /// YIN aperiodicity (0 periodic .. 1 noise).
    pub aperiodicity: Vec<f32>,
    /// Energy above the noise floor, summed over bands (linear power).
    pub excess: Vec<f32>,
    /// Total band energy (linear power).
    pub energy: Vec<f32>,
    /// Rectified log-energy increase summed over bands (onset strength).
    pub flux: Vec<f32>,
    /// Sum of the per-band noise floors (linear power).
    pub noise_floor: f32,
}

fn hz_to_midi(hz: f32) -> f32 {
    69.0 + 12.0 * (hz / 440.0).log2()
}

/// Natural log, accurate to about 1e-4: exponent from the bits, mantissa by a
/// short polynomial. Spectral flux takes thousands of logs per second of audio.
fn fast_ln(x: f32) -> f32 {
    let bits = x.max(1e-30).to_bits();
    let e = ((bits >> 23) & 0xff) as i32 - 127;
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000); // 1 <= m < 2
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let ln_m = 2.0 * t * (1.0 + t2 * (1.0 / 3.0 + t2 * (0.2 + t2 * (1.0 / 7.0))));
    e as f32 * std::f32::consts::LN_2 + ln_m
}

struct Spectral {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    buf: Vec<f32>,
    spec: Vec<Complex32>,
    scratch: Vec<Complex32>,
    /// (first bin, end bin) of each band.
    bands: Vec<(usize, usize)>,
}

impl Spectral {
    fn new(rate: f64) -> Spectral {
        // a power of two near the nominal length keeps the FFT on its fast path
        let n = ((SPECTRAL_WINDOW_S * rate).round().max(16.0) as usize).next_power_of_two();
        let n = if n as f64 > 1.4 * SPECTRAL_WINDOW_S * rate {
            n / 2
        } else {
            n
        };
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n);
        let window = (0..n)
            .map(|i| {
                (0.5 - 0.5 * (2.0 * std::f64::consts::PI * (i as f64 + 0.5) / n as f64).cos())
                    as f32
            })
            .collect();
        let bin_hz = rate / n as f64;
        let n_bins = n / 2 + 1;
        let mut bands = Vec::with_capacity(N_BANDS);
        let mut lo = 1usize;
        for edge in BAND_EDGES_HZ {
            // bands above the Nyquist frequency of low sample rates stay empty
            let hi = ((edge / bin_hz).round() as usize).max(lo + 1).min(n_bins);
            bands.push((lo.min(hi), hi));
            lo = hi;
        }
        Spectral {
            scratch: vec![Complex32::default(); fft.get_scratch_len()],
            buf: vec![0.0; n],
            spec: fft.make_output_vec(),
            window,
            bands,
            fft,
        }
    }

    fn band_energies(&mut self, x: &[f32], centre: usize, out: &mut [f32]) {
        let n = self.buf.len();
        copy_centred(x, centre, &mut self.buf);
        self.buf
            .iter_mut()
            .zip(&self.window)
            .for_each(|(v, w)| *v *= w);
        if self
            .fft
            .process_with_scratch(&mut self.buf, &mut self.spec, &mut self.scratch)
            .is_err()
        {
            out.iter_mut().for_each(|v| *v = 0.0);
            return;
        }
        let scale = 4.0 / (n * n) as f32;
        for (o, &(lo, hi)) in out.iter_mut().zip(&self.bands) {
            *o = self.spec[lo..hi].iter().map(|c| c.norm_sqr()).sum::<f32>() * scale;
        }
    }
}

/// Copies `out.len()` samples of `x` centred on `centre`, zero outside `x`.
fn copy_centred(x: &[f32], centre: usize, out: &mut [f32]) {
    let n = out.len();
    let start = centre as isize - (n / 2) as isize;
    if start >= 0 && start as usize + n <= x.len() {
        out.copy_from_slice(&x[start as usize..start as usize + n]);
    } else {
        for (j, o) in out.iter_mut().enumerate() {
            let idx = start + j as isize;
            *o = if idx >= 0 && (idx as usize) < x.len() {
                x[idx as usize]
            } else {
                0.0
            };
        }
    }
}

/// Computes all frame features of `x` sampled at `rate` Hz.
pub fn analyse(x: &[f32], rate: f64) -> Frames {
    let hop = (HOP_S * rate).round().max(1.0) as usize;
    let hop_s = hop as f64 / rate;
    let n_frames = if x.is_empty() {
        0
    } else {
        x.len().div_ceil(hop)
    };
    let mut spectral = Spectral::new(rate);
    let mut bands = vec![0f32; n_frames * N_BANDS];
    for i in 0..n_frames {
        spectral.band_energies(x, i * hop, &mut bands[i * N_BANDS..(i + 1) * N_BANDS]);
    }
    let energy: Vec<f32> = bands
        .chunks_exact(N_BANDS)
        .map(|b| b.iter().sum())
        .collect();
    let peak = energy.iter().copied().fold(0.0f32, f32::max);
    // Per-band noise floor: a low percentile over time (stationary noise and hum
    // sit there; notes move between bands and come and go).
    let mut floor = [0f32; N_BANDS];
    let mut column = Vec::with_capacity(n_frames);
    for (b, fl) in floor.iter_mut().enumerate() {
        column.clear();
        column.extend((0..n_frames).map(|i| bands[i * N_BANDS + b]));
        if column.is_empty() {
            continue;
        }
        let k = ((column.len() - 1) as f64 * FLOOR_PERCENTILE) as usize;
        let (_, v, _) = column.select_nth_unstable_by(k, f32::total_cmp);
        *fl = v.max(peak * ABS_FLOOR_REL / N_BANDS as f32);
    }
    let noise_floor: f32 = floor.iter().sum();
    let mut excess = Vec::with_capacity(n_frames);
    let mut flux = Vec::with_capacity(n_frames);
    for i in 0..n_frames {
        let b = &bands[i * N_BANDS..(i + 1) * N_BANDS];
        excess.push(b.iter().zip(&floor).map(|(v, f)| (v - f).max(0.0)).sum());
        if i < 2 {
            flux.push(0.0);
            continue;
        }
        let (p1, p2) = (
            &bands[(i - 1) * N_BANDS..i * N_BANDS],
            &bands[(i - 2) * N_BANDS..(i - 1) * N_BANDS],
        );
        // Log compression against the noise floor and against a masking floor
        // MASK_REL under the louder frame: a band far below the rest of the
        // spectrum cannot make an audible onset, however much it flickers.
        let mask = MASK_REL * energy[i].max(energy[i - 1]).max(energy[i - 2]) / N_BANDS as f32;
        let mut fl = 0.0;
        for k in 0..N_BANDS {
            let f = floor[k].max(mask);
            fl += (fast_ln(b[k] + f) - fast_ln(p1[k].max(p2[k]) + f)).max(0.0);
        }
        flux.push(fl);
    }
    // Pitch only where the frame is active (the same gate voicing uses later).
    let gate = (peak * 10f32.powf(-ACTIVE_RANGE_DB / 10.0)).max(noise_floor);
    let mut yin = Yin::new(rate);
    let mut frame = vec![0f32; yin.frame_len()];
    let mut estimate = |i: usize| -> PitchEstimate {
        if excess[i] > gate {
            copy_centred(x, i * hop, &mut frame);
            yin.estimate(&frame)
        } else {
            PitchEstimate::NONE
        }
    };
    // Coarse to fine: every COARSE_SPACING-th frame first; then, halving the
    // spacing, a frame halfway between two steady, agreeing estimates is
    // interpolated instead of estimated. Held notes cost a fraction of the YIN
    // work; changes of pitch or voicing keep full resolution.
    let mut est = vec![PitchEstimate::NONE; n_frames];
    let last = n_frames.saturating_sub(1);
    for i in (0..n_frames).step_by(COARSE_SPACING) {
        est[i] = estimate(i);
    }
    if n_frames > 0 && last % COARSE_SPACING != 0 {
        est[last] = estimate(last);
    }
    let mut half = COARSE_SPACING / 2;
    while half >= 1 {
        for i in (half..last).step_by(2 * half) {
            let (l, r) = (est[i - half], est[(i + half).min(last)]);
            let steady = l.hz > 0.0
                && r.hz > 0.0
                && l.aperiodicity < STEADY_AP
                && r.aperiodicity < STEADY_AP
                && (l.hz / r.hz - 1.0).abs() < STEADY_RATIO;
            est[i] = if steady {
                PitchEstimate {
                    hz: 0.5 * (l.hz + r.hz),
                    aperiodicity: l.aperiodicity.max(r.aperiodicity),
                }
            } else {
                estimate(i)
            };
        }
        half /= 2;
    }
    let midi = est
        .iter()
        .map(|e| if e.hz > 0.0 { hz_to_midi(e.hz) } else { 0.0 })
        .collect();
    let aperiodicity = est.iter().map(|e| e.aperiodicity).collect();
    Frames {
        hop_s,
        midi,
        aperiodicity,
        excess,
        energy,
        flux,
        noise_floor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_ln_matches_ln() {
        for &x in &[1e-20f32, 1e-6, 0.01, 0.5, 1.0, 1.5, 2.0, 3.7, 1e3, 1e12] {
            assert!(
                (fast_ln(x) - x.ln()).abs() < 2e-4,
                "{x}: {} vs {}",
                fast_ln(x),
                x.ln()
            );
        }
    }
}

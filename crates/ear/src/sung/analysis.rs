//! Frame-wise features of a whole recording at the analysis rate, every 5 ms:
//! the level of the vowel band, a timbre-change (novelty) curve and the
//! tracked pitch with its aperiodicity.

use std::sync::Arc;

use realfft::num_complex::Complex32;
use realfft::{RealFftPlanner, RealToComplex};

use super::track::{FrameCandidates, MAX_CANDIDATES, track};
use crate::pitch::{PitchEstimate, Yin};

/// Time between frames, seconds.
pub const HOP_S: f64 = 0.005;
/// Length of the spectral window, seconds.
const SPECTRAL_WINDOW_S: f64 = 0.046;
/// The band whose level marks notes: where vowel formants and the strong
/// low harmonics of most instruments lie. A sung note begins where its vowel
/// does, and nasal or voiced consonants before it carry little energy here.
const LEVEL_BAND_HZ: (f64, f64) = (300.0, 3000.0);
/// The whole band of a melodic line, Hz: where the level is read when the
/// vowel band holds too little of the sound (low pure tones, a bass).
const BROAD_BAND_HZ: (f64, f64) = (60.0, 5000.0);
/// How far (dB) the broad band is counted under the vowel band: a voice's
/// vowels dominate, but a line whose energy lies below the vowel band (a
/// low flute-like tone) still has a level.
const BROAD_BAND_DISCOUNT_DB: f32 = 15.0;
/// Frames this many dB under the loud end of the recording are inactive.
const ACTIVE_RANGE_DB: f32 = 35.0;
/// Percentile of the band level taken as the recording's loud end.
const LOUD_PERCENTILE: f64 = 0.97;
/// Frames of the moving average that smooths the level (25 ms).
const LEVEL_SMOOTH_FRAMES: usize = 5;
/// Lowest periodicity weight of the level: aperiodic frames (consonants,
/// breath, noise) count down to this fraction of their energy.
const MIN_PERIODIC_WEIGHT: f32 = 0.05;
/// Number of log-spaced bands of the timbre vector (about 100 Hz - 5 kHz).
pub const TIMBRE_BANDS: usize = 24;
const TIMBRE_RANGE_HZ: (f64, f64) = (100.0, 5000.0);
/// Half-width of the windows the novelty curve compares, frames (40 ms).
const NOVELTY_HALF_FRAMES: usize = 8;

/// Features of every frame; index `i` is centred at `i * hop_s` seconds.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Seconds between frames.
    pub hop_s: f64,
    /// Level of the vowel band, dB, weighted by periodicity and smoothed.
    pub level_db: Vec<f32>,
    /// Tracked pitch (MIDI) of active frames, 0 elsewhere.
    pub midi: Vec<f32>,
    /// Aperiodicity of the tracked pitch (0 periodic .. 1 noise).
    pub aperiodicity: Vec<f32>,
    /// Whether the frame is within the active range of the recording.
    pub active: Vec<bool>,
    /// Timbre change between the 40 ms before and after the frame (0 .. 2).
    pub novelty: Vec<f32>,
    /// Log band powers of each frame, [`TIMBRE_BANDS`] per frame.
    pub timbre: Vec<f32>,
}

impl Analysis {
    /// The timbre vector (log band powers) of frame `i`.
    pub fn timbre_of(&self, i: usize) -> &[f32] {
        &self.timbre[i * TIMBRE_BANDS..(i + 1) * TIMBRE_BANDS]
    }
}

/// Correlation of two timbre vectors with their means removed (1 = same shape).
pub fn timbre_similarity(x: &[f32], y: &[f32]) -> f32 {
    let n = x.len().min(y.len()) as f32;
    if n == 0.0 {
        return 0.0;
    }
    let mx = x.iter().sum::<f32>() / n;
    let my = y.iter().sum::<f32>() / n;
    let (mut xy, mut xx, mut yy) = (0.0f32, 0.0f32, 0.0f32);
    for (a, b) in x.iter().zip(y) {
        let (a, b) = (a - mx, b - my);
        xy += a * b;
        xx += a * a;
        yy += b * b;
    }
    xy / (xx * yy + 1e-12).sqrt()
}

struct Spectral {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    buf: Vec<f32>,
    spec: Vec<Complex32>,
    scratch: Vec<Complex32>,
    level_bins: (usize, usize),
    broad_bins: (usize, usize),
    /// (first bin, end bin) of each timbre band.
    timbre: Vec<(usize, usize)>,
}

impl Spectral {
    fn new(rate: f64) -> Spectral {
        let n = ((SPECTRAL_WINDOW_S * rate).round().max(32.0) as usize).next_power_of_two();
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
        let bin = |hz: f64| ((hz / bin_hz).round() as usize).clamp(1, n_bins);
        let level_bins = (
            bin(LEVEL_BAND_HZ.0),
            bin(LEVEL_BAND_HZ.1).max(bin(LEVEL_BAND_HZ.0) + 1),
        );
        let (lo, hi) = TIMBRE_RANGE_HZ;
        let hi = hi.min(0.5 * rate);
        let mut timbre = Vec::with_capacity(TIMBRE_BANDS);
        for k in 0..TIMBRE_BANDS {
            let a = lo * (hi / lo).powf(k as f64 / TIMBRE_BANDS as f64);
            let b = lo * (hi / lo).powf((k + 1) as f64 / TIMBRE_BANDS as f64);
            let (a, b) = (bin(a), bin(b));
            timbre.push((a.min(n_bins - 1), b.max(a + 1).min(n_bins)));
        }
        Spectral {
            scratch: vec![Complex32::default(); fft.get_scratch_len()],
            buf: vec![0.0; n],
            spec: fft.make_output_vec(),
            window,
            level_bins,
            broad_bins: (
                bin(BROAD_BAND_HZ.0),
                bin(BROAD_BAND_HZ.1).max(bin(BROAD_BAND_HZ.0) + 1),
            ),
            timbre,
            fft,
        }
    }

    /// Vowel-band and broad-band power (linear) and the timbre vector (log
    /// power) of the window centred on `centre`.
    fn frame(&mut self, x: &[f32], centre: usize, timbre: &mut [f32]) -> (f32, f32) {
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
            timbre.iter_mut().for_each(|v| *v = -30.0);
            return (0.0, 0.0);
        }
        let n = self.buf.len();
        let scale = 4.0 / (n * n) as f32;
        let (a, b) = self.level_bins;
        let level = self.spec[a..b].iter().map(|c| c.norm_sqr()).sum::<f32>() * scale;
        for (t, &(a, b)) in timbre.iter_mut().zip(&self.timbre) {
            let p =
                self.spec[a..b].iter().map(|c| c.norm_sqr()).sum::<f32>() * scale / (b - a) as f32;
            *t = p;
        }
        let (a, b) = self.broad_bins;
        let broad = self.spec[a..b].iter().map(|c| c.norm_sqr()).sum::<f32>() * scale;
        (level, broad)
    }
}

/// Copies `out.len()` samples of `x` centred on `centre`, zero outside `x`.
pub(crate) fn copy_centred(x: &[f32], centre: usize, out: &mut [f32]) {
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

fn db(p: f32) -> f32 {
    10.0 * p.max(1e-20).log10()
}

/// Value at quantile `q` (0..1) of `v` (copied; `v` unchanged).
pub(crate) fn quantile(v: &[f32], q: f64) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mut w = v.to_vec();
    let k = ((w.len() - 1) as f64 * q).round() as usize;
    let (_, m, _) = w.select_nth_unstable_by(k, f32::total_cmp);
    *m
}

/// Novelty of each frame: one minus the correlation of the mean timbre
/// vectors (log band powers, each frame's mean removed) of the windows just
/// before and just after it.
fn novelty(timbre: &[f32], n_frames: usize) -> Vec<f32> {
    let b = TIMBRE_BANDS;
    // prefix sums per band
    let mut prefix = vec![0f64; (n_frames + 1) * b];
    for t in 0..n_frames {
        for k in 0..b {
            prefix[(t + 1) * b + k] = prefix[t * b + k] + f64::from(timbre[t * b + k]);
        }
    }
    let mean_of = |a: usize, z: usize, out: &mut [f64]| {
        let len = (z - a).max(1) as f64;
        for k in 0..b {
            out[k] = (prefix[z * b + k] - prefix[a * b + k]) / len;
        }
        let m = out.iter().sum::<f64>() / b as f64;
        out.iter_mut().for_each(|v| *v -= m);
    };
    let (mut x, mut y) = (vec![0f64; b], vec![0f64; b]);
    (0..n_frames)
        .map(|t| {
            let a = t.saturating_sub(NOVELTY_HALF_FRAMES);
            let z = (t + NOVELTY_HALF_FRAMES).min(n_frames);
            if t == a || z == t {
                return 0.0;
            }
            mean_of(a, t, &mut x);
            mean_of(t, z, &mut y);
            let (mut xy, mut xx, mut yy) = (0.0, 0.0, 0.0);
            for k in 0..b {
                xy += x[k] * y[k];
                xx += x[k] * x[k];
                yy += y[k] * y[k];
            }
            (1.0 - xy / (xx * yy + 1e-12).sqrt()) as f32
        })
        .collect()
}

/// Computes the features of `x` sampled at `rate` Hz.
pub fn analyse(x: &[f32], rate: f64) -> Analysis {
    let hop = (HOP_S * rate).round().max(1.0) as usize;
    let hop_s = hop as f64 / rate;
    let n = if x.is_empty() {
        0
    } else {
        x.len().div_ceil(hop)
    };
    let mut spectral = Spectral::new(rate);
    let discount = 10f32.powf(-BROAD_BAND_DISCOUNT_DB / 10.0);
    let mut raw = vec![0f32; n];
    let mut timbre = vec![0f32; n * TIMBRE_BANDS];
    for i in 0..n {
        let (vowel, broad) = spectral.frame(
            x,
            i * hop,
            &mut timbre[i * TIMBRE_BANDS..(i + 1) * TIMBRE_BANDS],
        );
        raw[i] = vowel.max(broad * discount);
    }
    let peak = raw.iter().copied().fold(0.0f32, f32::max);
    // log timbre with a floor 100 dB under the loudest band power
    let floor = peak * 1e-10 + 1e-20;
    timbre.iter_mut().for_each(|v| *v = (*v + floor).ln());
    let raw_db: Vec<f32> = raw.iter().map(|&p| db(p + peak * 1e-12)).collect();
    let loud = quantile(&raw_db, LOUD_PERCENTILE);
    let active: Vec<bool> = raw_db
        .iter()
        .map(|&d| peak > 0.0 && d > loud - ACTIVE_RANGE_DB)
        .collect();
    // pitch candidates where active
    let mut yin = Yin::new(rate);
    let mut frame = vec![0f32; yin.frame_len()];
    let mut cands = vec![FrameCandidates::default(); n];
    let mut buf = [PitchEstimate::NONE; MAX_CANDIDATES];
    for i in 0..n {
        if !active[i] {
            continue;
        }
        copy_centred(x, i * hop, &mut frame);
        let k = yin.candidates(&frame, &mut buf);
        cands[i].n = k;
        cands[i].c[..k].copy_from_slice(&buf[..k]);
    }
    let tracked = track(&cands, &active);
    let midi: Vec<f32> = tracked.iter().map(|&(m, _)| m).collect();
    let aperiodicity: Vec<f32> = tracked.iter().map(|&(_, a)| a).collect();
    // periodicity-weighted level, smoothed
    let weighted: Vec<f32> = raw_db
        .iter()
        .zip(&aperiodicity)
        .map(|(&d, &a)| d + db((1.0 - a).max(MIN_PERIODIC_WEIGHT)))
        .collect();
    let level_db = moving_average(&weighted, LEVEL_SMOOTH_FRAMES);
    Analysis {
        hop_s,
        level_db,
        novelty: novelty(&timbre, n),
        timbre,
        midi,
        aperiodicity,
        active,
    }
}

/// Centred moving average over `w` frames (shorter at the ends).
fn moving_average(v: &[f32], w: usize) -> Vec<f32> {
    let n = v.len();
    let half = w / 2;
    let mut prefix = vec![0f64; n + 1];
    for i in 0..n {
        prefix[i + 1] = prefix[i] + f64::from(v[i]);
    }
    (0..n)
        .map(|i| {
            let a = i.saturating_sub(half);
            let b = (i + half + 1).min(n);
            ((prefix[b] - prefix[a]) / (b - a) as f64) as f32
        })
        .collect()
}

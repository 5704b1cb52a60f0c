//! Integer-factor decimation to the analysis rate.
//!
//! Pitch and onsets only need content below ~5 kHz, so the analysis runs at
//! `sample_rate / k` with `k` chosen to land near [`TARGET_ANALYSIS_RATE`]
//! (44.1 kHz -> 11025 Hz, 48 kHz -> 12 kHz, 16 kHz stays). An integer factor
//! keeps the anti-alias filter a short polyphase FIR, a few per cent of the
//! CPU budget.

use std::f64::consts::PI;

/// The analysis rate the decimation factor aims for, in Hz.
pub const TARGET_ANALYSIS_RATE: f64 = 11_025.0;

/// Decimation factor for a sample rate (1 = analyse as is).
pub fn decimation_factor(sample_rate: u32) -> usize {
    ((f64::from(sample_rate) / TARGET_ANALYSIS_RATE).round() as usize).max(1)
}

/// Taps per unit of decimation factor of the anti-alias FIR.
const TAPS_PER_FACTOR: usize = 6;

/// Low-pass FIR for decimation by `k`: windowed sinc (Blackman), cutoff at 90 %
/// of the output Nyquist, unit DC gain.
fn design(k: usize) -> Vec<f32> {
    let taps = TAPS_PER_FACTOR * k;
    let cutoff = 0.9 / (2.0 * k as f64); // cycles per input sample
    let mid = (taps - 1) as f64 / 2.0;
    let mut h: Vec<f64> = (0..taps)
        .map(|i| {
            let t = i as f64 - mid;
            let sinc = if t == 0.0 {
                2.0 * cutoff
            } else {
                (2.0 * PI * cutoff * t).sin() / (PI * t)
            };
            let w = 0.42 - 0.5 * (2.0 * PI * i as f64 / (taps - 1) as f64).cos()
                + 0.08 * (4.0 * PI * i as f64 / (taps - 1) as f64).cos();
            sinc * w
        })
        .collect();
    let sum: f64 = h.iter().sum();
    h.iter_mut().for_each(|v| *v /= sum);
    h.into_iter().map(|v| v as f32).collect()
}

/// Low-pass filters and keeps every `k`-th sample. Output sample `i` is
/// centred on input sample `i * k` (zero-phase: no delay to correct).
pub fn decimate(x: &[f32], k: usize) -> Vec<f32> {
    if k <= 1 {
        return x.to_vec();
    }
    let h = design(k);
    let half = h.len() / 2;
    let n_out = x.len().div_ceil(k);
    let mut out = Vec::with_capacity(n_out);
    for i in 0..n_out {
        let centre = i * k;
        let start = centre as isize - half as isize;
        let end = start + h.len() as isize;
        let v = if start >= 0 && end as usize <= x.len() {
            dot(&x[start as usize..end as usize], &h)
        } else {
            (0..h.len())
                .filter_map(|j| {
                    let idx = start + j as isize;
                    (idx >= 0 && (idx as usize) < x.len()).then(|| x[idx as usize] * h[j])
                })
                .sum()
        };
        out.push(v);
    }
    out
}

/// Decimation of a stream that arrives in pieces (the live path): same
/// filter as [`decimate`], output `i` centred on input `i * k`, available
/// once `taps / 2` later samples have arrived.
#[derive(Debug, Clone)]
pub struct StreamDecimator {
    k: usize,
    h: Vec<f32>,
    buf: Vec<f32>,
    next: usize,
}

impl StreamDecimator {
    /// A decimator by `k` (1 passes samples through).
    pub fn new(k: usize) -> StreamDecimator {
        let k = k.max(1);
        let h = if k > 1 { design(k) } else { vec![1.0] };
        let half = h.len() / 2;
        StreamDecimator {
            k,
            buf: vec![0.0; half],
            next: half,
            h,
        }
    }

    /// Appends the decimated samples `x` gives rise to onto `out`.
    pub fn push(&mut self, x: &[f32], out: &mut Vec<f32>) {
        if self.k == 1 {
            out.extend_from_slice(x);
            return;
        }
        let half = self.h.len() / 2;
        self.buf.extend_from_slice(x);
        while self.next + self.h.len() - half <= self.buf.len() {
            let start = self.next - half;
            out.push(dot(&self.buf[start..start + self.h.len()], &self.h));
            self.next += self.k;
        }
        let consumed = self.next - half;
        self.buf.drain(..consumed);
        self.next -= consumed;
    }
}

/// Dot product written so the compiler vectorises it (eight independent lanes).
#[inline(always)]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(f: f64, rate: f64, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| (2.0 * PI * f * i as f64 / rate).sin() as f32)
            .collect()
    }

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
    }

    #[test]
    fn streaming_matches_whole_buffer_decimation() {
        let x = tone(1000.0, 48_000.0, 10_000);
        let whole = decimate(&x, 4);
        let mut d = StreamDecimator::new(4);
        let mut streamed = Vec::new();
        for chunk in x.chunks(333) {
            d.push(chunk, &mut streamed);
        }
        assert!(
            streamed.len() + 4 >= whole.len(),
            "only the last few outputs wait for more input"
        );
        for (a, b) in streamed.iter().zip(&whole) {
            assert!((a - b).abs() < 1e-5);
        }
    }

    #[test]
    fn factors_land_near_11_khz() {
        assert_eq!(decimation_factor(44_100), 4);
        assert_eq!(decimation_factor(48_000), 4);
        assert_eq!(decimation_factor(22_050), 2);
        assert_eq!(decimation_factor(16_000), 1);
        assert_eq!(decimation_factor(8_000), 1);
        assert_eq!(decimation_factor(96_000), 9);
    }

    #[test]
    fn passband_kept_and_alias_band_attenuated() {
        let pass = decimate(&tone(440.0, 44_100.0, 44_100), 4);
        assert_eq!(pass.len(), 11_025);
        assert!(
            (rms(&pass[100..11_000]) - std::f32::consts::FRAC_1_SQRT_2).abs() < 0.01,
            "440 Hz passes at unit gain"
        );
        // 9 kHz would alias to 2025 Hz at 11025 Hz: it must be strongly attenuated.
        let stop = decimate(&tone(9_000.0, 44_100.0, 44_100), 4);
        assert!(
            rms(&stop[100..11_000]) < 0.01,
            "alias band rms {}",
            rms(&stop[100..11_000])
        );
    }
}

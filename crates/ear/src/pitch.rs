//! Frame-wise fundamental-frequency estimation: YIN's cumulative mean
//! normalised difference function (de Cheveigné & Kawahara 2002) with the
//! cross-correlation term computed by FFT.

use std::sync::Arc;

use realfft::num_complex::Complex32;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

/// Lowest fundamental searched, Hz (just under B1; covers bass voices and cello's low strings).
pub const F0_MIN_HZ: f64 = 60.0;
/// Highest fundamental searched, Hz (about B6; covers whistling and piccolo-range flute).
pub const F0_MAX_HZ: f64 = 2000.0;
/// Length of the difference-function integration window, seconds.
pub const INTEGRATION_S: f64 = 0.023;
/// YIN's absolute threshold: the first dip of the normalised difference below
/// this is taken as the period (prevents picking a multiple of the period).
const THRESHOLD: f32 = 0.15;

/// How much deeper a longer-period minimum must be to displace a kept one
/// when a frame has more minima than candidate slots.
const CANDIDATE_MARGIN: f32 = 0.02;

/// One frame's pitch estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PitchEstimate {
    /// Fundamental frequency in Hz (meaningful only when `aperiodicity` is low).
    pub hz: f32,
    /// Normalised difference at the chosen period: 0 = perfectly periodic,
    /// about 1 = noise.
    pub aperiodicity: f32,
}

impl PitchEstimate {
    /// No periodicity found.
    pub const NONE: PitchEstimate = PitchEstimate {
        hz: 0.0,
        aperiodicity: 1.0,
    };
}

/// A YIN estimator for one sample rate; reuses its FFT plans and buffers.
pub struct Yin {
    rate: f32,
    window: usize,
    tau_min: usize,
    tau_max: usize,
    fwd: Arc<dyn RealToComplex<f32>>,
    inv: Arc<dyn ComplexToReal<f32>>,
    a: Vec<f32>,
    b: Vec<f32>,
    /// Cross-correlation on a half-sample lag grid (inverse FFT twice as long).
    r2: Vec<f32>,
    spec_a: Vec<Complex32>,
    spec_b: Vec<Complex32>,
    spec_2: Vec<Complex32>,
    scratch: Vec<Complex32>,
    cumsq: Vec<f32>,
    eb: Vec<f32>,
    prefix: Vec<f32>,
    cmndf: Vec<f32>,
}

impl std::fmt::Debug for Yin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Yin")
            .field("rate", &self.rate)
            .field("window", &self.window)
            .field("tau_min", &self.tau_min)
            .field("tau_max", &self.tau_max)
            .finish()
    }
}

impl Yin {
    /// An estimator for audio at `rate` Hz.
    pub fn new(rate: f64) -> Yin {
        let window = (INTEGRATION_S * rate).round() as usize;
        let tau_max = (rate / F0_MIN_HZ).ceil() as usize;
        let tau_min = ((rate / F0_MAX_HZ).floor() as usize).max(2);
        let n_fft = (window + tau_max + 1).next_power_of_two();
        let mut planner = RealFftPlanner::<f32>::new();
        let fwd = planner.plan_fft_forward(n_fft);
        let inv = planner.plan_fft_inverse(2 * n_fft);
        let scratch_len = fwd.get_scratch_len().max(inv.get_scratch_len());
        Yin {
            rate: rate as f32,
            window,
            tau_min,
            tau_max,
            a: vec![0.0; n_fft],
            b: vec![0.0; n_fft],
            r2: vec![0.0; 2 * n_fft],
            spec_2: inv.make_input_vec(),
            spec_a: fwd.make_output_vec(),
            spec_b: fwd.make_output_vec(),
            scratch: vec![Complex32::default(); scratch_len],
            cumsq: vec![0.0; window + tau_max + 2],
            cmndf: vec![1.0; 2 * tau_max + 2],
            eb: vec![0.0; tau_max + 2],
            prefix: vec![0.0; 2 * tau_max + 2],
            fwd,
            inv,
        }
    }

    /// Samples one estimate looks at (`integration window + longest period`).
    pub fn frame_len(&self) -> usize {
        self.window + self.tau_max + 1
    }

    /// Estimates the pitch of `frame` (exactly [`Yin::frame_len`] samples).
    pub fn estimate(&mut self, frame: &[f32]) -> PitchEstimate {
        if self.difference(frame) {
            self.pick()
        } else {
            PitchEstimate::NONE
        }
    }

    /// YIN's estimate of `frame` and, in `out`, its period candidates (as
    /// [`Yin::candidates`]), from one computation of the difference.
    pub fn estimate_and_candidates(
        &mut self,
        frame: &[f32],
        out: &mut [PitchEstimate],
    ) -> (PitchEstimate, usize) {
        if !self.difference(frame) {
            return (PitchEstimate::NONE, 0);
        }
        let n = self.list_candidates(out);
        (self.pick(), n)
    }

    /// Every period candidate of `frame` (exactly [`Yin::frame_len`] samples):
    /// the local minima of the normalised difference between the shortest and
    /// longest period, at most `out.len()` of them (the deepest), in order of
    /// rising period (falling frequency). Returns how many were written.
    pub fn candidates(&mut self, frame: &[f32], out: &mut [PitchEstimate]) -> usize {
        if out.is_empty() || !self.difference(frame) {
            return 0;
        }
        self.list_candidates(out)
    }

    /// The local minima of the last computed difference, as [`Yin::candidates`].
    fn list_candidates(&self, out: &mut [PitchEstimate]) -> usize {
        if out.is_empty() {
            return 0;
        }
        let c = &self.cmndf;
        let (lo, hi) = (2 * self.tau_min, 2 * self.tau_max);
        let mut n = 0usize;
        for tau in lo.max(1)..hi {
            let (l, m, r) = (c[tau - 1], c[tau], c[tau + 1]);
            if !(m < l && m <= r) {
                continue;
            }
            let den = l - 2.0 * m + r;
            let shift = if den > 0.0 {
                (0.5 * (l - r) / den).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            let cand = PitchEstimate {
                hz: 2.0 * self.rate / (tau as f32 + shift),
                aperiodicity: (m - 0.25 * (l - r) * shift).clamp(0.0, 1.0),
            };
            if n < out.len() {
                out[n] = cand;
                n += 1;
            } else {
                // replace the shallowest kept candidate if this one is clearly
                // deeper (a periodic tone dips as deep at every multiple of its
                // period; the shorter periods are kept)
                let (worst, w) = out
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.aperiodicity.total_cmp(&b.1.aperiodicity))
                    .map(|(i, e)| (i, e.aperiodicity))
                    .unwrap_or((0, 0.0));
                if cand.aperiodicity < w - CANDIDATE_MARGIN {
                    // keep rising-period order: drop `worst`, append at the end
                    out.copy_within(worst + 1..n, worst);
                    out[n - 1] = cand;
                }
            }
        }
        n
    }

    /// Computes the cumulative mean normalised difference of `frame` into
    /// `self.cmndf`; `false` for a silent frame or an FFT failure.
    fn difference(&mut self, frame: &[f32]) -> bool {
        let (w, tmax) = (self.window, self.tau_max);
        let len = self.frame_len();
        debug_assert_eq!(frame.len(), len);
        let mut acc = 0.0f32;
        self.cumsq[0] = 0.0;
        for (c, &v) in self.cumsq[1..].iter_mut().zip(frame) {
            acc += v * v;
            *c = acc;
        }
        let energy_a = self.cumsq[w];
        if energy_a <= 1e-12 || acc <= 1e-12 {
            return false;
        }
        self.a[..w].copy_from_slice(&frame[..w]);
        self.a[w..].iter_mut().for_each(|v| *v = 0.0);
        self.b[..len].copy_from_slice(frame);
        self.b[len..].iter_mut().for_each(|v| *v = 0.0);
        // Plans and buffer lengths are fixed at construction, so these cannot fail.
        let ok = self
            .fwd
            .process_with_scratch(&mut self.a, &mut self.spec_a, &mut self.scratch)
            .is_ok()
            && self
                .fwd
                .process_with_scratch(&mut self.b, &mut self.spec_b, &mut self.scratch)
                .is_ok();
        // Cross-spectrum, zero-padded to twice the length: its inverse is the
        // cross-correlation sampled every half sample (band-limited
        // interpolation), which keeps high pitches from falling between lags.
        let half = self.spec_b.len() - 1;
        for (k, (o, (sb, sa))) in self
            .spec_2
            .iter_mut()
            .zip(self.spec_b.iter().zip(&self.spec_a))
            .enumerate()
        {
            let v = *sb * sa.conj();
            *o = if k == half { v * 0.5 } else { v };
        }
        self.spec_2[half + 1..]
            .iter_mut()
            .for_each(|v| *v = Complex32::default());
        self.spec_2[0].im = 0.0;
        let ok = ok
            && self
                .inv
                .process_with_scratch(&mut self.spec_2, &mut self.r2, &mut self.scratch)
                .is_ok();
        if !ok {
            return false;
        }
        let norm = 2.0 / self.a.len() as f32;
        // On the half-lag grid m (tau = m / 2):
        // d(tau) = e_a + e_b(tau) - 2 r(tau);  d'(tau) = d(tau) * m / sum_{k<=m} d(k / 2).
        // Written as slice loops without bounds checks so they vectorise.
        let eb = &mut self.eb[..=tmax + 1];
        for ((e, hi), lo) in eb.iter_mut().zip(&self.cumsq[w..]).zip(&self.cumsq[..]) {
            *e = hi - lo;
        }
        let top = 2 * tmax;
        let d = &mut self.cmndf[..top + 2];
        for (t, (pair, r)) in d
            .chunks_exact_mut(2)
            .zip(self.r2.chunks_exact(2))
            .enumerate()
        {
            pair[0] = (energy_a + eb[t] - r[0] * norm).max(0.0);
            pair[1] = (energy_a + 0.5 * (eb[t] + eb[t + 1]) - r[1] * norm).max(0.0);
        }
        let mut running = 0.0f32;
        for (p, &v) in self.prefix[..top + 1].iter_mut().zip(d.iter()).skip(1) {
            running += v;
            *p = running;
        }
        d[0] = 1.0;
        for (m, (v, &p)) in d[..top + 1]
            .iter_mut()
            .zip(&self.prefix[..top + 1])
            .enumerate()
            .skip(1)
        {
            *v = if p > 0.0 { *v * m as f32 / p } else { 1.0 };
        }
        true
    }

    /// YIN steps 3-5: absolute threshold, local minimum, parabolic interpolation.
    fn pick(&self) -> PitchEstimate {
        let c = &self.cmndf;
        let (lo, hi) = (2 * self.tau_min, 2 * self.tau_max);
        let mut chosen = None;
        let mut tau = lo;
        while tau < hi {
            if c[tau] < THRESHOLD {
                while tau + 1 < hi && c[tau + 1] < c[tau] {
                    tau += 1;
                }
                chosen = Some(tau);
                break;
            }
            tau += 1;
        }
        let tau = chosen.unwrap_or_else(|| {
            (lo..hi)
                .min_by(|&x, &y| c[x].total_cmp(&c[y]))
                .unwrap_or(lo)
        });
        if tau <= lo || tau >= hi {
            return PitchEstimate {
                hz: 0.0,
                aperiodicity: c[tau].min(1.0),
            };
        }
        let (l, m, r) = (c[tau - 1], c[tau], c[tau + 1]);
        let den = l - 2.0 * m + r;
        let shift = if den > 0.0 {
            (0.5 * (l - r) / den).clamp(-0.5, 0.5)
        } else {
            0.0
        };
        let value = m - 0.25 * (l - r) * shift;
        PitchEstimate {
            hz: 2.0 * self.rate / (tau as f32 + shift),
            aperiodicity: value.clamp(0.0, 1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(rate: f64, hz: f64, harmonics: &[f64]) -> PitchEstimate {
        let mut yin = Yin::new(rate);
        let frame: Vec<f32> = (0..yin.frame_len())
            .map(|i| {
                let t = i as f64 / rate;
                harmonics
                    .iter()
                    .enumerate()
                    // harmonics above the band a decimating front end passes are left out
                    .filter(|(k, _)| hz * (*k + 1) as f64 <= 0.45 * rate)
                    .map(|(k, a)| {
                        a * (2.0 * std::f64::consts::PI * hz * (k + 1) as f64 * t + k as f64).sin()
                    })
                    .sum::<f64>() as f32
            })
            .collect();
        yin.estimate(&frame)
    }

    fn cents(a: f64, b: f64) -> f64 {
        1200.0 * (a / b).log2()
    }

    #[test]
    fn pure_and_harmonic_tones_across_the_range() {
        for midi in (36..=95).step_by(1) {
            let hz = 440.0 * 2f64.powf((f64::from(midi) - 69.0) / 12.0);
            if !(F0_MIN_HZ * 1.05..=F0_MAX_HZ * 0.95).contains(&hz) {
                continue;
            }
            for harmonics in [
                &[1.0][..],
                &[1.0, 0.6, 0.4, 0.3, 0.2][..],
                &[0.2, 1.0, 0.7, 0.5][..],
            ] {
                let e = estimate(11_025.0, hz, harmonics);
                assert!(
                    e.aperiodicity < 0.1,
                    "midi {midi}: aperiodicity {}",
                    e.aperiodicity
                );
                let err = cents(f64::from(e.hz), hz);
                assert!(
                    err.abs() < 15.0,
                    "midi {midi} {harmonics:?}: {err:.1} cents off"
                );
            }
        }
    }

    #[test]
    fn noise_is_aperiodic_and_silence_is_none() {
        let mut yin = Yin::new(11_025.0);
        let mut state = 12345u32;
        let noise: Vec<f32> = (0..yin.frame_len())
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5
            })
            .collect();
        assert!(yin.estimate(&noise).aperiodicity > 0.3);
        let silence = vec![0.0; yin.frame_len()];
        assert_eq!(yin.estimate(&silence), PitchEstimate::NONE);
    }
}

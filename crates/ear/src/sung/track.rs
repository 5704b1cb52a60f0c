//! The pitch track: one fundamental per frame chosen from each frame's YIN
//! candidates so that the whole line is most plausible.
//!
//! A single YIN estimate per frame jumps to the octave below (or above) on
//! breathy, noisy or soft frames, and a sung note then breaks into pieces an
//! octave apart. As in pYIN (Mauch & Dixon 2014), every local minimum of the
//! normalised difference is a candidate whose probability is the chance that
//! YIN's threshold, drawn from a prior, picks it; a Viterbi pass then chooses
//! one candidate per active frame, paying for every semitone the line jumps
//! between frames. Octave errors cost a large jump into and out of the wrong
//! octave, so the path stays on the true line.

use crate::pitch::PitchEstimate;

/// Most candidates kept per frame.
pub const MAX_CANDIDATES: usize = 6;
/// Cost of moving the line by one semitone between consecutive frames.
const JUMP_COST: f32 = 2.0;
/// Largest jump cost counted (an octave): a longer leap costs no more.
const MAX_JUMP_SEMITONES: f32 = 12.0;
/// Probability floor, so a frame with no likely candidate cannot block the path.
const PROB_FLOOR: f32 = 1e-4;
/// Share of the remaining threshold mass given to the deepest candidate when
/// no candidate falls under any threshold (pYIN's "absolute minimum" rule).
const ABSOLUTE_MIN_SHARE: f32 = 0.01;

/// Thresholds of the prior and the cumulative prior mass up to each: a
/// Beta(2, 11.33) distribution (mean 0.15) over 100 thresholds in 0.01..=1.
struct ThresholdPrior {
    thresholds: [f32; 100],
    /// `cdf[i]` = prior mass of thresholds `[0, i)`.
    cdf: [f32; 101],
}

impl ThresholdPrior {
    fn new() -> ThresholdPrior {
        let (a, b) = (2.0f64, 11.33f64);
        let mut thresholds = [0f32; 100];
        let mut pdf = [0f64; 100];
        for i in 0..100 {
            let t = 0.01 + 0.99 * i as f64 / 99.0;
            thresholds[i] = t as f32;
            pdf[i] = t.powf(a - 1.0) * (1.0 - t).powf(b - 1.0);
        }
        let total: f64 = pdf.iter().sum();
        let mut cdf = [0f32; 101];
        let mut acc = 0.0;
        for i in 0..100 {
            acc += pdf[i] / total;
            cdf[i + 1] = acc as f32;
        }
        ThresholdPrior { thresholds, cdf }
    }

    /// Prior mass of the thresholds `t` with `lo < t <= hi`.
    fn mass(&self, lo: f32, hi: f32) -> f32 {
        let idx = |v: f32| self.thresholds.partition_point(|&t| t <= v);
        let (a, b) = (idx(lo), idx(hi));
        if b > a {
            self.cdf[b] - self.cdf[a]
        } else {
            0.0
        }
    }
}

/// The candidates of one frame, in order of rising period.
#[derive(Debug, Clone, Copy)]
pub struct FrameCandidates {
    pub n: usize,
    pub c: [PitchEstimate; MAX_CANDIDATES],
}

impl Default for FrameCandidates {
    fn default() -> FrameCandidates {
        FrameCandidates {
            n: 0,
            c: [PitchEstimate::NONE; MAX_CANDIDATES],
        }
    }
}

fn hz_to_midi(hz: f32) -> f32 {
    69.0 + 12.0 * (hz / 440.0).log2()
}

/// pYIN probabilities: candidate `j` is what YIN returns for every threshold
/// above its own value but not above any earlier (shorter-period) candidate's.
fn probabilities(prior: &ThresholdPrior, f: &FrameCandidates, out: &mut [f32; MAX_CANDIDATES]) {
    let mut run_min = 1.0f32;
    let mut total = 0.0;
    for (o, c) in out.iter_mut().zip(&f.c[..f.n]) {
        let v = c.aperiodicity;
        *o = prior.mass(v, run_min);
        total += *o;
        run_min = run_min.min(v);
    }
    if let Some(deepest) =
        (0..f.n).min_by(|&a, &b| f.c[a].aperiodicity.total_cmp(&f.c[b].aperiodicity))
    {
        out[deepest] += ABSOLUTE_MIN_SHARE * (1.0 - total).max(0.0);
    }
}

/// One chosen pitch per frame: `(midi, aperiodicity)`, `(0, 1)` where the
/// frame is inactive or has no candidate.
pub fn track(frames: &[FrameCandidates], active: &[bool]) -> Vec<(f32, f32)> {
    let n = frames.len();
    let prior = ThresholdPrior::new();
    let mut out = vec![(0.0f32, 1.0f32); n];
    // Decode each run of active frames that have candidates on its own.
    let mut t = 0;
    while t < n {
        if !active[t] || frames[t].n == 0 {
            t += 1;
            continue;
        }
        let start = t;
        while t < n && active[t] && frames[t].n > 0 {
            t += 1;
        }
        decode_run(&prior, &frames[start..t], &mut out[start..t]);
    }
    out
}

fn decode_run(prior: &ThresholdPrior, frames: &[FrameCandidates], out: &mut [(f32, f32)]) {
    const K: usize = MAX_CANDIDATES;
    let n = frames.len();
    let mut back = vec![[0u8; K]; n];
    let mut cost = [f32::INFINITY; K];
    let mut probs = [0f32; K];
    let mut midi_prev = [0f32; K];
    let emission = |f: &FrameCandidates, probs: &mut [f32; K], e: &mut [f32; K]| {
        probabilities(prior, f, probs);
        for j in 0..K {
            e[j] = if j < f.n {
                -(probs[j] + PROB_FLOOR).ln()
            } else {
                f32::INFINITY
            };
        }
    };
    let mut e = [0f32; K];
    emission(&frames[0], &mut probs, &mut e);
    cost.copy_from_slice(&e);
    for (m, c) in midi_prev.iter_mut().zip(&frames[0].c[..frames[0].n]) {
        *m = hz_to_midi(c.hz);
    }
    for t in 1..n {
        let f = &frames[t];
        emission(f, &mut probs, &mut e);
        let mut next = [f32::INFINITY; K];
        let mut midi_now = [0f32; K];
        for j in 0..f.n {
            let m = hz_to_midi(f.c[j].hz);
            midi_now[j] = m;
            let (mut best, mut arg) = (f32::INFINITY, 0u8);
            for i in 0..frames[t - 1].n {
                let jump = (m - midi_prev[i]).abs().min(MAX_JUMP_SEMITONES);
                let c = cost[i] + JUMP_COST * jump;
                if c < best {
                    best = c;
                    arg = i as u8;
                }
            }
            next[j] = best + e[j];
            back[t][j] = arg;
        }
        cost = next;
        midi_prev = midi_now;
    }
    let mut s = (0..frames[n - 1].n)
        .min_by(|&a, &b| cost[a].total_cmp(&cost[b]))
        .unwrap_or(0);
    for t in (0..n).rev() {
        let c = frames[t].c[s];
        out[t] = (hz_to_midi(c.hz), c.aperiodicity);
        s = back[t][s] as usize;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(hz: f32, ap: f32) -> PitchEstimate {
        PitchEstimate {
            hz,
            aperiodicity: ap,
        }
    }

    #[test]
    fn the_first_candidate_under_the_threshold_takes_most_of_the_mass() {
        let prior = ThresholdPrior::new();
        let f = FrameCandidates {
            n: 2,
            c: [
                cand(440.0, 0.05),
                cand(220.0, 0.02),
                PitchEstimate::NONE,
                PitchEstimate::NONE,
                PitchEstimate::NONE,
                PitchEstimate::NONE,
            ],
        };
        let mut p = [0f32; MAX_CANDIDATES];
        probabilities(&prior, &f, &mut p);
        // every threshold above 0.05 picks the first candidate; only those in
        // (0.02, 0.05] pick the second (about a tenth of the prior's mass)
        assert!(
            p[0] > 0.8 && p[1] < 0.15 && p[0] > 5.0 * p[1],
            "the shorter period under most thresholds wins: {p:?}"
        );
    }

    #[test]
    fn an_octave_slip_in_the_middle_of_a_note_is_not_followed() {
        // 30 frames at 220 Hz; frames 10..14 prefer the octave below by a little
        let mut frames = vec![FrameCandidates::default(); 30];
        for (t, f) in frames.iter_mut().enumerate() {
            f.n = 2;
            let (a, b) = if (10..14).contains(&t) {
                (0.3, 0.1)
            } else {
                (0.05, 0.2)
            };
            f.c[0] = cand(220.0, a);
            f.c[1] = cand(110.0, b);
        }
        let out = track(&frames, &[true; 30]);
        assert!(
            out.iter().all(|&(m, _)| (m - 57.0).abs() < 0.01),
            "every frame stays on A3: {out:?}"
        );
    }

    #[test]
    fn inactive_frames_have_no_pitch() {
        let mut frames = vec![FrameCandidates::default(); 4];
        for f in &mut frames {
            f.n = 1;
            f.c[0] = cand(440.0, 0.05);
        }
        let out = track(&frames, &[true, false, false, true]);
        assert_eq!(out[1], (0.0, 1.0));
        assert!((out[0].0 - 69.0).abs() < 1e-3 && (out[3].0 - 69.0).abs() < 1e-3);
    }
}

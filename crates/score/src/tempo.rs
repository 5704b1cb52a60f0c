//! Tempo estimate from performed onsets, and the global tuning of a take.
//!
//! The tempo is the one among 40–240 BPM whose sixteenth-note grid explains
//! the inter-onset intervals best (a comb over candidate tempi), with simple
//! values (beats, then eighths) counted higher than sixteenths and a broad
//! prior around a moderate tempo to choose between half and double tempo.

use serde::{Deserialize, Serialize};

use crate::note::Note;

/// Slowest and fastest tempo considered, in quarter notes per minute.
pub const MIN_BPM: f64 = 40.0;
pub const MAX_BPM: f64 = 240.0;
/// Tempo the prior favours most; a tempo an octave away weighs about half.
const PRIOR_CENTRE_BPM: f64 = 105.0;
const PRIOR_OCTAVES: f64 = 1.1;
/// Intervals longer than this are pauses between phrases, not rhythm.
const MAX_IOI_S: f64 = 4.0;
/// Onsets closer than this are one event (a re-articulated or split note).
const MIN_IOI_S: f64 = 0.04;

/// The estimated tempo and how well the sixteenth grid fits the onsets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TempoEstimate {
    /// Quarter notes per minute.
    pub bpm: f64,
    /// Mean grid fit of the intervals, 0 (random) … 1 (exactly on the grid).
    pub confidence: f64,
}

/// Estimates the tempo of performed notes; `None` with fewer than two onsets
/// that are at least 40 ms apart.
pub fn estimate_tempo(notes: &[Note]) -> Option<TempoEstimate> {
    let intervals = intervals(notes);
    if intervals.is_empty() {
        return None;
    }
    let mut best: Option<(f64, f64, f64)> = None; // (score, bpm, fit)
    let mut bpm = MIN_BPM;
    while bpm <= MAX_BPM + 1e-9 {
        let fit = grid_fit(&intervals, 15.0 / bpm);
        let score = fit * prior(bpm);
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, bpm, fit));
        }
        bpm += 0.5;
    }
    let (_, coarse, fit) = best?;
    let bpm = refine(&intervals, 15.0 / coarse).map_or(coarse, |u| 15.0 / u);
    let bpm = if (MIN_BPM * 0.95..=MAX_BPM * 1.05).contains(&bpm) {
        bpm
    } else {
        coarse
    };
    Some(TempoEstimate {
        bpm,
        confidence: fit,
    })
}

/// Weighted inter-onset intervals: neighbours (weight 1) and next-but-one
/// (weight 0.5), which keeps a single split or merged note from dominating.
fn intervals(notes: &[Note]) -> Vec<(f64, f64)> {
    let mut onsets: Vec<f64> = notes
        .iter()
        .map(|n| n.onset_s)
        .filter(|t| t.is_finite())
        .collect();
    onsets.sort_by(f64::total_cmp);
    onsets.dedup_by(|b, a| *b - *a < MIN_IOI_S);
    let mut out = Vec::new();
    for (span, weight) in [(1, 1.0), (2, 0.5)] {
        for w in onsets.windows(span + 1) {
            let d = w[span] - w[0];
            if d <= MAX_IOI_S {
                out.push((d, weight));
            }
        }
    }
    out
}

/// How simple a length of `k` sixteenths is to read: the beat itself most,
/// then half notes, eighths, whole and dotted values, then the rest.
fn simplicity(k: f64) -> f64 {
    match k as u64 {
        4 => 1.0,
        8 => 0.8,
        2 | 12 | 16 => 0.85,
        6 => 0.8,
        k if k % 2 == 0 => 0.7,
        _ => 0.55,
    }
}

/// Mean fit of the intervals to a grid of sixteenths `u` seconds long.
fn grid_fit(intervals: &[(f64, f64)], u: f64) -> f64 {
    let (mut sum, mut weights) = (0.0, 0.0);
    for &(d, w) in intervals {
        let x = d / u;
        let k = x.round().max(1.0);
        let sigma = 0.16 + 0.015 * k;
        let e = (x - k) / sigma;
        sum += w * (-0.5 * e * e).exp() * simplicity(k);
        weights += w;
    }
    if weights > 0.0 { sum / weights } else { 0.0 }
}

fn prior(bpm: f64) -> f64 {
    let octaves = (bpm / PRIOR_CENTRE_BPM).log2() / PRIOR_OCTAVES;
    (-0.5 * octaves * octaves).exp()
}

/// Least-squares sixteenth length from the intervals that sit on the grid.
fn refine(intervals: &[(f64, f64)], u: f64) -> Option<f64> {
    let (mut dk, mut kk) = (0.0, 0.0);
    for &(d, w) in intervals {
        let x = d / u;
        let k = x.round().max(1.0);
        if (x - k).abs() < 0.3 {
            dk += w * d * k;
            kk += w * k * k;
        }
    }
    (kk > 0.0).then(|| dk / kk)
}

/// Global tuning of performed notes in cents (positive = sharp of A440
/// equal temperament): the length-weighted circular mean of each pitch's
/// distance to the nearest semitone, in -50 … +50.
pub fn estimate_tuning_cents(notes: &[Note]) -> f64 {
    let (mut x, mut y) = (0.0, 0.0);
    for n in notes {
        let p = n.midi_pitch;
        let w = n.duration_s();
        if p.is_finite() && w.is_finite() && w > 0.0 {
            let angle = std::f64::consts::TAU * (p - p.round());
            x += w * angle.cos();
            y += w * angle.sin();
        }
    }
    if x == 0.0 && y == 0.0 {
        return 0.0;
    }
    y.atan2(x) / std::f64::consts::TAU * 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(onsets: &[f64]) -> Vec<Note> {
        onsets
            .iter()
            .map(|&t| Note {
                onset_s: t,
                offset_s: t + 0.1,
                midi_pitch: 60.0,
            })
            .collect()
    }

    /// Onsets of a rhythm given in beats, at `bpm`.
    fn rhythm(beats: &[f64], bpm: f64) -> Vec<Note> {
        let mut t = 0.0;
        let mut onsets = vec![];
        for b in beats {
            onsets.push(t);
            t += b * 60.0 / bpm;
        }
        at(&onsets)
    }

    #[test]
    fn steady_quarters_give_their_tempo() {
        let est = estimate_tempo(&rhythm(&[1.0; 12], 96.0)).expect("tempo");
        assert!((est.bpm - 96.0).abs() < 1.0, "got {}", est.bpm);
    }

    #[test]
    fn mixed_values_give_the_beat_not_the_fastest_note() {
        let beats = [
            1.0, 0.5, 0.5, 1.0, 1.0, 1.5, 0.5, 2.0, 1.0, 1.0, 0.5, 0.5, 2.0,
        ];
        // Between half and double tempo the prior prefers the one nearer 105 BPM.
        for bpm in [80.0, 100.0, 126.0] {
            let est = estimate_tempo(&rhythm(&beats, bpm)).expect("tempo");
            assert!((est.bpm - bpm).abs() < 1.5, "{bpm}: got {}", est.bpm);
        }
    }

    #[test]
    fn one_note_has_no_tempo() {
        assert_eq!(estimate_tempo(&at(&[0.0])), None);
        assert_eq!(estimate_tempo(&[]), None);
    }

    #[test]
    fn tuning_is_the_shared_offset_from_the_semitone_grid() {
        let notes: Vec<Note> = [60.3, 62.28, 64.32, 65.3]
            .iter()
            .map(|&p| Note {
                onset_s: 0.0,
                offset_s: 1.0,
                midi_pitch: p,
            })
            .collect();
        assert!((estimate_tuning_cents(&notes) - 30.0).abs() < 1.0);
        // Wrapping around the half-semitone: +45 and -45 cents average to ±50, not 0.
        let flat_sharp = [59.55, 60.45].map(|p| Note {
            onset_s: 0.0,
            offset_s: 1.0,
            midi_pitch: p,
        });
        assert!(estimate_tuning_cents(&flat_sharp).abs() > 40.0);
    }
}

//! Tempo-free shape of a melody, for aligning before the take's tempo is
//! known: where each note sits between the first and last onset, how long
//! each interval is against the melody's typical interval, and the pitch
//! offset that lines the two melodies up. [`shapes`] describe each note by
//! its neighbours alone (steps up or down, longer or shorter), free of key,
//! tempo and of what else the take holds, so a target can be found inside a
//! much longer take.

use super::timing::median;
use crate::note::Note;

/// Global pitch offset (take minus target, semitones) before any alignment:
/// the peak of a histogram of pitch differences between notes at similar
/// relative positions in the two melodies.
pub(crate) fn initial_offset(t: &[Note], k: &[Note]) -> f64 {
    const BIN: f64 = 0.1;
    const RANGE: f64 = 14.0;
    let bins = (2.0 * RANGE / BIN) as usize + 1;
    let mut hist = vec![0.0f64; bins];
    let pos_t = relative_positions(t);
    let pos_k = relative_positions(k);
    let mut start = 0;
    for (i, &pt) in pos_t.iter().enumerate() {
        while start < pos_k.len() && pos_k[start] < pt - 0.2 {
            start += 1;
        }
        for j in start..pos_k.len() {
            let distance = pos_k[j] - pt;
            if distance > 0.2 {
                break;
            }
            let d = k[j].midi_pitch - t[i].midi_pitch;
            if d.abs() <= RANGE {
                let w = (-(distance / 0.08).powi(2)).exp();
                hist[((d + RANGE) / BIN).round() as usize] += w;
            }
        }
    }
    // Smooth over ±30 cents and take the peak.
    let smoothed: Vec<f64> = (0..bins)
        .map(|b| {
            (b.saturating_sub(3)..(b + 4).min(bins))
                .map(|c| hist[c] * (4.0 - (c as f64 - b as f64).abs()))
                .sum()
        })
        .collect();
    let peak = smoothed
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(b, _)| b);
    if smoothed[peak] <= 0.0 {
        return 0.0;
    }
    let (mut sum, mut weight) = (0.0, 0.0);
    let lo = peak.saturating_sub(3);
    for (c, &h) in hist.iter().enumerate().take((peak + 4).min(bins)).skip(lo) {
        sum += h * (c as f64 * BIN - RANGE);
        weight += h;
    }
    if weight > 0.0 { sum / weight } else { 0.0 }
}

/// Onsets scaled to 0…1 between the first and the last.
pub(crate) fn relative_positions(x: &[Note]) -> Vec<f64> {
    let first = x.first().map_or(0.0, |n| n.onset_s);
    let span = x.last().map_or(0.0, |n| n.onset_s) - first;
    x.iter()
        .map(|n| {
            if span > 0.0 {
                (n.onset_s - first) / span
            } else {
                0.0
            }
        })
        .collect()
}

/// Each note's time to the next onset (its own length for the last note),
/// in octaves relative to the melody's median interval: tempo-free rhythm.
pub(crate) fn relative_intervals(x: &[Note]) -> Vec<f64> {
    let raw: Vec<f64> = (0..x.len())
        .map(|i| {
            let d = x
                .get(i + 1)
                .map_or(x[i].duration_s(), |next| next.onset_s - x[i].onset_s);
            d.max(0.01)
        })
        .collect();
    let mut sorted = raw.clone();
    let typical = median(&mut sorted).unwrap_or(1.0).max(0.01);
    raw.iter().map(|d| (d / typical).log2()).collect()
}

/// A note as seen from its neighbours in its own melody.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shape {
    /// Semitones up from the previous note; `None` for the first.
    pub rise_in: Option<f64>,
    /// Semitones up to the next note; `None` for the last.
    pub rise_out: Option<f64>,
    /// How much longer the interval to the next onset is than the one from
    /// the previous onset, in octaves; `None` at either end.
    pub stretch: Option<f64>,
}

/// Each note's [`Shape`], for notes sorted by onset.
pub(crate) fn shapes(x: &[Note]) -> Vec<Shape> {
    let interval = |a: usize, b: usize| (x[b].onset_s - x[a].onset_s).max(0.02);
    (0..x.len())
        .map(|i| {
            let has_prev = i > 0;
            let has_next = i + 1 < x.len();
            Shape {
                rise_in: has_prev.then(|| x[i].midi_pitch - x[i - 1].midi_pitch),
                rise_out: has_next.then(|| x[i + 1].midi_pitch - x[i].midi_pitch),
                stretch: (has_prev && has_next)
                    .then(|| (interval(i, i + 1) / interval(i - 1, i)).log2()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn melody(pitches: &[f64], step_s: f64) -> Vec<Note> {
        pitches
            .iter()
            .enumerate()
            .map(|(i, &p)| Note {
                onset_s: i as f64 * step_s,
                offset_s: i as f64 * step_s + step_s * 0.9,
                midi_pitch: p,
            })
            .collect()
    }

    #[test]
    fn offset_is_found_for_a_transposed_slower_take() {
        let target = melody(&[60.0, 62.0, 64.0, 65.0, 67.0, 65.0, 64.0, 62.0], 0.5);
        let take: Vec<Note> = melody(&[60.0, 62.0, 64.0, 65.0, 67.0, 65.0, 64.0, 62.0], 0.6)
            .into_iter()
            .map(|n| Note {
                midi_pitch: n.midi_pitch - 11.7,
                ..n
            })
            .collect();
        assert!((initial_offset(&target, &take) + 11.7).abs() < 0.06);
    }

    #[test]
    fn intervals_are_relative_to_the_typical_one() {
        let mut m = melody(&[60.0, 62.0, 64.0, 65.0], 0.5);
        m[2].onset_s = 1.5; // note 1 lasts twice as long
        m[3].onset_s = 2.0;
        let r = relative_intervals(&m);
        assert!(
            (r[1] - 1.0).abs() < 1e-9,
            "one octave of duration = twice as long"
        );
        assert!(r[0].abs() < 1e-9);
        assert_eq!(relative_positions(&m), vec![0.0, 0.25, 0.75, 1.0]);
    }

    #[test]
    fn shapes_do_not_depend_on_key_or_tempo() {
        let a = melody(&[60.0, 64.0, 62.0, 67.0], 0.5);
        let mut b = melody(&[55.3, 59.3, 57.3, 62.3], 0.25);
        for n in &mut b {
            n.onset_s += 7.0;
        }
        let (sa, sb) = (shapes(&a), shapes(&b));
        for (x, y) in sa.iter().zip(&sb) {
            let close = |p: Option<f64>, q: Option<f64>| match (p, q) {
                (Some(p), Some(q)) => (p - q).abs() < 1e-9,
                (p, q) => p.is_none() && q.is_none(),
            };
            assert!(close(x.rise_in, y.rise_in) && close(x.rise_out, y.rise_out));
            assert!(close(x.stretch, y.stretch));
        }
        assert_eq!(sa[0].rise_in, None, "the first note has no note before it");
        assert_eq!(sa[1].rise_in, Some(4.0));
        assert_eq!(sa[3].stretch, None);
    }
}

//! Tempo-free shape of a melody, for aligning before the take's tempo is
//! known: where each note sits between the first and last onset, how long
//! each interval is against the melody's typical interval, and the pitch
//! offset that lines the two melodies up.

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
}

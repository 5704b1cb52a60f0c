//! The map from target time to take time: a robust straight line (the take's
//! own tempo and start), plus a local correction from neighbouring notes so
//! slow drift and a pause are followed rather than counted against every
//! later note.

/// `take_onset ≈ intercept + slope · target_onset`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    pub intercept: f64,
    /// Take seconds per target second: 1.1 for a take 10% slower.
    pub slope: f64,
}

/// Slopes outside this range are not a tempo but a failed fit.
const SLOPE_RANGE: (f64, f64) = (0.25, 4.0);

impl Line {
    pub(crate) fn at(&self, target_onset: f64) -> f64 {
        self.intercept + self.slope * target_onset
    }

    /// Robust line through `(target, take)` onset pairs sorted by target
    /// time: the slope is the median ratio of successive take to target
    /// intervals (so a pause or one misplaced note does not tilt it), the
    /// intercept the median offset. `None` without two pairs at least 20 ms
    /// apart in the target.
    pub(crate) fn fit(pairs: &[(f64, f64)]) -> Option<Line> {
        let mut ratios: Vec<f64> = pairs
            .windows(2)
            .filter(|w| w[1].0 - w[0].0 > 0.02)
            .map(|w| (w[1].1 - w[0].1) / (w[1].0 - w[0].0))
            .collect();
        let slope = median(&mut ratios)?;
        let (lo, hi) = SLOPE_RANGE;
        if !(lo..=hi).contains(&slope) {
            return None;
        }
        let mut offsets: Vec<f64> = pairs.iter().map(|&(x, y)| y - slope * x).collect();
        let intercept = median(&mut offsets)?;
        Some(Line { intercept, slope })
    }
}

/// Median of `values` (reordered in place); `None` when empty.
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// For each target note, where its take note is expected: the line plus
/// the median residual of the matched notes within `window` target notes on
/// either side, the note itself left out.
pub(crate) fn expected_onsets(
    line: Line,
    target_onsets: &[f64],
    matched_take_onsets: &[Option<f64>],
    window: usize,
) -> Vec<f64> {
    let residuals: Vec<Option<f64>> = target_onsets
        .iter()
        .zip(matched_take_onsets)
        .map(|(&t, k)| k.map(|k| k - line.at(t)))
        .collect();
    (0..target_onsets.len())
        .map(|i| {
            let lo = i.saturating_sub(window);
            let hi = (i + window + 1).min(target_onsets.len());
            let mut near: Vec<f64> = (lo..hi)
                .filter(|&k| k != i)
                .filter_map(|k| residuals[k])
                .collect();
            let correction = if near.len() >= 2 {
                median(&mut near).unwrap_or(0.0)
            } else {
                0.0
            };
            line.at(target_onsets[i]) + correction
        })
        .collect()
}

/// For each matched target note, how early (negative) or late (positive)
/// its take note came, in take seconds, judged two ways:
/// - against its neighbours: the line plus the median residual of the matched
///   notes within `window` target notes on either side, the note itself left
///   out (so one late note cannot excuse itself);
/// - against the previous matched note (the next one, for the first): that
///   note's take onset plus the target interval at the take's tempo.
///
/// A note is off only by as much as both views agree on (same sign, the
/// smaller size): one late note is late but the on-time note after it is not
/// early, and after a pause only the note that ends it is late.
pub(crate) fn timing_errors(
    line: Line,
    target_onsets: &[f64],
    matched_take_onsets: &[Option<f64>],
    window: usize,
) -> Vec<Option<f64>> {
    let expected = expected_onsets(line, target_onsets, matched_take_onsets, window);
    let matched: Vec<usize> = (0..target_onsets.len())
        .filter(|&i| matched_take_onsets[i].is_some())
        .collect();
    let mut out = vec![None; target_onsets.len()];
    for (rank, &i) in matched.iter().enumerate() {
        let take_onset = matched_take_onsets[i].unwrap_or_default();
        let by_neighbours = take_onset - expected[i];
        // The previous matched note, or for the first one the next.
        let adjacent = if rank > 0 {
            matched.get(rank - 1)
        } else {
            matched.get(rank + 1)
        };
        let error = match adjacent {
            Some(&p) => {
                let other_take = matched_take_onsets[p].unwrap_or(take_onset);
                let by_adjacent =
                    take_onset - (other_take + (target_onsets[i] - target_onsets[p]) * line.slope);
                if by_adjacent.signum() == by_neighbours.signum() {
                    by_adjacent.signum() * by_adjacent.abs().min(by_neighbours.abs())
                } else {
                    0.0
                }
            }
            None => by_neighbours,
        };
        out[i] = Some(error);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_ignores_an_outlier() {
        let mut pairs: Vec<(f64, f64)> = (0..10)
            .map(|i| (f64::from(i), 0.5 + 1.1 * f64::from(i)))
            .collect();
        pairs[4].1 += 2.0;
        let line = Line::fit(&pairs).expect("line");
        assert!((line.slope - 1.1).abs() < 1e-9);
        assert!((line.intercept - 0.5).abs() < 1e-9);
    }

    fn late_notes(target: &[f64], take: &[Option<f64>]) -> Vec<usize> {
        let line = Line::fit(
            &target
                .iter()
                .zip(take)
                .filter_map(|(&t, k)| k.map(|k| (t, k)))
                .collect::<Vec<_>>(),
        )
        .expect("line");
        let errors = timing_errors(line, target, take, 4);
        (0..target.len())
            .filter(|&i| errors[i].is_some_and(|e| e.abs() > 0.1))
            .collect()
    }

    #[test]
    fn a_pause_makes_only_the_note_after_it_late() {
        // The take follows the target exactly but waits 1 s before note 5.
        let target: Vec<f64> = (0..10).map(f64::from).collect();
        let take: Vec<Option<f64>> = target
            .iter()
            .map(|&t| Some(if t >= 5.0 { t + 1.0 } else { t }))
            .collect();
        assert_eq!(late_notes(&target, &take), vec![5]);
    }

    #[test]
    fn one_late_note_does_not_make_the_next_one_early() {
        let target: Vec<f64> = (0..10).map(f64::from).collect();
        let mut take: Vec<Option<f64>> = target.iter().map(|&t| Some(t)).collect();
        take[3] = Some(3.3);
        assert_eq!(late_notes(&target, &take), vec![3]);
    }
}

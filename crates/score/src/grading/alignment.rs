//! Needleman–Wunsch alignment of a take's notes to a target's notes: every
//! target note is matched to one take note or missed, every take note is
//! matched or extra, at least total cost. Long melodies are aligned inside a
//! band around the expected take position so memory stays bounded.
//!
//! With [`TakeEnds::Free`] the alignment is semi-global: take notes before
//! the first and after the last matched one cost nothing, so a short target
//! is found wherever it sits inside a long take.

/// Largest full matrix; beyond it the band is used.
const MAX_FULL_CELLS: usize = 4_000_000;
/// Half-width of the band, in take notes.
const BAND: usize = 400;

const FROM_DIAGONAL: u8 = 0;
const FROM_UP: u8 = 1; // target note missed
const FROM_LEFT: u8 = 2; // take note extra

/// What unmatched take notes at the ends of the take cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TakeEnds {
    /// A gap like any other.
    Charged,
    /// Nothing: the target may sit anywhere inside the take.
    Free,
}

/// An alignment and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alignment {
    /// For each target note, the take note it is matched with.
    pub matches: Vec<Option<usize>>,
    /// Sum of match and gap costs.
    pub cost: f64,
}

/// Aligns `n` target notes with `m` take notes. `cost(i, j)` is the cost of
/// matching target `i` with take `j`; leaving a note unmatched costs `gap`
/// (nothing for take notes at the ends with [`TakeEnds::Free`]).
/// `expected(i)` is where target `i` is expected in the take (fractional
/// take index), used only to place the band for long melodies.
pub(crate) fn align(
    n: usize,
    m: usize,
    gap: f64,
    ends: TakeEnds,
    expected: impl Fn(usize) -> f64,
    cost: impl Fn(usize, usize) -> f64,
) -> Alignment {
    let lead_gap = if ends == TakeEnds::Free { 0.0 } else { gap };
    let bands = bands(n, m, &expected);
    // Scores of the previous and the current row; directions of every row.
    let (lo0, hi0) = bands[0];
    let mut prev_score: Vec<f64> = (lo0..=hi0).map(|j| j as f64 * lead_gap).collect();
    let mut row_score: Vec<f64> = Vec::new();
    let mut from: Vec<Vec<u8>> = Vec::with_capacity(n + 1);
    from.push(vec![FROM_LEFT; hi0 - lo0 + 1]);
    for r in 1..=n {
        let (lo, hi) = bands[r];
        let (plo, phi) = bands[r - 1];
        let prev = |jj: usize| -> f64 {
            if jj < plo || jj > phi {
                f64::INFINITY
            } else {
                prev_score[jj - plo]
            }
        };
        row_score.clear();
        row_score.reserve(hi - lo + 1);
        let mut row_from = Vec::with_capacity(hi - lo + 1);
        for j in lo..=hi {
            let mut best = prev(j) + gap;
            let mut dir = FROM_UP;
            if j > 0 {
                let diagonal = prev(j - 1) + cost(r - 1, j - 1);
                if diagonal <= best {
                    best = diagonal;
                    dir = FROM_DIAGONAL;
                }
                if let Some(&left) = row_score.last()
                    && left + gap < best
                {
                    best = left + gap;
                    dir = FROM_LEFT;
                }
            }
            row_score.push(best);
            row_from.push(dir);
        }
        std::mem::swap(&mut prev_score, &mut row_score);
        from.push(row_from);
    }
    let last_row = prev_score;

    // Where the alignment ends: the take's end, or with free ends the
    // cheapest column of the last row (the earliest of equals); the take
    // notes after it are left over.
    let (last_lo, _) = bands[n];
    let end = match ends {
        TakeEnds::Charged => m,
        TakeEnds::Free => {
            last_lo
                + last_row
                    .iter()
                    .enumerate()
                    .min_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(k, _)| k)
        }
    };
    let total = last_row[end - last_lo];
    let mut matches = vec![None; n];
    let (mut r, mut j) = (n, end);
    while r > 0 || (j > 0 && ends == TakeEnds::Charged) {
        let (lo, hi) = bands[r];
        let dir = if r == 0 || j > hi {
            FROM_LEFT
        } else if j < lo {
            FROM_UP
        } else {
            from[r][j - lo]
        };
        match dir {
            FROM_DIAGONAL => {
                matches[r - 1] = Some(j - 1);
                r -= 1;
                j -= 1;
            }
            FROM_UP => r -= 1,
            _ => j -= 1,
        }
    }
    Alignment {
        matches,
        cost: total,
    }
}

/// Column range `[lo, hi]` of each DP row 0..=n (row r is after r target notes).
fn bands(n: usize, m: usize, expected: &impl Fn(usize) -> f64) -> Vec<(usize, usize)> {
    if (n + 1).saturating_mul(m + 1) <= MAX_FULL_CELLS {
        return vec![(0, m); n + 1];
    }
    let mut out = vec![(0usize, m.min(BAND)); n + 1];
    for r in 1..=n {
        let centre = (expected(r - 1) + 1.0).clamp(0.0, m as f64) as usize;
        let (plo, phi) = out[r - 1];
        let lo = centre.saturating_sub(BAND).max(plo).min(phi);
        let hi = (centre + BAND).min(m).max(phi).max(lo);
        out[r] = (lo, hi);
    }
    out[n].1 = m;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn align_with(target: &[i32], take: &[i32], ends: TakeEnds) -> Alignment {
        let cost = |i: usize, j: usize| f64::from((target[i] - take[j]).abs().min(4)) * 0.4;
        let expected = |i: usize| i as f64 * take.len() as f64 / target.len().max(1) as f64;
        align(target.len(), take.len(), 1.0, ends, expected, cost)
    }

    fn align_pitches(target: &[i32], take: &[i32]) -> Vec<Option<usize>> {
        align_with(target, take, TakeEnds::Charged).matches
    }

    #[test]
    fn free_ends_find_the_target_inside_the_take_and_charge_only_the_middle() {
        let target = [60, 62, 64, 65];
        let take = [70, 71, 60, 62, 75, 64, 65, 50, 51, 52];
        let a = align_with(&target, &take, TakeEnds::Free);
        assert_eq!(a.matches, vec![Some(2), Some(3), Some(5), Some(6)]);
        assert_eq!(a.cost, 1.0, "only the extra note between 62 and 64 costs");
        let charged = align_with(&target, &take, TakeEnds::Charged);
        assert_eq!(charged.matches, a.matches);
        assert_eq!(charged.cost, 6.0, "every unmatched take note costs a gap");
    }

    #[test]
    fn identical_sequences_match_one_to_one() {
        let m = align_pitches(&[60, 62, 64, 65], &[60, 62, 64, 65]);
        assert_eq!(m, vec![Some(0), Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn a_missing_note_is_skipped_and_the_rest_still_match() {
        let m = align_pitches(&[60, 62, 64, 65, 67], &[60, 64, 65, 67]);
        assert_eq!(m, vec![Some(0), None, Some(1), Some(2), Some(3)]);
    }

    #[test]
    fn an_extra_note_is_left_out() {
        let m = align_pitches(&[60, 62, 64], &[60, 61, 62, 64]);
        // 61 could match 62 as a near miss, but then 62 would be extra: same
        // shape. Either way every target note is matched.
        assert!(m.iter().all(Option::is_some));
        assert_eq!(m[2], Some(3));
    }

    #[test]
    fn banded_alignment_agrees_with_full_on_a_long_melody() {
        let target: Vec<i32> = (0..2500).map(|i| 60 + (i * 7 % 12)).collect();
        let mut take = target.clone();
        take.remove(1000);
        let m = align_pitches(&target, &take);
        assert_eq!(m[999], Some(999));
        assert_eq!(m[1000], None, "the removed note is missed");
        assert_eq!(m[2499], Some(2498));
    }
}

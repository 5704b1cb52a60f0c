//! Needleman–Wunsch alignment of a take's notes to a target's notes: every
//! target note is matched to one take note or missed, every take note is
//! matched or extra, at least total cost. Long melodies are aligned inside a
//! band around the expected take position so memory stays bounded.

/// Largest full matrix; beyond it the band is used.
const MAX_FULL_CELLS: usize = 4_000_000;
/// Half-width of the band, in take notes.
const BAND: usize = 400;

const FROM_DIAGONAL: u8 = 0;
const FROM_UP: u8 = 1; // target note missed
const FROM_LEFT: u8 = 2; // take note extra

/// Aligns `n` target notes with `m` take notes. `cost(i, j)` is the cost of
/// matching target `i` with take `j`; leaving a note unmatched costs `gap`.
/// `expected(i)` is where target `i` is expected in the take (fractional
/// take index), used only to place the band for long melodies.
/// Returns for each target note the take note it is matched with.
pub(crate) fn align(
    n: usize,
    m: usize,
    gap: f64,
    expected: &dyn Fn(usize) -> f64,
    cost: &dyn Fn(usize, usize) -> f64,
) -> Vec<Option<usize>> {
    let bands = bands(n, m, expected);
    let mut score: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut from: Vec<Vec<u8>> = Vec::with_capacity(n + 1);
    for (r, &(lo, hi)) in bands.iter().enumerate() {
        let width = hi - lo + 1;
        let mut row_score = vec![f64::INFINITY; width];
        let mut row_from = vec![FROM_LEFT; width];
        for j in lo..=hi {
            let k = j - lo;
            if r == 0 {
                row_score[k] = j as f64 * gap;
                continue;
            }
            let prev = |jj: usize| -> f64 {
                let (plo, phi) = bands[r - 1];
                if jj < plo || jj > phi {
                    f64::INFINITY
                } else {
                    score[r - 1][jj - plo]
                }
            };
            let mut best = prev(j) + gap;
            let mut dir = FROM_UP;
            if j > 0 {
                let diagonal = prev(j - 1) + cost(r - 1, j - 1);
                if diagonal <= best {
                    best = diagonal;
                    dir = FROM_DIAGONAL;
                }
                if k > 0 && row_score[k - 1] + gap < best {
                    best = row_score[k - 1] + gap;
                    dir = FROM_LEFT;
                }
            }
            row_score[k] = best;
            row_from[k] = dir;
        }
        score.push(row_score);
        from.push(row_from);
    }

    let mut matches = vec![None; n];
    let (mut r, mut j) = (n, m);
    while r > 0 || j > 0 {
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
    matches
}

/// Column range `[lo, hi]` of each DP row 0..=n (row r is after r target notes).
fn bands(n: usize, m: usize, expected: &dyn Fn(usize) -> f64) -> Vec<(usize, usize)> {
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

    fn align_pitches(target: &[i32], take: &[i32]) -> Vec<Option<usize>> {
        let cost = |i: usize, j: usize| f64::from((target[i] - take[j]).abs().min(4)) * 0.4;
        let expected = |i: usize| i as f64 * take.len() as f64 / target.len().max(1) as f64;
        align(target.len(), take.len(), 1.0, &expected, &cost)
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

//! Ranking on the device: one learner's clicks against the model.
//!
//! `score(j) = Σ_h w(h) · s(h, j)` over the learner's history items `h`
//! (weights scaled like training), and the `h` with the largest single
//! contribution is the recommendation's reason ("X를 본 사람들이 많이 본
//! 강의"). With no usable history — or too few neighbours to fill the list —
//! the most popular candidates follow, with no reason item.

use serde::{Deserialize, Serialize};

use crate::model::ItemModel;
use crate::training::keep_best;

/// One recommended item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recommendation {
    /// The recommended item (course id).
    pub item: u32,
    /// Ranking score: the summed similarity for personal picks, the number of
    /// distinct users for popular fill-ins. Only comparable within one kind.
    pub score: f32,
    /// The history item that contributed most; `None` for a popular pick.
    pub because: Option<u32>,
}

/// What to rank and how many.
#[derive(Debug, Clone, Copy)]
pub struct RankOptions<'a> {
    /// Length of the list.
    pub k: usize,
    /// Only these items may be recommended (e.g. the hobby's courses at the
    /// learner's level); `None` allows every item of the model.
    pub candidates: Option<&'a [u32]>,
    /// Items never to recommend (e.g. courses already finished).
    pub exclude: &'a [u32],
    /// Leave out the items in the learner's history.
    pub exclude_seen: bool,
    /// Top the list up with popular candidates when the history yields fewer
    /// than `k` items.
    pub fill_with_popular: bool,
}

impl Default for RankOptions<'_> {
    fn default() -> Self {
        Self {
            k: 10,
            candidates: None,
            exclude: &[],
            exclude_seen: true,
            fill_with_popular: true,
        }
    }
}

/// Ranking state of one item.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    score: f32,
    /// The largest single history contribution so far, and whose it was.
    best: f32,
    because: u32,
    allowed: bool,
}

/// A per-item yes/no over the model's dense indices.
fn allowed_mask(model: &ItemModel, opts: &RankOptions<'_>, history: &[(usize, f32)]) -> Vec<bool> {
    let mut allowed = match opts.candidates {
        None => vec![true; model.len()],
        Some(candidates) => {
            let mut mask = vec![false; model.len()];
            for i in candidates.iter().filter_map(|&c| model.index_of(c)) {
                mask[i] = true;
            }
            mask
        }
    };
    for i in opts.exclude.iter().filter_map(|&e| model.index_of(e)) {
        allowed[i] = false;
    }
    if opts.exclude_seen {
        for &(h, _) in history {
            allowed[h] = false;
        }
    }
    allowed
}

/// The learner's history folded per known item (repeated clicks summed) and
/// scaled like the training cells. Items outside the model are dropped.
fn fold_history(model: &ItemModel, history: &[(u32, f32)]) -> Vec<(usize, f32)> {
    let mut known: Vec<(usize, f32)> = history
        .iter()
        .filter(|(_, w)| w.is_finite() && *w > 0.0)
        .filter_map(|&(item, w)| model.index_of(item).map(|i| (i, w)))
        .collect();
    known.sort_unstable_by_key(|&(i, _)| i);
    let mut folded: Vec<(usize, f32)> = Vec::with_capacity(known.len());
    for (i, w) in known {
        match folded.last_mut() {
            Some(last) if last.0 == i => last.1 += w,
            _ => folded.push((i, w)),
        }
    }
    let scale = model.params().click_scale;
    for cell in &mut folded {
        cell.1 = scale.apply(cell.1);
    }
    folded
}

/// Ranks the model's items for one learner from their own `(item, weight)`
/// history (weights as given to training, e.g. click counts; repeated items
/// are summed, unknown items ignored).
pub fn rank(
    model: &ItemModel,
    history: &[(u32, f32)],
    opts: &RankOptions<'_>,
) -> Vec<Recommendation> {
    if opts.k == 0 {
        return Vec::new();
    }
    let history = fold_history(model, history);
    let allowed = allowed_mask(model, opts, &history);

    // One slot per item, so an update touches one cache line.
    let mut slots: Vec<Slot> = allowed
        .iter()
        .map(|&allowed| Slot {
            allowed,
            ..Slot::default()
        })
        .collect();
    let mut touched: Vec<u32> = Vec::new();
    for &(h, w) in &history {
        let (js, ss) = model.neighbours.row(h);
        for (&j, &s) in js.iter().zip(ss) {
            let slot = &mut slots[j as usize];
            if !slot.allowed {
                continue;
            }
            let c = w * s;
            if slot.score == 0.0 {
                touched.push(j);
            }
            slot.score += c;
            if c > slot.best {
                slot.best = c;
                slot.because = h as u32;
            }
        }
    }
    let mut picked: Vec<(u32, f32)> = touched
        .iter()
        .map(|&j| (j, slots[j as usize].score))
        .collect();
    keep_best(&mut picked, opts.k);
    let mut out: Vec<Recommendation> = picked
        .iter()
        .map(|&(j, s)| Recommendation {
            item: model.item_at(j),
            score: s,
            because: Some(model.item_at(slots[j as usize].because)),
        })
        .collect();

    if opts.fill_with_popular && out.len() < opts.k {
        let mut allowed = allowed;
        for &(j, _) in &picked {
            allowed[j as usize] = false;
        }
        out.extend(popular_among(model, &allowed, opts.k - out.len()));
    }
    out
}

/// Cold start: the `k` most popular items (most distinct users first, ties by
/// ascending id) among `candidates` (all items when `None`), minus `exclude`.
/// The caller narrows `candidates` to the learner's hobby and level.
pub fn popular(
    model: &ItemModel,
    candidates: Option<&[u32]>,
    exclude: &[u32],
    k: usize,
) -> Vec<Recommendation> {
    let opts = RankOptions {
        k,
        candidates,
        exclude,
        ..RankOptions::default()
    };
    popular_among(model, &allowed_mask(model, &opts, &[]), k)
}

fn popular_among(model: &ItemModel, allowed: &[bool], k: usize) -> Vec<Recommendation> {
    let mut picks: Vec<(u32, f32)> = (0..model.len())
        .filter(|&i| allowed[i])
        .map(|i| (i as u32, model.popularity_at(i) as f32))
        .collect();
    keep_best(&mut picks, k);
    picks
        .into_iter()
        .map(|(i, s)| Recommendation {
            item: model.item_at(i),
            score: s,
            because: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClickScale, Interactions, TrainParams, Weighting, train};

    /// u1 {1,2}, u2 {1,2,3}, u3 {2,3}, u4 {4}. Plain cosine, linear weights:
    /// s(1,2) = s(2,1) = s(2,3) = s(3,2) = 2/√6, s(1,3) = s(3,1) = 1/2;
    /// item 4 has no neighbours. Popularity: 2 → 3 users, 1 and 3 → 2, 4 → 1.
    fn model() -> ItemModel {
        let m = Interactions::from_clicks([
            (1u32, 1),
            (1, 2),
            (2, 1),
            (2, 2),
            (2, 3),
            (3, 2),
            (3, 3),
            (4, 4),
        ]);
        let params = TrainParams {
            neighbours: 10,
            weighting: Weighting::Cosine,
            click_scale: ClickScale::Linear,
            shrink: 0.0,
            alpha: 0.5,
            locality: 1.0,
            normalize_rows: false,
        };
        train(&m, &params).unwrap()
    }

    const C: f32 = 0.816_496_6; // 2/√6

    fn items(recs: &[Recommendation]) -> Vec<u32> {
        recs.iter().map(|r| r.item).collect()
    }

    #[test]
    fn scores_sum_over_history_and_because_is_the_largest_contribution() {
        let m = model();
        // History: item 1 once, item 3 three times (as separate events).
        let history = [(1, 1.0), (3, 1.0), (3, 2.0)];
        let opts = RankOptions {
            fill_with_popular: false,
            ..RankOptions::default()
        };
        let recs = rank(&m, &history, &opts);
        assert_eq!(items(&recs), vec![2], "1 and 3 are seen; 4 shares no user");
        // score(2) = 1·s(1,2) + 3·s(3,2); item 3's share (3·C) beats item 1's (C).
        assert!((recs[0].score - 4.0 * C).abs() < 1e-5, "{recs:?}");
        assert_eq!(recs[0].because, Some(3));
    }

    #[test]
    fn seen_items_come_back_only_when_asked() {
        let m = model();
        let history = [(1, 1.0), (3, 3.0)];
        let opts = RankOptions {
            exclude_seen: false,
            fill_with_popular: false,
            ..RankOptions::default()
        };
        let recs = rank(&m, &history, &opts);
        // 2: C + 3C; 1: 3·s(3,1) = 1.5 (because 3); 3: 1·s(1,3) = 0.5 (because 1).
        assert_eq!(items(&recs), vec![2, 1, 3]);
        assert!(
            (recs[1].score - 1.5).abs() < 1e-5 && recs[1].because == Some(3),
            "{recs:?}"
        );
        assert!(
            (recs[2].score - 0.5).abs() < 1e-5 && recs[2].because == Some(1),
            "{recs:?}"
        );
    }

    #[test]
    fn candidates_and_exclusions_limit_the_list() {
        let m = model();
        let history = [(1, 1.0)];
        let only_3 = RankOptions {
            candidates: Some(&[3, 4]),
            fill_with_popular: false,
            ..RankOptions::default()
        };
        assert_eq!(
            items(&rank(&m, &history, &only_3)),
            vec![3],
            "2 is not a candidate"
        );
        let not_2 = RankOptions {
            exclude: &[2],
            fill_with_popular: false,
            ..RankOptions::default()
        };
        assert_eq!(items(&rank(&m, &history, &not_2)), vec![3]);
        let top_1 = RankOptions {
            k: 1,
            ..RankOptions::default()
        };
        assert_eq!(
            items(&rank(&m, &history, &top_1)),
            vec![2],
            "k cuts the list"
        );
    }

    #[test]
    fn short_lists_are_topped_up_with_popular_items_without_a_reason() {
        let m = model();
        let recs = rank(&m, &[(1, 1.0)], &RankOptions::default());
        assert_eq!(
            items(&recs),
            vec![2, 3, 4],
            "2 and 3 from item 1, then 4 as the only unseen rest"
        );
        assert_eq!(recs[1].because, Some(1));
        assert_eq!(
            recs[2].because, None,
            "a popular fill-in has no reason item"
        );
    }

    #[test]
    fn cold_start_orders_by_popularity_then_id() {
        let m = model();
        let all = popular(&m, None, &[], 10);
        assert_eq!(
            items(&all),
            vec![2, 1, 3, 4],
            "3 users, then 2 and 2 (lower id first), then 1"
        );
        assert_eq!(all[0].score, 3.0);
        assert!(all.iter().all(|r| r.because.is_none()));
        assert_eq!(
            items(&popular(&m, Some(&[3, 4, 99]), &[], 10)),
            vec![3, 4],
            "99 is unknown"
        );
        assert_eq!(items(&popular(&m, None, &[2], 2)), vec![1, 3]);
        // An empty or unknown history ranks exactly like cold start.
        assert_eq!(
            rank(&m, &[], &RankOptions::default()),
            popular(&m, None, &[], 10)
        );
        assert_eq!(
            rank(&m, &[(77, 1.0)], &RankOptions::default()),
            popular(&m, None, &[], 10)
        );
    }
}

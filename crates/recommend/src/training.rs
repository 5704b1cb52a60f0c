//! Training: from the click matrix to each item's top-K neighbours.
//!
//! Cells are scaled (and BM25-weighted), each item pair's dot product
//! `Σ_u w(u,i)·w(u,j)` is accumulated by [`Cooccurrence`], normalised into a
//! similarity, sharpened by `locality`, and the best `neighbours` per item
//! are kept.

use serde::{Deserialize, Serialize};

use crate::cooccurrence::Cooccurrence;
use crate::error::{RecommendError, Result};
use crate::interactions::Interactions;
use crate::model::{ItemModel, Neighbours};
use crate::weighting::{ClickScale, Weighting, cell_weights};

/// Training knobs. [`TrainParams::default`] holds the values chosen on the
/// MovieLens validation split (see `eval/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainParams {
    /// Neighbours kept per item (K).
    pub neighbours: usize,
    /// Column comparison.
    pub weighting: Weighting,
    /// Scaling of the summed click weight of a cell.
    pub click_scale: ClickScale,
    /// Cosine only: added to the denominator so pairs with little support
    /// score lower. 0 disables it.
    pub shrink: f32,
    /// Cosine only: asymmetry in 0..=1; 0.5 is the symmetric cosine, larger
    /// values penalise popular neighbours less.
    pub alpha: f32,
    /// Exponent applied to every similarity (≥ 1 sharpens: strong neighbours
    /// dominate the sum of many weak ones).
    pub locality: f32,
    /// Scale each item's kept neighbour scores to unit L2 norm, so every
    /// history item has the same say however popular it is.
    pub normalize_rows: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            neighbours: 400,
            weighting: Weighting::Bm25 { k1: 1.2, b: 0.25 },
            click_scale: ClickScale::Log,
            shrink: 10.0,
            alpha: 0.5,
            locality: 2.0,
            normalize_rows: true,
        }
    }
}

impl TrainParams {
    /// Checks every field's range.
    ///
    /// # Errors
    /// [`RecommendError::InvalidParam`] naming the first bad field.
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &'static str, reason: &str| {
            Err(RecommendError::InvalidParam {
                field,
                reason: reason.to_owned(),
            })
        };
        if self.neighbours == 0 {
            return bad("neighbours", "must be at least 1");
        }
        if !(self.shrink.is_finite() && self.shrink >= 0.0) {
            return bad("shrink", "must be finite and >= 0");
        }
        if !(0.0..=1.0).contains(&self.alpha) {
            return bad("alpha", "must be in 0..=1");
        }
        if !(self.locality.is_finite() && self.locality > 0.0) {
            return bad("locality", "must be finite and > 0");
        }
        if let Weighting::Bm25 { k1, b } = self.weighting {
            if !(k1.is_finite() && k1 > 0.0) {
                return bad("weighting.k1", "must be finite and > 0");
            }
            if !(0.0..=1.0).contains(&b) {
                return bad("weighting.b", "must be in 0..=1");
            }
        }
        Ok(())
    }
}

/// Trains the item-to-item model.
///
/// # Errors
/// [`RecommendError::EmptyInteractions`] for an empty matrix,
/// [`RecommendError::InvalidParam`] for out-of-range parameters.
pub fn train(interactions: &Interactions, params: &TrainParams) -> Result<ItemModel> {
    params.validate()?;
    if interactions.cell_count() == 0 {
        return Err(RecommendError::EmptyInteractions);
    }
    let n_items = interactions.item_count();
    let (by_user, by_item) = cell_weights(interactions, params);

    // Denominator factors per item (cosine) — ones for BM25's plain dot.
    let (left, right): (Vec<f32>, Vec<f32>) = match params.weighting {
        Weighting::Cosine => (0..n_items)
            .map(|i| {
                let sq: f32 = by_item[interactions.item_range(i)]
                    .iter()
                    .map(|w| w * w)
                    .sum();
                (sq.powf(params.alpha), sq.powf(1.0 - params.alpha))
            })
            .unzip(),
        Weighting::Bm25 { .. } => (vec![1.0; n_items], vec![1.0; n_items]),
    };
    let shrink = match params.weighting {
        Weighting::Cosine => params.shrink,
        Weighting::Bm25 { .. } => 0.0,
    };

    // One interleaved (index, weight) stream per layout: the inner loop
    // reads a user's row from a single place in memory.
    let user_cells: Vec<(u32, f32)> = interactions
        .user_items
        .iter()
        .copied()
        .zip(by_user.iter().copied())
        .collect();
    let item_cells: Vec<(u32, f32)> = interactions
        .item_users
        .iter()
        .copied()
        .zip(by_item.iter().copied())
        .collect();
    drop((by_user, by_item));

    let cooccurrence = Cooccurrence {
        n_items,
        item_offsets: &interactions.item_offsets,
        item_cells: &item_cells,
        user_offsets: &interactions.user_offsets,
        user_cells: &user_cells,
    };
    let mut rows = cooccurrence.top_neighbours(params.neighbours, |i, j, dot| {
        let denom = left[i] * right[j as usize] + shrink;
        let s = if denom > 0.0 { dot / denom } else { 0.0 };
        (s > 0.0 && s.is_finite()).then_some(s)
    });

    // s ↦ s^locality keeps the order, so it is applied to the kept rows only.
    if params.locality != 1.0 {
        for row in &mut rows {
            row.iter_mut()
                .for_each(|(_, s)| *s = s.powf(params.locality));
            row.retain(|&(_, s)| s > 0.0 && s.is_finite());
        }
    }
    if params.normalize_rows {
        for row in &mut rows {
            let norm = row.iter().map(|&(_, s)| s * s).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|(_, s)| *s /= norm);
            }
        }
    }
    let popularity = (0..n_items)
        .map(|i| interactions.item_range(i).len() as u32)
        .collect();
    Ok(ItemModel::from_parts(
        interactions.item_ids.clone(),
        popularity,
        Neighbours::from_rows(&rows),
        *params,
    ))
}

/// Keeps the `k` highest scores, sorted best first (ties: lower index first).
pub(crate) fn keep_best(row: &mut Vec<(u32, f32)>, k: usize) {
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if row.len() > k {
        row.select_nth_unstable_by(k - 1, order);
        row.truncate(k);
    }
    row.sort_unstable_by(order);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// u1 clicked {1,2}, u2 {1,2,3}, u3 {2,3}: columns 1=(1,1,0), 2=(1,1,1),
    /// 3=(0,1,1); dots 1·2=2, 1·3=1, 2·3=2; squared norms 2, 3, 2.
    fn three_by_three() -> Interactions {
        Interactions::from_clicks([(1u32, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2), (3, 3)])
    }

    fn cosine(shrink: f32, alpha: f32, locality: f32, neighbours: usize) -> TrainParams {
        TrainParams {
            neighbours,
            weighting: Weighting::Cosine,
            click_scale: ClickScale::Binary,
            shrink,
            alpha,
            locality,
            normalize_rows: false,
        }
    }

    fn assert_row(model: &ItemModel, item: u32, expected: &[(u32, f32)]) {
        let row = model.similar(item);
        assert_eq!(row.len(), expected.len(), "neighbours of {item}: {row:?}");
        for ((j, s), (ej, es)) in row.iter().zip(expected) {
            assert_eq!(j, ej, "neighbour order of {item}: {row:?}");
            assert!((s - es).abs() < 1e-5, "s({item},{j}) = {s}, expected {es}");
        }
    }

    #[test]
    fn cosine_neighbours_match_the_hand_computed_values() {
        let model = train(&three_by_three(), &cosine(0.0, 0.5, 1.0, 10)).unwrap();
        let c12 = 2.0 / 6f32.sqrt(); // 2 / (√2·√3)
        assert_row(&model, 1, &[(2, c12), (3, 0.5)]); // 1·3 = 1 / (√2·√2)
        // s(2,1) = s(2,3): the tie goes to the lower id.
        assert_row(&model, 2, &[(1, c12), (3, c12)]);
        assert_row(&model, 3, &[(2, c12), (1, 0.5)]);
        assert_eq!(
            model.popularity(2),
            Some(3),
            "all three users clicked item 2"
        );
    }

    #[test]
    fn shrink_lowers_pairs_and_locality_sharpens() {
        let model = train(&three_by_three(), &cosine(1.0, 0.5, 2.0, 10)).unwrap();
        let c12 = 2.0 / (6f32.sqrt() + 1.0);
        let c13 = 1.0 / (2.0 + 1.0);
        assert_row(&model, 1, &[(2, c12 * c12), (3, c13 * c13)]);
    }

    #[test]
    fn asymmetric_alpha_one_is_the_conditional_probability() {
        // α = 1: s(i,j) = dot / ‖i‖², i.e. P(j | i) for binary clicks.
        let model = train(&three_by_three(), &cosine(0.0, 1.0, 1.0, 10)).unwrap();
        assert_row(&model, 1, &[(2, 1.0), (3, 0.5)]); // 2/2, 1/2
        assert_row(&model, 2, &[(1, 2.0 / 3.0), (3, 2.0 / 3.0)]);
    }

    #[test]
    fn repeated_clicks_count_logarithmically() {
        // One user: item 1 clicked twice (1 + 1), item 2 with weight 100.
        // Log scale: w1 = ln 3, w2 = ln 101; with α = 1, s(i,j) = w_i·w_j / w_i².
        let mut b = crate::InteractionsBuilder::<u32>::new();
        b.click(7, 1);
        b.click(7, 1);
        b.add(7, 2, 100.0).unwrap();
        let params = TrainParams {
            click_scale: ClickScale::Log,
            ..cosine(0.0, 1.0, 1.0, 10)
        };
        let model = train(&b.build(), &params).unwrap();
        let (w1, w2) = (3f32.ln(), 101f32.ln());
        assert_row(&model, 1, &[(2, w2 / w1)]);
        assert_row(&model, 2, &[(1, w1 / w2)]);
    }

    #[test]
    fn only_the_best_k_neighbours_are_kept() {
        let model = train(&three_by_three(), &cosine(0.0, 0.5, 1.0, 1)).unwrap();
        assert_row(&model, 1, &[(2, 2.0 / 6f32.sqrt())]);
        assert_eq!(model.link_count(), 3, "one neighbour per item");
    }

    #[test]
    fn bm25_matches_the_formula_on_a_dense_matrix() {
        // 4 users × 5 items, binary.
        let clicks = [
            (0u32, 1u32),
            (0, 2),
            (1, 1),
            (1, 2),
            (1, 3),
            (2, 3),
            (2, 4),
            (3, 1),
            (3, 5),
        ];
        let (k1, b) = (1.2f32, 0.75f32);
        let params = TrainParams {
            weighting: Weighting::Bm25 { k1, b },
            click_scale: ClickScale::Binary,
            locality: 1.0,
            normalize_rows: false,
            ..TrainParams::default()
        };
        let model = train(&Interactions::from_clicks(clicks), &params).unwrap();
        let mut x = [[0f32; 5]; 4];
        for (u, i) in clicks {
            x[u as usize][i as usize - 1] = 1.0;
        }
        let n_items = 5f32;
        let idf: Vec<f32> = x
            .iter()
            .map(|r| n_items.ln() - r.iter().sum::<f32>().ln_1p())
            .collect();
        let len: Vec<f32> = (0..5).map(|i| x.iter().map(|r| r[i]).sum()).collect();
        let mean = len.iter().sum::<f32>() / 5.0;
        let w = |u: usize, i: usize| {
            x[u][i] * (k1 + 1.0) / (k1 * ((1.0 - b) + b * len[i] / mean) + x[u][i]) * idf[u]
        };
        for i in 0..5 {
            for (j, s) in model.similar(i as u32 + 1) {
                let j = j as usize - 1;
                let dot: f32 = (0..4).map(|u| w(u, i) * w(u, j)).sum();
                assert!(
                    (s - dot).abs() < 1e-5,
                    "s({},{}) = {s}, formula {dot}",
                    i + 1,
                    j + 1
                );
            }
        }
        // 1 and 2 share two users, 1 and 5 one: both must be neighbours of 1.
        let of_1: Vec<u32> = model.similar(1).iter().map(|p| p.0).collect();
        assert!(of_1.contains(&2) && of_1.contains(&5), "{of_1:?}");
        assert!(!of_1.contains(&4), "no user clicked both 1 and 4");
    }

    #[test]
    fn normalized_rows_have_unit_length_and_keep_their_order() {
        let params = TrainParams {
            normalize_rows: true,
            ..cosine(0.0, 0.5, 1.0, 10)
        };
        let model = train(&three_by_three(), &params).unwrap();
        // Row 1 was (2/√6, 1/2); its L2 norm is √(4/6 + 1/4) = √(11/12).
        let norm = (11.0f32 / 12.0).sqrt();
        assert_row(&model, 1, &[(2, 2.0 / 6f32.sqrt() / norm), (3, 0.5 / norm)]);
        for item in [1, 2, 3] {
            let sq: f32 = model.similar(item).iter().map(|p| p.1 * p.1).sum();
            assert!((sq - 1.0).abs() < 1e-5, "row {item} has squared norm {sq}");
        }
    }

    #[test]
    fn empty_matrix_and_bad_params_are_refused() {
        let empty = Interactions::from_clicks(Vec::<(u32, u32)>::new());
        assert_eq!(
            train(&empty, &TrainParams::default()).unwrap_err(),
            RecommendError::EmptyInteractions
        );
        let m = three_by_three();
        let cases: [(TrainParams, &str); 4] = [
            (
                TrainParams {
                    neighbours: 0,
                    ..TrainParams::default()
                },
                "neighbours",
            ),
            (
                TrainParams {
                    alpha: 1.5,
                    ..TrainParams::default()
                },
                "alpha",
            ),
            (
                TrainParams {
                    shrink: -1.0,
                    ..TrainParams::default()
                },
                "shrink",
            ),
            (
                TrainParams {
                    weighting: Weighting::Bm25 { k1: 1.0, b: 2.0 },
                    ..TrainParams::default()
                },
                "weighting.b",
            ),
        ];
        for (params, field) in cases {
            match train(&m, &params) {
                Err(RecommendError::InvalidParam { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: expected InvalidParam, got {other:?}"),
            }
        }
    }
}

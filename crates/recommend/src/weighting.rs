//! Cell weighting: how a user's clicks on an item become the number that
//! enters the item–item dot products (scaled clicks for cosine, BM25 for
//! BM25), and the click scale shared by training and ranking.

use serde::{Deserialize, Serialize};

use crate::interactions::Interactions;
use crate::training::TrainParams;

/// How the two item columns are compared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Weighting {
    /// (Asymmetric) cosine of the scaled click columns:
    /// `s(i,j) = i·j / (‖i‖^(2α) · ‖j‖^(2(1-α)) + shrink)`; α = ½ is the
    /// plain cosine.
    Cosine,
    /// Dot product of BM25-weighted columns, as the `implicit` library's
    /// `BM25Recommender` does it: users are the "terms" (a user who clicked
    /// many items counts less, `idf(u) = ln N_items − ln(1 + |u|)`), items the
    /// "documents" (length-normalised by `b`, saturated by `k1`). `alpha` and
    /// `shrink` do not apply.
    Bm25 {
        /// Saturation of repeated clicks.
        k1: f32,
        /// Strength of the item-length normalisation, 0..=1.
        b: f32,
    },
}

/// How a summed click weight `w` is scaled before training and ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClickScale {
    /// Every clicked cell counts 1, however often it was clicked.
    Binary,
    /// `ln(1 + w)`: repeat clicks count, with diminishing returns.
    Log,
    /// `w` as given.
    Linear,
}

impl ClickScale {
    pub(crate) fn apply(self, w: f32) -> f32 {
        match self {
            Self::Binary => 1.0,
            Self::Log => w.ln_1p(),
            Self::Linear => w,
        }
    }
}

/// The scaled (and for BM25, weighted) cell values, in by-user and by-item order.
pub(crate) fn cell_weights(m: &Interactions, params: &TrainParams) -> (Vec<f32>, Vec<f32>) {
    // Click counts are mostly small integers: look their scaled value up
    // instead of calling ln_1p for every cell.
    let table: [f32; 64] = std::array::from_fn(|k| params.click_scale.apply(k as f32));
    let scale = |w: f32| {
        let k = w as usize;
        if k as f32 == w && k < table.len() {
            table[k]
        } else {
            params.click_scale.apply(w)
        }
    };
    let by_user: Vec<f32> = m.user_weights.iter().map(|&w| scale(w)).collect();
    let by_item: Vec<f32> = m.item_weights.iter().map(|&w| scale(w)).collect();
    match params.weighting {
        Weighting::Cosine => (by_user, by_item),
        Weighting::Bm25 { k1, b } => {
            let n_items = m.item_count();
            let idf: Vec<f32> = (0..m.user_count())
                .map(|u| {
                    let len = m.user_range(u).len() as f32;
                    // A user who clicked (nearly) every item would get idf ≤ 0;
                    // floor it so their clicks still count, barely.
                    ((n_items as f32).ln() - len.ln_1p()).max(f32::EPSILON)
                })
                .collect();
            let item_len: Vec<f32> = (0..n_items)
                .map(|i| by_item[m.item_range(i)].iter().sum())
                .collect();
            let mean_len = item_len.iter().sum::<f32>() / n_items as f32;
            let norm: Vec<f32> = item_len
                .iter()
                .map(|&l| (1.0 - b) + b * l / mean_len)
                .collect();
            let bm25 = |x: f32, item: usize, user: usize| {
                x * (k1 + 1.0) / (k1 * norm[item] + x) * idf[user]
            };
            let mut by_user = by_user;
            for u in 0..m.user_count() {
                let r = m.user_range(u);
                for (&i, x) in m.user_items[r.clone()].iter().zip(&mut by_user[r]) {
                    *x = bm25(*x, i as usize, u);
                }
            }
            let mut by_item = by_item;
            for i in 0..n_items {
                let r = m.item_range(i);
                for (&u, x) in m.item_users[r.clone()].iter().zip(&mut by_item[r]) {
                    *x = bm25(*x, i, u as usize);
                }
            }
            (by_user, by_item)
        }
    }
}

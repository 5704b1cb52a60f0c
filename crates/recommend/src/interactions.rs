//! The click matrix: who clicked which course, how often.
//!
//! [`InteractionsBuilder`] takes `(user, item, weight)` triples in any order,
//! with any user key type (numeric ids, UUID strings), and folds repeated
//! user–item pairs into one cell whose weight is the sum (e.g. a click count).
//! [`Interactions`] is the finished matrix in two sparse layouts: by user
//! (CSR) and by item (CSC), with items in ascending external id order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use crate::error::{RecommendError, Result};

/// A small multiplicative hasher for integer and short string keys; the
/// builder hashes every click twice, and SipHash would dominate its time.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

pub(crate) type FoldMap<K, V> = HashMap<K, V, BuildHasherDefault<FoldHasher>>;

/// Collects clicks; call [`InteractionsBuilder::build`] to get the matrix.
#[derive(Debug, Clone)]
pub struct InteractionsBuilder<U = u32> {
    users: FoldMap<U, u32>,
    items: FoldMap<u32, u32>,
    item_ids: Vec<u32>,
    cells: Vec<(u32, u32, f32)>,
}

impl<U: Hash + Eq> Default for InteractionsBuilder<U> {
    fn default() -> Self {
        Self {
            users: FoldMap::default(),
            items: FoldMap::default(),
            item_ids: Vec::new(),
            cells: Vec::new(),
        }
    }
}

impl<U: Hash + Eq> InteractionsBuilder<U> {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty builder with room for `clicks` triples.
    pub fn with_capacity(clicks: usize) -> Self {
        let mut builder = Self::default();
        builder.cells.reserve(clicks);
        builder
    }

    /// Records one click of weight 1.
    pub fn click(&mut self, user: U, item: u32) {
        self.push(user, item, 1.0);
    }

    /// Records `weight` (a click count, watch fraction, …) for a user–item
    /// pair; weights of the same pair are summed.
    ///
    /// # Errors
    /// [`RecommendError::InvalidWeight`] when the weight is not finite and > 0.
    pub fn add(&mut self, user: U, item: u32, weight: f32) -> Result<()> {
        if !(weight.is_finite() && weight > 0.0) {
            return Err(RecommendError::InvalidWeight { item, weight });
        }
        self.push(user, item, weight);
        Ok(())
    }

    fn push(&mut self, user: U, item: u32, weight: f32) {
        let next_user = self.users.len() as u32;
        let user = *self.users.entry(user).or_insert(next_user);
        let next_item = self.items.len() as u32;
        let dense = *self.items.entry(item).or_insert_with(|| {
            self.item_ids.push(item);
            next_item
        });
        self.cells.push((user, dense, weight));
    }

    /// Number of distinct users seen so far.
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// Folds duplicates and lays the matrix out by user and by item.
    pub fn build(self) -> Interactions {
        self.build_keyed().0
    }

    /// Like [`InteractionsBuilder::build`], also returning the user keys in
    /// dense order, so row `u` of the matrix belongs to `keys[u]`.
    pub fn build_keyed(self) -> (Interactions, Vec<U>) {
        let mut keys: Vec<(U, u32)> = self.users.into_iter().collect();
        keys.sort_unstable_by_key(|&(_, dense)| dense);
        let keys: Vec<U> = keys.into_iter().map(|(key, _)| key).collect();
        let n_users = keys.len();
        let n_items = self.item_ids.len();

        // Items in ascending external id order, so a model can look ids up by
        // binary search.
        let mut order: Vec<u32> = (0..n_items as u32).collect();
        order.sort_unstable_by_key(|&dense| self.item_ids[dense as usize]);
        let mut rank = vec![0u32; n_items];
        for (new, &old) in order.iter().enumerate() {
            rank[old as usize] = new as u32;
        }
        let item_ids: Vec<u32> = order
            .iter()
            .map(|&old| self.item_ids[old as usize])
            .collect();

        // Counting sort of the cells by user.
        let mut user_offsets = vec![0usize; n_users + 1];
        for &(user, _, _) in &self.cells {
            user_offsets[user as usize + 1] += 1;
        }
        for u in 0..n_users {
            user_offsets[u + 1] += user_offsets[u];
        }
        let mut fill = user_offsets.clone();
        let mut by_user = vec![(0u32, 0f32); self.cells.len()];
        for &(user, item, weight) in &self.cells {
            let slot = &mut fill[user as usize];
            by_user[*slot] = (rank[item as usize], weight);
            *slot += 1;
        }
        drop(self.cells);

        // Within each user: sort by item, sum duplicates, compact in place.
        let mut user_items = Vec::with_capacity(by_user.len());
        let mut user_weights = Vec::with_capacity(by_user.len());
        let mut offsets = Vec::with_capacity(n_users + 1);
        offsets.push(0usize);
        for u in 0..n_users {
            let row = &mut by_user[user_offsets[u]..user_offsets[u + 1]];
            row.sort_unstable_by_key(|&(item, _)| item);
            let mut last = u32::MAX;
            for &(item, weight) in row.iter() {
                if item == last {
                    if let Some(w) = user_weights.last_mut() {
                        *w += weight;
                    }
                } else {
                    user_items.push(item);
                    user_weights.push(weight);
                    last = item;
                }
            }
            offsets.push(user_items.len());
        }

        // Transpose to the by-item layout.
        let mut item_offsets = vec![0usize; n_items + 1];
        for &item in &user_items {
            item_offsets[item as usize + 1] += 1;
        }
        for i in 0..n_items {
            item_offsets[i + 1] += item_offsets[i];
        }
        let mut fill = item_offsets.clone();
        let mut item_users = vec![0u32; user_items.len()];
        let mut item_weights = vec![0f32; user_items.len()];
        for u in 0..n_users {
            for k in offsets[u]..offsets[u + 1] {
                let slot = &mut fill[user_items[k] as usize];
                item_users[*slot] = u as u32;
                item_weights[*slot] = user_weights[k];
                *slot += 1;
            }
        }

        let matrix = Interactions {
            item_ids,
            user_offsets: offsets,
            user_items,
            user_weights,
            item_offsets,
            item_users,
            item_weights,
        };
        (matrix, keys)
    }
}

impl<U: Hash + Eq> Extend<(U, u32)> for InteractionsBuilder<U> {
    fn extend<T: IntoIterator<Item = (U, u32)>>(&mut self, iter: T) {
        for (user, item) in iter {
            self.click(user, item);
        }
    }
}

/// The deduplicated click matrix. Users are dense `0..user_count()` in the
/// order they were first seen; items are dense in ascending external id.
#[derive(Debug, Clone)]
pub struct Interactions {
    pub(crate) item_ids: Vec<u32>,
    pub(crate) user_offsets: Vec<usize>,
    pub(crate) user_items: Vec<u32>,
    pub(crate) user_weights: Vec<f32>,
    pub(crate) item_offsets: Vec<usize>,
    pub(crate) item_users: Vec<u32>,
    pub(crate) item_weights: Vec<f32>,
}

impl Interactions {
    /// Builds a weight-1 matrix from `(user, item)` click pairs.
    pub fn from_clicks<U: Hash + Eq>(clicks: impl IntoIterator<Item = (U, u32)>) -> Self {
        let mut builder = InteractionsBuilder::new();
        builder.extend(clicks);
        builder.build()
    }

    /// Number of distinct users.
    pub fn user_count(&self) -> usize {
        self.user_offsets.len() - 1
    }

    /// Number of distinct items.
    pub fn item_count(&self) -> usize {
        self.item_ids.len()
    }

    /// Number of distinct user–item cells (after folding duplicates).
    pub fn cell_count(&self) -> usize {
        self.user_items.len()
    }

    /// External item ids, ascending.
    pub fn item_ids(&self) -> &[u32] {
        &self.item_ids
    }

    /// One user's `(external item id, summed weight)` cells, by ascending item.
    /// `user` is the dense index (order of first appearance in the builder).
    pub fn user_row(&self, user: usize) -> impl Iterator<Item = (u32, f32)> + '_ {
        let range = self.user_offsets[user]..self.user_offsets[user + 1];
        self.user_items[range.clone()]
            .iter()
            .zip(&self.user_weights[range])
            .map(|(&item, &w)| (self.item_ids[item as usize], w))
    }

    pub(crate) fn user_range(&self, user: usize) -> std::ops::Range<usize> {
        self.user_offsets[user]..self.user_offsets[user + 1]
    }

    pub(crate) fn item_range(&self, item: usize) -> std::ops::Range<usize> {
        self.item_offsets[item]..self.item_offsets[item + 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_summed_and_items_sorted_by_external_id() {
        let mut b = InteractionsBuilder::new();
        b.add("ann", 30, 1.0).unwrap();
        b.add("bob", 10, 2.0).unwrap();
        b.add("ann", 30, 2.5).unwrap();
        b.add("ann", 10, 1.0).unwrap();
        let m = b.build();
        assert_eq!(
            m.item_ids(),
            &[10, 30],
            "dense item order follows external ids"
        );
        assert_eq!(m.user_count(), 2);
        assert_eq!(m.cell_count(), 3, "ann–30 appears twice but is one cell");
        let ann: Vec<_> = m.user_row(0).collect();
        assert_eq!(
            ann,
            vec![(10, 1.0), (30, 3.5)],
            "1.0 + 2.5 summed for ann–30"
        );
        // By-item layout: item 10 has ann (1.0) and bob (2.0).
        let r = m.item_range(0);
        assert_eq!(&m.item_users[r.clone()], &[0, 1]);
        assert_eq!(&m.item_weights[r], &[1.0, 2.0]);
    }

    #[test]
    fn bad_weights_are_refused_with_the_item_named() {
        let mut b = InteractionsBuilder::<u32>::new();
        for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            let err = b.add(1, 7, bad).unwrap_err();
            assert!(
                matches!(err, RecommendError::InvalidWeight { item: 7, .. }),
                "{err}"
            );
        }
        assert_eq!(b.user_count(), 0, "a refused click leaves nothing behind");
    }

    #[test]
    fn from_clicks_uses_weight_one() {
        let m = Interactions::from_clicks([(1u32, 5), (1, 5), (2, 6)]);
        assert_eq!(m.user_row(0).collect::<Vec<_>>(), vec![(5, 2.0)]);
        assert_eq!(m.item_count(), 2);
    }
}

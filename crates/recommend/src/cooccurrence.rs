//! Co-occurrence: every item's dot products with every other item over the
//! users who clicked both, reduced to its top-K scored neighbours.
//!
//! The work is `Σ_u |items(u)|²` multiply–adds; what makes it slow is not
//! the arithmetic but fetching each user's row from memory once per item of
//! theirs. So items are taken in blocks of up to 32, most popular first, and
//! a block's columns are walked together in user order: a user's row is
//! fetched once per block and added into each of the block's accumulators it
//! concerns, while it sits in L1. The long tail of rarely clicked items,
//! where a block would share few users, goes one item at a time with a
//! sparse (touched-list) accumulator so the cost stays proportional to the
//! clicks even for very large catalogues. Blocks run in parallel (rayon).

use rayon::prelude::*;

use crate::training::keep_best;

/// Accumulator floats per thread for a block: 2^20 × 4 B = 4 MiB at most.
const BLOCK_FLOATS: usize = 1 << 20;
const MAX_BLOCK: usize = 32;

/// The click matrix with scaled cell weights, in both layouts.
pub(crate) struct Cooccurrence<'a> {
    pub(crate) n_items: usize,
    pub(crate) item_offsets: &'a [usize],
    /// `(user, weight)` per item, users ascending within an item.
    pub(crate) item_cells: &'a [(u32, f32)],
    pub(crate) user_offsets: &'a [usize],
    /// `(item, weight)` per user.
    pub(crate) user_cells: &'a [(u32, f32)],
}

/// An item's dense index and its kept `(neighbour, score)` pairs.
type ItemRow = (usize, Vec<(u32, f32)>);

struct Scratch {
    acc: Vec<f32>,
    touched: Vec<u32>,
    cursors: Vec<usize>,
    hits: Vec<(usize, f32)>,
}

impl Cooccurrence<'_> {
    fn column(&self, i: usize) -> &[(u32, f32)] {
        &self.item_cells[self.item_offsets[i]..self.item_offsets[i + 1]]
    }

    fn row(&self, u: u32) -> &[(u32, f32)] {
        &self.user_cells[self.user_offsets[u as usize]..self.user_offsets[u as usize + 1]]
    }

    /// Multiply–adds each item's row costs: `Σ_{u ∈ users(i)} |items(u)|`,
    /// summed in one sequential pass over the users.
    fn work(&self) -> Vec<usize> {
        let mut work = vec![0usize; self.n_items];
        for u in 0..self.user_offsets.len() - 1 {
            let row = self.row(u as u32);
            for &(i, _) in row {
                work[i as usize] += row.len();
            }
        }
        work
    }

    /// A block goes the dense way when each of its accumulators gets at
    /// least n/4 adds on average.
    fn is_dense_block(&self, items: &[usize], work: &[usize]) -> bool {
        let total: usize = items.iter().map(|&i| work[i]).sum();
        items.len() > 1 && total * 4 >= items.len() * self.n_items
    }

    /// The item blocks, most clicked items first.
    fn blocks(&self) -> (Vec<usize>, usize) {
        let n = self.n_items;
        let block = (BLOCK_FLOATS / n.max(1)).clamp(1, MAX_BLOCK);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.column(i).len()));
        (order, block)
    }

    /// For every item `i`: `score(i, j, dot)` for each co-clicked `j ≠ i`,
    /// keeping the `k` best `Some` scores, best first.
    pub(crate) fn top_neighbours(
        &self,
        k: usize,
        score: impl Fn(usize, u32, f32) -> Option<f32> + Sync,
    ) -> Vec<Vec<(u32, f32)>> {
        let n = self.n_items;
        let (order, block) = self.blocks();
        let work = self.work();
        let score = &score;

        let done: Vec<Vec<ItemRow>> = order
            .par_chunks(block)
            .map_init(
                || Scratch {
                    acc: vec![0.0; n * block],
                    touched: Vec::new(),
                    cursors: vec![0; block],
                    hits: Vec::with_capacity(block),
                },
                |scratch, items| {
                    if self.is_dense_block(items, &work) {
                        self.dense_block(items, scratch, k, score)
                    } else {
                        items
                            .iter()
                            .map(|&i| (i, self.sparse_item(i, scratch, k, score)))
                            .collect()
                    }
                },
            )
            .collect();

        let mut rows = vec![Vec::new(); n];
        for (i, row) in done.into_iter().flatten() {
            rows[i] = row;
        }
        rows
    }

    fn dense_block(
        &self,
        items: &[usize],
        s: &mut Scratch,
        k: usize,
        score: &(impl Fn(usize, u32, f32) -> Option<f32> + Sync),
    ) -> Vec<ItemRow> {
        let n = self.n_items;
        let columns: Vec<&[(u32, f32)]> = items.iter().map(|&i| self.column(i)).collect();
        s.cursors[..items.len()].fill(0);
        loop {
            // The next user (smallest id) among the columns' cursors.
            let mut user = u32::MAX;
            for (b, col) in columns.iter().enumerate() {
                if let Some(&(u, _)) = col.get(s.cursors[b]) {
                    user = user.min(u);
                }
            }
            if user == u32::MAX {
                break;
            }
            s.hits.clear();
            for (b, col) in columns.iter().enumerate() {
                if let Some(&(u, w)) = col.get(s.cursors[b])
                    && u == user
                {
                    s.hits.push((b, w));
                    s.cursors[b] += 1;
                }
            }
            let row = self.row(user);
            for &(b, w_ui) in &s.hits {
                let acc = &mut s.acc[b * n..(b + 1) * n];
                for &(j, w_uj) in row {
                    acc[j as usize] += w_ui * w_uj;
                }
            }
        }
        items
            .iter()
            .enumerate()
            .map(|(b, &i)| {
                let mut out = Vec::new();
                for (j, slot) in s.acc[b * n..(b + 1) * n].iter_mut().enumerate() {
                    let dot = std::mem::take(slot);
                    if dot != 0.0
                        && j != i
                        && let Some(v) = score(i, j as u32, dot)
                    {
                        out.push((j as u32, v));
                    }
                }
                keep_best(&mut out, k);
                (i, out)
            })
            .collect()
    }

    fn sparse_item(
        &self,
        i: usize,
        s: &mut Scratch,
        k: usize,
        score: &(impl Fn(usize, u32, f32) -> Option<f32> + Sync),
    ) -> Vec<(u32, f32)> {
        let acc = &mut s.acc[..self.n_items];
        for &(u, w_ui) in self.column(i) {
            for &(j, w_uj) in self.row(u) {
                let slot = &mut acc[j as usize];
                if *slot == 0.0 {
                    s.touched.push(j);
                }
                *slot += w_ui * w_uj;
            }
        }
        let mut out = Vec::with_capacity(s.touched.len());
        for &j in &s.touched {
            let dot = std::mem::take(&mut acc[j as usize]);
            if j as usize != i
                && let Some(v) = score(i, j, dot)
            {
                out.push((j, v));
            }
        }
        s.touched.clear();
        keep_best(&mut out, k);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interactions::Interactions;

    /// Every pair's dot product must equal the brute-force sum over users,
    /// whichever path (dense block or sparse item) computed it.
    #[test]
    fn dense_blocks_and_sparse_tail_agree_with_brute_force() {
        // 300 users × 200 items: item i is clicked by users u with
        // (u·7 + i·13) % (i + 2) == 0, so low ids are popular (dense blocks)
        // and high ids rare (sparse path); user i also clicks item i so every
        // item is present; weights vary per cell.
        let (n_users, n_items) = (300usize, 200usize);
        let mut dense = vec![vec![0f32; n_items]; n_users];
        let mut b = crate::InteractionsBuilder::<u32>::new();
        for (u, row) in dense.iter_mut().enumerate() {
            for (i, cell) in row.iter_mut().enumerate() {
                if (u * 7 + i * 13) % (i + 2) == 0 || u == i {
                    let w = 1.0 + ((u + i) % 3) as f32;
                    *cell = w;
                    b.add(u as u32, i as u32, w).unwrap();
                }
            }
        }
        let m: Interactions = b.build();
        assert_eq!(m.item_count(), n_items);
        let user_cells: Vec<(u32, f32)> = m
            .user_items
            .iter()
            .copied()
            .zip(m.user_weights.iter().copied())
            .collect();
        let item_cells: Vec<(u32, f32)> = m
            .item_users
            .iter()
            .copied()
            .zip(m.item_weights.iter().copied())
            .collect();
        let co = Cooccurrence {
            n_items,
            item_offsets: &m.item_offsets,
            item_cells: &item_cells,
            user_offsets: &m.user_offsets,
            user_cells: &user_cells,
        };
        let (order, block) = co.blocks();
        let work = co.work();
        let dense_blocks = order
            .chunks(block)
            .filter(|items| co.is_dense_block(items, &work))
            .count();
        let all_blocks = order.chunks(block).count();
        assert!(
            dense_blocks > 0 && dense_blocks < all_blocks,
            "both paths must run: {dense_blocks}/{all_blocks}"
        );

        let rows = co.top_neighbours(n_items, |_, _, dot| Some(dot));
        for (i, row) in rows.iter().enumerate() {
            let mut expected: Vec<(u32, f32)> = (0..n_items)
                .filter(|&j| j != i)
                .map(|j| (j as u32, dense.iter().map(|r| r[i] * r[j]).sum::<f32>()))
                .filter(|&(_, d)| d > 0.0)
                .collect();
            keep_best(&mut expected, n_items);
            assert_eq!(row, &expected, "item {i}");
        }
    }
}

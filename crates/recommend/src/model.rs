//! The trained item-to-item model: per item, its best neighbours and scores,
//! plus each item's popularity for cold start.
//!
//! The model is what travels from server to app, so it is compact (sparse
//! rows, `u32` indices, `f32` scores) and checked on the way in: a serialised
//! model carries [`MODEL_VERSION`] and every index is validated when it is
//! deserialised, so a ranking never indexes out of bounds.

use serde::{Deserialize, Serialize, Serializer};

use crate::error::{RecommendError, Result};
use crate::training::TrainParams;

/// The serialised format version this build reads and writes.
pub const MODEL_VERSION: u32 = 1;

/// Sparse rows of `(neighbour index, score)`, best first.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Neighbours {
    pub(crate) offsets: Vec<u32>,
    pub(crate) items: Vec<u32>,
    pub(crate) scores: Vec<f32>,
}

impl Neighbours {
    pub(crate) fn from_rows(rows: &[Vec<(u32, f32)>]) -> Self {
        let total = rows.iter().map(Vec::len).sum();
        let mut out = Self {
            offsets: Vec::with_capacity(rows.len() + 1),
            items: Vec::with_capacity(total),
            scores: Vec::with_capacity(total),
        };
        out.offsets.push(0);
        for row in rows {
            for &(j, s) in row {
                out.items.push(j);
                out.scores.push(s);
            }
            out.offsets.push(out.items.len() as u32);
        }
        out
    }

    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let r = self.offsets[i] as usize..self.offsets[i + 1] as usize;
        (&self.items[r.clone()], &self.scores[r])
    }
}

/// A trained item-to-item model. Item ids are the caller's (course ids).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "ModelWire")]
pub struct ItemModel {
    items: Vec<u32>,
    popularity: Vec<u32>,
    pub(crate) neighbours: Neighbours,
    params: TrainParams,
}

impl ItemModel {
    pub(crate) fn from_parts(
        items: Vec<u32>,
        popularity: Vec<u32>,
        neighbours: Neighbours,
        params: TrainParams,
    ) -> Self {
        Self {
            items,
            popularity,
            neighbours,
            params,
        }
    }

    /// The model's item ids, ascending.
    pub fn items(&self) -> &[u32] {
        &self.items
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when the model has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Total stored neighbour links (a size measure).
    pub fn link_count(&self) -> usize {
        self.neighbours.items.len()
    }

    /// The parameters the model was trained with.
    pub fn params(&self) -> &TrainParams {
        &self.params
    }

    /// True when the item is in the model.
    pub fn contains(&self, item: u32) -> bool {
        self.index_of(item).is_some()
    }

    pub(crate) fn index_of(&self, item: u32) -> Option<usize> {
        self.items.binary_search(&item).ok()
    }

    pub(crate) fn item_at(&self, index: u32) -> u32 {
        self.items[index as usize]
    }

    pub(crate) fn popularity_at(&self, index: usize) -> u32 {
        self.popularity[index]
    }

    /// How many distinct users clicked the item (`None` if not in the model).
    pub fn popularity(&self, item: u32) -> Option<u32> {
        self.index_of(item).map(|i| self.popularity[i])
    }

    /// The item's stored neighbours as `(item id, similarity)`, best first —
    /// "people who viewed this also viewed" on a course page.
    pub fn similar(&self, item: u32) -> Vec<(u32, f32)> {
        let Some(i) = self.index_of(item) else {
            return Vec::new();
        };
        let (js, ss) = self.neighbours.row(i);
        js.iter()
            .zip(ss)
            .map(|(&j, &s)| (self.items[j as usize], s))
            .collect()
    }

    /// The model restricted to `items` (e.g. one hobby's courses), for the
    /// server to send to an app. Links to items outside the subset are
    /// dropped; ids that are not in the model (courses nobody has clicked
    /// yet) are skipped.
    pub fn subset(&self, items: &[u32]) -> ItemModel {
        let mut keep: Vec<usize> = items.iter().filter_map(|&id| self.index_of(id)).collect();
        keep.sort_unstable();
        keep.dedup();
        let mut new_index = vec![u32::MAX; self.items.len()];
        for (new, &old) in keep.iter().enumerate() {
            new_index[old] = new as u32;
        }
        let rows: Vec<Vec<(u32, f32)>> = keep
            .iter()
            .map(|&old| {
                let (js, ss) = self.neighbours.row(old);
                js.iter()
                    .zip(ss)
                    .filter_map(|(&j, &s)| {
                        let n = new_index[j as usize];
                        (n != u32::MAX).then_some((n, s))
                    })
                    .collect()
            })
            .collect();
        ItemModel {
            items: keep.iter().map(|&i| self.items[i]).collect(),
            popularity: keep.iter().map(|&i| self.popularity[i]).collect(),
            neighbours: Neighbours::from_rows(&rows),
            params: self.params,
        }
    }
}

/// The serialised shape (camelCase), shared by every serde format.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModelWire<I = Vec<u32>, S = Vec<f32>> {
    version: u32,
    params: TrainParams,
    /// Item ids, strictly ascending.
    items: I,
    /// Distinct users per item.
    popularity: I,
    /// Row starts into `neighbourItems`, one per item plus the end.
    neighbour_offsets: I,
    /// Neighbour positions in `items`.
    neighbour_items: I,
    neighbour_scores: S,
}

impl Serialize for ItemModel {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> std::result::Result<Z::Ok, Z::Error> {
        ModelWire::<&[u32], &[f32]> {
            version: MODEL_VERSION,
            params: self.params,
            items: &self.items,
            popularity: &self.popularity,
            neighbour_offsets: &self.neighbours.offsets,
            neighbour_items: &self.neighbours.items,
            neighbour_scores: &self.neighbours.scores,
        }
        .serialize(serializer)
    }
}

impl TryFrom<ModelWire> for ItemModel {
    type Error = RecommendError;

    fn try_from(w: ModelWire) -> Result<Self> {
        if w.version != MODEL_VERSION {
            return Err(RecommendError::ModelVersion {
                found: w.version,
                expected: MODEL_VERSION,
            });
        }
        let bad = |what: &str| Err(RecommendError::MalformedModel(what.to_owned()));
        w.params.validate()?;
        let n = w.items.len();
        if w.items.windows(2).any(|p| p[0] >= p[1]) {
            return bad("items are not strictly ascending");
        }
        if w.popularity.len() != n {
            return bad("popularity length differs from items");
        }
        if w.neighbour_offsets.len() != n + 1 || w.neighbour_offsets[0] != 0 {
            return bad("neighbourOffsets must have one entry per item plus one, starting at 0");
        }
        if w.neighbour_offsets.windows(2).any(|p| p[0] > p[1]) {
            return bad("neighbourOffsets decrease");
        }
        let links = w.neighbour_items.len();
        if w.neighbour_offsets[n] as usize != links || w.neighbour_scores.len() != links {
            return bad("neighbour arrays do not match neighbourOffsets");
        }
        if w.neighbour_items.iter().any(|&j| j as usize >= n) {
            return bad("a neighbour index is out of range");
        }
        if w.neighbour_scores
            .iter()
            .any(|s| !(s.is_finite() && *s > 0.0))
        {
            return bad("a neighbour score is not finite and positive");
        }
        Ok(Self {
            items: w.items,
            popularity: w.popularity,
            neighbours: Neighbours {
                offsets: w.neighbour_offsets,
                items: w.neighbour_items,
                scores: w.neighbour_scores,
            },
            params: w.params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Interactions, train};

    fn model() -> ItemModel {
        // u1 {1,2}, u2 {1,2,3}, u3 {2,3}.
        let m =
            Interactions::from_clicks([(1u32, 1), (1, 2), (2, 1), (2, 2), (2, 3), (3, 2), (3, 3)]);
        train(&m, &TrainParams::default()).unwrap()
    }

    #[test]
    fn json_round_trip_keeps_the_model() {
        let m = model();
        let json = serde_json::to_string(&m).unwrap();
        assert!(
            json.contains("\"neighbourOffsets\"") && json.contains("\"version\":1"),
            "{json}"
        );
        let back: ItemModel = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn a_model_of_another_version_is_refused() {
        let json = serde_json::to_string(&model())
            .unwrap()
            .replace("\"version\":1", "\"version\":2");
        let err = serde_json::from_str::<ItemModel>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("version 2 is not supported"), "{err}");
    }

    #[test]
    fn out_of_range_neighbours_are_refused() {
        let m = model();
        let mut v = serde_json::to_value(&m).unwrap();
        v["neighbourItems"][0] = serde_json::json!(3); // only indices 0..3 exist
        let err = serde_json::from_value::<ItemModel>(v)
            .unwrap_err()
            .to_string();
        assert!(err.contains("out of range"), "{err}");
        let mut v = serde_json::to_value(&m).unwrap();
        v["items"] = serde_json::json!([1, 3, 2]);
        let err = serde_json::from_value::<ItemModel>(v)
            .unwrap_err()
            .to_string();
        assert!(err.contains("ascending"), "{err}");
    }

    #[test]
    fn subset_keeps_only_the_asked_items_and_links_among_them() {
        let m = model();
        let sub = m.subset(&[3, 1, 99, 1]);
        assert_eq!(sub.items(), &[1, 3], "99 is unknown, duplicates collapse");
        assert_eq!(sub.popularity(1), Some(2));
        assert_eq!(sub.popularity(2), None);
        let of_1: Vec<u32> = sub.similar(1).iter().map(|p| p.0).collect();
        assert_eq!(of_1, vec![3], "the link to 2 left with item 2");
        let full: Vec<(u32, f32)> = m.similar(1).into_iter().filter(|p| p.0 == 3).collect();
        assert_eq!(sub.similar(1), full, "kept links keep their scores");
        assert!(m.subset(&[]).is_empty());
    }
}

//! Ranking courses on the device: the learner's own views and clicks folded
//! through the hobby's item-to-item model (`tutti_recommend::rank`), topped
//! up with the hobby's popular courses, then with the catalogue's first
//! courses at the level when there is no usage data at all.

use std::collections::HashSet;

use serde::Deserialize;
use tutti_courses::Level;
use tutti_recommend::{ItemModel, RankOptions, rank};

use super::Shelf;
use super::dto::{CourseRecommendation, CourseRecommendations, RecommendationReason};
use crate::api::Tutti;
use crate::{Error, Result};

/// How much a click counts against a view in the learner's history (a
/// click is a decision to take the course; a view may be a glance).
const CLICK_WEIGHT: f32 = 3.0;

/// One hobby's model as the server sends it (`GET /api/v1/courses/model`;
/// its other fields, such as when it was trained, are not needed here).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct HobbyModel {
    pub hobby: String,
    /// The model's item `k` is `items[k]`.
    pub items: Vec<String>,
    pub model: ItemModel,
}

impl HobbyModel {
    pub fn parse(hobby: &str, json: &str) -> Result<Self> {
        let model: HobbyModel = serde_json::from_str(json).map_err(|e| Error::CorruptRecord {
            what: "course model of hobby",
            id: hobby.to_owned(),
            reason: e.to_string(),
        })?;
        if model.hobby != hobby {
            return Err(Error::CorruptRecord {
                what: "course model of hobby",
                id: hobby.to_owned(),
                reason: format!("it is the model of `{}`", model.hobby),
            });
        }
        Ok(model)
    }

    fn item(&self, course_id: &str) -> Option<u32> {
        self.items
            .iter()
            .position(|id| id == course_id)
            .and_then(|i| u32::try_from(i).ok())
    }

    fn course_id(&self, item: u32) -> Option<&str> {
        self.items.get(item as usize).map(String::as_str)
    }

    /// "People who viewed this also viewed": up to `n` course ids.
    pub fn similar(&self, course_id: &str, n: usize) -> Vec<String> {
        let Some(item) = self.item(course_id) else {
            return Vec::new();
        };
        self.model
            .similar(item)
            .into_iter()
            .filter_map(|(j, _)| self.course_id(j).map(str::to_owned))
            .take(n)
            .collect()
    }
}

impl Tutti {
    /// The stored model of `hobby`, if one was fetched. A corrupt one is
    /// ignored (logged): recommendations fall back as if there were none.
    pub(crate) fn hobby_model(&self, hobby: &str) -> Result<Option<HobbyModel>> {
        let Some(json) = self.store().course_model(hobby)? else {
            return Ok(None);
        };
        match HobbyModel::parse(hobby, &json) {
            Ok(model) => Ok(Some(model)),
            Err(e) => {
                tracing::warn!(error = %e, "ignoring the stored course model");
                Ok(None)
            }
        }
    }
}

/// Up to `k` courses of `hobby` (at `level` when given) the learner has not
/// used yet, best first, each with its reason.
pub(crate) fn recommend(
    shelf: &Shelf,
    model: Option<&HobbyModel>,
    hobby: &str,
    level: Option<Level>,
    k: usize,
) -> CourseRecommendations {
    let candidates: Vec<&tutti_courses::Course> = shelf.catalogue.by_hobby_level(hobby, level);
    let used: HashSet<&str> = shelf.history.iter().map(|(id, _, _)| id.as_str()).collect();
    let mut picked: Vec<CourseRecommendation> = Vec::with_capacity(k);
    let mut taken: HashSet<String> = HashSet::new();

    if let Some(model) = model {
        let history: Vec<(u32, f32)> = shelf
            .history
            .iter()
            .filter_map(|(id, views, clicks)| {
                let weight = *views as f32 + CLICK_WEIGHT * *clicks as f32;
                model.item(id).map(|item| (item, weight))
            })
            .collect();
        let allowed: Vec<u32> = candidates
            .iter()
            .filter(|c| !used.contains(c.id.as_str()))
            .filter_map(|c| model.item(&c.id))
            .collect();
        let ranked = rank(
            &model.model,
            &history,
            &RankOptions {
                k,
                candidates: Some(&allowed),
                exclude: &[],
                exclude_seen: true,
                fill_with_popular: true,
            },
        );
        for r in ranked {
            let Some(course) = model
                .course_id(r.item)
                .and_then(|id| shelf.catalogue.get(id))
            else {
                continue;
            };
            let reason = match r
                .because
                .and_then(|b| model.course_id(b))
                .and_then(|id| shelf.catalogue.get(id))
            {
                Some(because) => RecommendationReason::AlsoViewed {
                    course_id: because.id.clone(),
                    title: super::local(&because.title),
                },
                None => RecommendationReason::Popular,
            };
            taken.insert(course.id.clone());
            picked.push(CourseRecommendation {
                course: shelf.view(course),
                reason,
            });
        }
    }

    // Courses nobody has used yet (or no model at all): the catalogue's own
    // order at the level, easiest first.
    for course in candidates {
        if picked.len() >= k {
            break;
        }
        if used.contains(course.id.as_str()) || taken.contains(&course.id) {
            continue;
        }
        taken.insert(course.id.clone());
        picked.push(CourseRecommendation {
            course: shelf.view(course),
            reason: RecommendationReason::StartHere,
        });
    }
    CourseRecommendations {
        items: picked,
        from_model: model.is_some(),
    }
}

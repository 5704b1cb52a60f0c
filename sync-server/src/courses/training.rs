//! Training the course recommender from the stored events, and keeping the
//! current models.
//!
//! [`train_models`] is the pure part: per hobby, the (pseudonym × course)
//! matrix of that hobby's events, weighted `views × VIEW_WEIGHT + clicks ×
//! CLICK_WEIGHT`, trained with `tutti-recommend`'s defaults (BM25 item-kNN).
//! Each hobby has its own item numbering: item `k` is the hobby's `k`-th
//! course in catalogue order, and that list travels with the model, so an
//! app never needs another mapping. Events of courses the catalogue no
//! longer has are left out.
//!
//! [`Recommender`] holds the latest models for the routes; it retrains on
//! demand ([`Recommender::retrain`], which tests call) and from
//! [`train_periodically`], which runs a [`Recommender::training_pass`] every
//! `--course-train-interval-secs`: first it deletes the events the server
//! received more than `--course-event-retention-days` ago (by the server's
//! receive time, never the app's clock), then it retrains only when the
//! events' watermark moved. The watermark (count, max id, and a generation
//! every deleting transaction bumps) moves on every store and every delete,
//! so a learner's `DELETE /api/v1/course-events` or an expiry leaves the
//! models at the next pass.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tutti_courses::Catalogue;
use tutti_recommend::{InteractionsBuilder, ItemModel, TrainParams, train};

use super::pseudonym::PseudonymKey;
use crate::storage::{CourseEventTotals, EventsWatermark, Storage};
use crate::{AppState, Error};

/// Weight of one view of a course (its page opened).
pub const VIEW_WEIGHT: f32 = 1.0;
/// Weight of one click (acting on a course): a stronger signal of interest
/// than looking at it.
pub const CLICK_WEIGHT: f32 = 3.0;

/// One hobby's model.
#[derive(Debug, Clone)]
pub struct HobbyModel {
    /// The hobby's course ids in catalogue order; the model's item `k` is `items[k]`.
    pub items: Vec<String>,
    pub model: ItemModel,
    /// Distinct learners with events on this hobby's courses.
    pub learners: usize,
}

/// Every hobby's model from one training run.
#[derive(Debug, Clone)]
pub struct CourseModels {
    /// The catalogue the item numbering refers to.
    pub catalogue_version: String,
    /// When the models were trained, milliseconds since the Unix epoch.
    pub trained_at_ms: i64,
    /// The events the models were trained on.
    pub watermark: EventsWatermark,
    /// Hobbies with at least one event, by hobby id.
    pub hobbies: HashMap<String, HobbyModel>,
}

/// Trains one model per hobby that has events.
pub fn train_models(
    catalogue: &Catalogue,
    totals: &[CourseEventTotals],
    params: &TrainParams,
) -> Result<HashMap<String, HobbyModel>, Error> {
    // course id → (hobby, index within the hobby)
    let mut position: HashMap<&str, (&str, u32)> = HashMap::new();
    let mut items: HashMap<&str, Vec<String>> = HashMap::new();
    for course in catalogue.courses() {
        let list = items.entry(course.hobby.as_str()).or_default();
        position.insert(&course.id, (&course.hobby, list.len() as u32));
        list.push(course.id.clone());
    }
    let mut builders: HashMap<&str, InteractionsBuilder<&str>> = HashMap::new();
    for t in totals {
        let Some(&(hobby, item)) = position.get(t.course_id.as_str()) else {
            continue; // a retired course
        };
        let weight = t.views as f32 * VIEW_WEIGHT + t.clicks as f32 * CLICK_WEIGHT;
        if weight > 0.0 {
            builders
                .entry(hobby)
                .or_default()
                .add(&t.pseudonym, item, weight)?;
        }
    }
    let mut out = HashMap::new();
    for (hobby, builder) in builders {
        let learners = builder.user_count();
        let model = train(&builder.build(), params)?;
        out.insert(
            hobby.to_owned(),
            HobbyModel {
                items: items.remove(hobby).unwrap_or_default(),
                model,
                learners,
            },
        );
    }
    Ok(out)
}

/// What one [`Recommender::training_pass`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingPass {
    /// Events deleted because they were older than the retention.
    pub pruned: u64,
    /// Whether the models were retrained (the watermark had moved).
    pub trained: bool,
}

/// The prune cutoff of a pass at `now_ms` keeping `retention_days` days,
/// milliseconds since the Unix epoch.
pub fn retention_cutoff_ms(now_ms: i64, retention_days: u64) -> i64 {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    let days = i64::try_from(retention_days).unwrap_or(i64::MAX);
    now_ms.saturating_sub(days.saturating_mul(DAY_MS))
}

/// The current models and the pseudonym key, shared by the routes and the
/// training task.
#[derive(Debug, Default)]
pub struct Recommender {
    models: RwLock<Option<Arc<CourseModels>>>,
    /// One training at a time, so an older run never replaces a newer one.
    training: tokio::sync::Mutex<()>,
    key: tokio::sync::OnceCell<PseudonymKey>,
}

impl Recommender {
    /// The latest models, if training has run.
    pub fn current(&self) -> Option<Arc<CourseModels>> {
        self.models
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The pseudonym key (loaded, or generated and stored, on first use).
    pub async fn key(&self, state: &AppState) -> Result<&PseudonymKey, Error> {
        self.key
            .get_or_try_init(|| PseudonymKey::load(&state.config, &*state.storage))
            .await
    }

    /// Trains on every stored event now and serves the result.
    pub async fn retrain(&self, storage: &dyn Storage) -> Result<Arc<CourseModels>, Error> {
        let _one_at_a_time = self.training.lock().await;
        self.train_locked(storage).await
    }

    /// Retrains when the events changed since the last training (stored or
    /// deleted: the whole watermark is compared), or none ran yet; returns
    /// whether it trained.
    pub async fn retrain_if_changed(&self, storage: &dyn Storage) -> Result<bool, Error> {
        let _one_at_a_time = self.training.lock().await;
        let watermark = storage.course_events_watermark().await?;
        if self.current().is_some_and(|m| m.watermark == watermark) {
            return Ok(false);
        }
        self.train_locked(storage).await?;
        Ok(true)
    }

    /// One pass of the training task: deletes the events received before
    /// `prune_before_ms` (server clock, milliseconds since the Unix epoch),
    /// then retrains if the watermark moved (which the prune alone does
    /// when it deleted any).
    pub async fn training_pass(
        &self,
        storage: &dyn Storage,
        prune_before_ms: i64,
    ) -> Result<TrainingPass, Error> {
        let pruned = storage.prune_course_events(prune_before_ms).await?;
        if pruned > 0 {
            tracing::info!(pruned, "deleted course events past their retention");
        }
        let trained = self.retrain_if_changed(storage).await?;
        Ok(TrainingPass { pruned, trained })
    }

    async fn train_locked(&self, storage: &dyn Storage) -> Result<Arc<CourseModels>, Error> {
        // Read the watermark first: events stored meanwhile move it again
        // and are picked up by the next check.
        let watermark = storage.course_events_watermark().await?;
        let totals = storage.course_event_totals().await?;
        let catalogue = Catalogue::bundled();
        let hobbies = tokio::task::spawn_blocking(move || {
            train_models(catalogue, &totals, &TrainParams::default())
        })
        .await
        .map_err(|e| Error::StorageTask(e.to_string()))??;
        let models = Arc::new(CourseModels {
            catalogue_version: catalogue.version().to_owned(),
            trained_at_ms: super::now_ms(),
            watermark,
            hobbies,
        });
        tracing::info!(
            hobbies = models.hobbies.len(),
            events = watermark.count,
            "trained the course recommender"
        );
        *self.models.write().unwrap_or_else(|p| p.into_inner()) = Some(models.clone());
        Ok(models)
    }
}

/// Runs a [`Recommender::training_pass`] at once and then every
/// `--course-train-interval-secs`: expired events are deleted, and the
/// models retrained when the events changed. Runs until aborted (at
/// shutdown).
pub async fn train_periodically(state: AppState) {
    let period = Duration::from_secs(state.config.course_train_interval_secs.max(1));
    let retention_days = state.config.course_event_retention_days.max(1);
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let before = retention_cutoff_ms(super::now_ms(), retention_days);
        if let Err(e) = state
            .recommender
            .training_pass(&*state.storage, before)
            .await
        {
            tracing::warn!(error = %e, "pruning or training the course recommender failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn totals(rows: &[(&str, &str, i64, i64)]) -> Vec<CourseEventTotals> {
        rows.iter()
            .map(|&(p, c, views, clicks)| CourseEventTotals {
                pseudonym: p.into(),
                course_id: c.into(),
                views,
                clicks,
            })
            .collect()
    }

    #[test]
    fn each_hobby_gets_its_own_model_numbered_by_its_courses() {
        let catalogue = Catalogue::bundled();
        let guitar: Vec<&str> = catalogue
            .by_hobby_level("guitar", None)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        let piano = catalogue.by_hobby_level("piano", None)[0].id.as_str();
        let (a, b, c) = (guitar[0], guitar[1], guitar[2]);
        let rows = totals(&[
            ("p1", a, 1, 1),
            ("p1", b, 0, 2),
            ("p2", a, 2, 0),
            ("p2", b, 1, 1),
            ("p3", c, 1, 0),
            ("p3", piano, 1, 0),
            ("p3", "retired-course", 5, 5),
        ]);
        let models = train_models(catalogue, &rows, &TrainParams::default()).unwrap();
        let mut hobbies: Vec<&str> = models.keys().map(String::as_str).collect();
        hobbies.sort_unstable();
        assert_eq!(hobbies, ["guitar", "piano"], "only hobbies with events");
        let g = &models["guitar"];
        let expected: Vec<String> = catalogue
            .courses()
            .iter()
            .filter(|c| c.hobby == "guitar")
            .map(|c| c.id.clone())
            .collect();
        assert_eq!(g.items, expected, "every guitar course, in catalogue order");
        assert_eq!(g.learners, 3);
        let index = |id: &str| g.items.iter().position(|x| x == id).unwrap() as u32;
        let neighbours: Vec<u32> = g.model.similar(index(a)).iter().map(|p| p.0).collect();
        assert_eq!(neighbours, vec![index(b)], "p1 and p2 both had a and b");
        assert_eq!(g.model.popularity(index(a)), Some(2));
        assert_eq!(g.model.popularity(index(c)), Some(1));
        assert_eq!(models["piano"].learners, 1);
    }

    #[test]
    fn the_retention_cutoff_is_whole_days_back_and_saturates() {
        let now = 1_750_000_000_000;
        assert_eq!(retention_cutoff_ms(now, 1), now - 86_400_000);
        assert_eq!(retention_cutoff_ms(now, 365), now - 365 * 86_400_000);
        // no overflow: the cutoff of a huge retention is long before 1970
        assert_eq!(retention_cutoff_ms(now, u64::MAX), now - i64::MAX);
        assert_eq!(retention_cutoff_ms(i64::MIN, 1), i64::MIN);
    }

    #[test]
    fn no_events_means_no_models() {
        let models = train_models(Catalogue::bundled(), &[], &TrainParams::default()).unwrap();
        assert!(models.is_empty());
    }
}

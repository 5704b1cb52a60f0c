//! `tutti-recommend` owns Tutti's course recommender: a sans-IO item-to-item
//! collaborative filter over the click matrix (no I/O, no async, no Tauri).
//!
//! # The model
//! Each course is a column of the user × course click matrix. Two courses are
//! similar when the same learners clicked both: [`Weighting::Cosine`]
//! (optionally asymmetric and shrunk towards 0 for pairs with little support)
//! or [`Weighting::Bm25`] (the `implicit` library's BM25 item-kNN, the
//! default). Similarities can be sharpened ([`TrainParams::locality`]) and
//! each course's row scaled to unit length ([`TrainParams::normalize_rows`])
//! so a popular course in a learner's history does not drown the others.
//! Training keeps each course's top-K neighbours ([`TrainParams::neighbours`]); the
//! result, an [`ItemModel`], is a few sparse arrays plus each course's
//! popularity (distinct learners), and is serde-serialisable in any format,
//! checked against [`MODEL_VERSION`] and for index bounds when it is read back.
//!
//! A learner's score for course `j` is `Σ_h w(h)·s(h,j)` over the courses `h`
//! they clicked; the `h` with the largest term becomes
//! [`Recommendation::because`], which the UI renders as "X를 본 사람들이 많이
//! 본 강의". A learner with no usable history gets [`popular`] courses among
//! the candidates the caller passes (their hobby and level); [`rank`] tops a
//! short personal list up the same way.
//!
//! # Who calls what
//! - **Server**: aggregates clicks into an [`InteractionsBuilder`] (user keys
//!   may be numbers or strings), calls [`train`] (10M clicks in a few seconds
//!   on 2 cores), and serves each hobby's [`ItemModel::subset`] of its course
//!   ids to the apps.
//! - **App**: stores the hobby's model, and calls [`rank`] with the learner's
//!   own clicks and the candidate courses — locally, so recommendations work
//!   offline; [`ItemModel::similar`] gives "viewers also viewed" for a course.
//!
//! # Quality and speed
//! `eval/run.sh` benchmarks ranking quality on MovieLens-100k beside the
//! Python `implicit` library (metric definitions and results in
//! `eval/README.md`; the defaults of [`TrainParams`] were chosen there on a
//! validation split). `cargo bench -p tutti-recommend --bench speed` times
//! training on 100k users × 10k courses × 10M clicks and one learner's
//! ranking.
//!
//! # Extending
//! A new similarity is a [`Weighting`] variant (cell weights in
//! `weighting::cell_weights`, denominator in `train`). A change to the
//! serialised shape of [`ItemModel`] must bump [`MODEL_VERSION`] so an app
//! refuses a model it would misread.

mod cooccurrence;
mod error;
mod interactions;
mod model;
mod ranking;
mod training;
mod weighting;

pub use error::{RecommendError, Result};
pub use interactions::{Interactions, InteractionsBuilder};
pub use model::{ItemModel, MODEL_VERSION};
pub use ranking::{RankOptions, Recommendation, popular, rank};
pub use training::{TrainParams, train};
pub use weighting::{ClickScale, Weighting};

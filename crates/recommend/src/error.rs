//! The one error type of the crate.

/// Everything that can go wrong when building interactions, training, or
/// loading a model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecommendError {
    /// A click weight was zero, negative, NaN or infinite.
    #[error("interaction weight for item {item} must be a finite number > 0, got {weight}")]
    InvalidWeight {
        /// The item the weight was given for.
        item: u32,
        /// The rejected weight.
        weight: f32,
    },
    /// Training was asked for on an empty click matrix.
    #[error("no interactions to train on")]
    EmptyInteractions,
    /// A training parameter is out of range.
    #[error("training parameter `{field}` is invalid: {reason}")]
    InvalidParam {
        /// The parameter's field name in `TrainParams`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A serialised model was written by an incompatible format version.
    #[error("model format version {found} is not supported (this build reads version {expected})")]
    ModelVersion {
        /// The version found in the data.
        found: u32,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// A serialised model's arrays do not fit together.
    #[error("model is malformed: {0}")]
    MalformedModel(String),
}

/// Result alias of the crate.
pub type Result<T, E = RecommendError> = std::result::Result<T, E>;

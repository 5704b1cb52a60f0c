//! The crate's one error type.

use crate::Level;

/// Why a catalogue was refused. Every variant names the course and, where it
/// applies, the field that is wrong.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The text is not JSON of the catalogue's shape.
    #[error("catalogue JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    /// Two courses share an id.
    #[error("course `{id}`: field `id` is used by more than one course")]
    DuplicateId {
        /// The repeated id.
        id: String,
    },
    /// A field holds a value the catalogue does not allow.
    #[error("course `{course}`: field `{field}` {problem}")]
    InvalidField {
        /// The offending course's id.
        course: String,
        /// The field, as written on the wire (`title.ko`, `minutes`, …).
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The course's `hobby` is not a taxonomy id.
    #[error("course `{course}`: field `hobby` is `{hobby}`, which is not a known hobby id")]
    UnknownHobby {
        /// The offending course's id.
        course: String,
        /// The hobby id it names.
        hobby: String,
    },
    /// A prerequisite does not exist in the catalogue.
    #[error(
        "course `{course}`: field `prerequisites` names `{prerequisite}`, which is not in the catalogue"
    )]
    MissingPrerequisite {
        /// The offending course's id.
        course: String,
        /// The missing id.
        prerequisite: String,
    },
    /// A prerequisite belongs to another hobby.
    #[error(
        "course `{course}`: field `prerequisites` names `{prerequisite}` of hobby `{prerequisite_hobby}`, but the course is `{hobby}`"
    )]
    PrerequisiteOtherHobby {
        /// The offending course's id.
        course: String,
        /// The course's hobby.
        hobby: String,
        /// The prerequisite's id.
        prerequisite: String,
        /// The prerequisite's hobby.
        prerequisite_hobby: String,
    },
    /// A prerequisite is at a higher level than the course needing it.
    #[error(
        "course `{course}`: field `prerequisites` names `{prerequisite}` at level {prerequisite_level}, above the course's level {level}"
    )]
    PrerequisiteAboveLevel {
        /// The offending course's id.
        course: String,
        /// The course's level.
        level: Level,
        /// The prerequisite's id.
        prerequisite: String,
        /// The prerequisite's level.
        prerequisite_level: Level,
    },
    /// Prerequisites form a cycle (`cycle` starts and ends with `course`).
    #[error("course `{course}`: field `prerequisites` forms a cycle: {}", cycle.join(" -> "))]
    PrerequisiteCycle {
        /// A course on the cycle.
        course: String,
        /// The ids along the cycle, first and last equal.
        cycle: Vec<String>,
    },
    /// The document states a `version` that its courses do not hash to
    /// (a truncated or edited cache).
    #[error("catalogue field `version` is `{stated}`, but its courses hash to `{computed}`")]
    VersionMismatch {
        /// The version written in the document.
        stated: String,
        /// The version of the courses it holds.
        computed: String,
    },
}

impl CatalogueError {
    /// A stable machine-readable code for the UI and HTTP error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json(_) => "catalogue_malformed",
            Self::DuplicateId { .. } => "course_duplicate_id",
            Self::InvalidField { .. } => "course_invalid_field",
            Self::UnknownHobby { .. } => "course_unknown_hobby",
            Self::MissingPrerequisite { .. }
            | Self::PrerequisiteOtherHobby { .. }
            | Self::PrerequisiteAboveLevel { .. } => "course_bad_prerequisite",
            Self::PrerequisiteCycle { .. } => "course_prerequisite_cycle",
            Self::VersionMismatch { .. } => "catalogue_version_mismatch",
        }
    }

    /// The id of the course at fault, when one is.
    pub fn course(&self) -> Option<&str> {
        match self {
            Self::Json(_) | Self::VersionMismatch { .. } => None,
            Self::DuplicateId { id } => Some(id),
            Self::InvalidField { course, .. }
            | Self::UnknownHobby { course, .. }
            | Self::MissingPrerequisite { course, .. }
            | Self::PrerequisiteOtherHobby { course, .. }
            | Self::PrerequisiteAboveLevel { course, .. }
            | Self::PrerequisiteCycle { course, .. } => Some(course),
        }
    }

    /// The wire name of the field at fault, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Json(_) => None,
            Self::DuplicateId { .. } => Some("id"),
            Self::InvalidField { field, .. } => Some(field),
            Self::UnknownHobby { .. } => Some("hobby"),
            Self::MissingPrerequisite { .. }
            | Self::PrerequisiteOtherHobby { .. }
            | Self::PrerequisiteAboveLevel { .. }
            | Self::PrerequisiteCycle { .. } => Some("prerequisites"),
            Self::VersionMismatch { .. } => Some("version"),
        }
    }
}

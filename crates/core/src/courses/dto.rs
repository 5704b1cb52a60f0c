//! What the Courses screens get over IPC.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::mentor::dto::{LocalText, MentorLevel};

/// One course of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseView {
    pub id: String,
    /// A taxonomy hobby id.
    pub hobby: String,
    pub level: MentorLevel,
    pub title: LocalText,
    pub summary: LocalText,
    pub lessons: u32,
    /// Total length in minutes.
    pub minutes: u32,
    pub tags: Vec<String>,
    pub instructor: String,
    /// Course ids to take first.
    pub prerequisites: Vec<String>,
    /// Whether the learner chose to take it.
    pub started: bool,
}

/// Where the catalogue shown came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CatalogueSource {
    /// The copy last fetched from the sync server.
    Server,
    /// The copy shipped with the app (never synced yet).
    Bundled,
}

/// Courses of the catalogue, easiest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseList {
    pub courses: Vec<CourseView>,
    pub source: CatalogueSource,
    pub version: String,
}

/// A hobby that has courses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseHobby {
    pub id: String,
    pub name: LocalText,
}

/// One course with what to take first and what others went on to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseDetail {
    pub course: CourseView,
    pub prerequisites: Vec<CourseView>,
    /// "People who viewed this also viewed", from the hobby's model (empty
    /// until one was fetched).
    pub also_viewed: Vec<CourseView>,
}

/// Why a course is recommended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum RecommendationReason {
    /// "X를 본 사람들이 많이 본 강의": learners who used `courseId` used this.
    #[serde(rename_all = "camelCase")]
    AlsoViewed { course_id: String, title: LocalText },
    /// Popular with learners of this hobby (at this level).
    Popular,
    /// A good first course at this level (no usage data yet).
    StartHere,
}

/// A recommended course and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseRecommendation {
    pub course: CourseView,
    pub reason: RecommendationReason,
}

/// Recommendations for a hobby (and level), ranked on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseRecommendations {
    pub items: Vec<CourseRecommendation>,
    /// Whether a model of the hobby was available (else the catalogue's
    /// first courses at the level are suggested).
    pub from_model: bool,
}

/// A learner's action on a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CourseEventKind {
    /// Opened the course's page.
    View,
    /// Chose to take the course.
    Click,
}

/// The learner's consent to share course activity, and what it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseSharing {
    /// Off until the learner agrees.
    pub consent: bool,
    /// Events waiting for the next upload.
    pub pending: u32,
    pub uploaded: u32,
    /// Events recorded without consent, which never leave the device.
    pub local_only: u32,
}

/// What deleting the shared course activity did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharedActivityDeleted {
    /// Events the server deleted.
    pub deleted: u32,
    /// The consent (now off) and the device's events.
    pub sharing: CourseSharing,
}

/// What a course sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CourseSyncReport {
    /// A newer catalogue arrived.
    pub catalogue_updated: bool,
    /// Events uploaded now.
    pub uploaded: u32,
    /// Hobbies whose model was fetched or confirmed current.
    pub models: Vec<String>,
    /// Hobbies the server has no model for yet.
    pub no_model: Vec<String>,
    /// False when not signed in: only the public catalogue was synced.
    pub signed_in: bool,
}

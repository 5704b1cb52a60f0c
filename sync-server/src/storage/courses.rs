//! Course events and server secrets in storage: the records both backends
//! read and write, and the [`CourseEvents`] trait every
//! [`Storage`](super::Storage) implements.
//!
//! Events are stored under a pseudonym (see `courses::pseudonym`), never
//! under a user id, so the events table alone cannot be joined to accounts.

use async_trait::async_trait;

use crate::Error;

/// What a learner did with a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CourseEventKind {
    /// The learner opened the course's page.
    View,
    /// The learner acted on it (started it, saved it, followed a lesson link).
    Click,
}

impl CourseEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseEventKind::View => "view",
            CourseEventKind::Click => "click",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "view" => Ok(CourseEventKind::View),
            "click" => Ok(CourseEventKind::Click),
            other => Err(Error::CorruptRow(format!(
                "unknown course event kind {other:?}"
            ))),
        }
    }
}

/// One event to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourseEvent {
    pub course_id: String,
    pub kind: CourseEventKind,
    /// The app's clock, milliseconds since the Unix epoch.
    pub at_ms: i64,
}

/// One pseudonym's events on one course, counted by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseEventTotals {
    pub pseudonym: String,
    pub course_id: String,
    pub views: i64,
    pub clicks: i64,
}

/// A cheap fingerprint of the stored events: it changes whenever an event is
/// stored, so the trainer knows when to retrain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventsWatermark {
    pub count: i64,
    pub max_id: i64,
}

/// Course events and server secrets. Each method is one transaction.
#[async_trait]
pub trait CourseEvents {
    /// Stores events under `pseudonym`, all or none; an event equal to a
    /// stored one in (pseudonym, course, kind, time) is skipped. Returns how
    /// many were new.
    async fn record_course_events(
        &self,
        pseudonym: &str,
        events: &[NewCourseEvent],
        now: i64,
    ) -> Result<u64, Error>;
    /// Every (pseudonym, course) pair with its view and click counts, in no
    /// particular order: the click matrix the recommender trains on.
    async fn course_event_totals(&self) -> Result<Vec<CourseEventTotals>, Error>;
    async fn course_events_watermark(&self) -> Result<EventsWatermark, Error>;
    /// The secret called `name`: the stored one, or `fresh` (stored now) when
    /// there is none yet. Concurrent callers (other instances) all get the
    /// one value that was stored first.
    async fn server_secret(&self, name: &str, fresh: &[u8], now: i64) -> Result<Vec<u8>, Error>;
}

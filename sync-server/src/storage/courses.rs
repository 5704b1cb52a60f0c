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
/// stored or deleted, so the trainer knows when to retrain.
///
/// Storing moves `count` up (and `max_id`); deleting moves `count` down, but
/// a delete followed by as many stores can bring `count` and `max_id` back
/// to earlier values (SQLite reuses the largest id once its row is gone), so
/// every transaction that deletes events also bumps `generation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventsWatermark {
    /// Events stored now.
    pub count: i64,
    /// The largest event id stored now (0 when there are none).
    pub max_id: i64,
    /// Transactions that deleted events so far (a learner's delete, a
    /// retention prune); never goes down.
    pub generation: i64,
}

/// The receive-time cutoff of [`CourseEvents::prune_course_events`] in the
/// stored unit (Unix seconds): events with `received_at` below it were
/// received before `before_ms`.
pub fn received_before_secs(before_ms: i64) -> i64 {
    // ceil(before_ms / 1000): received_at * 1000 < before_ms
    before_ms.div_euclid(1000) + i64::from(before_ms.rem_euclid(1000) != 0)
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
    /// The fingerprint of the stored events, read in one statement.
    async fn course_events_watermark(&self) -> Result<EventsWatermark, Error>;
    /// Deletes every event stored under `pseudonym` (a learner withdrawing
    /// what they shared), in one transaction that also bumps the watermark's
    /// generation when it deleted any. Returns how many were deleted (0 when
    /// there were none).
    async fn delete_course_events(&self, pseudonym: &str) -> Result<u64, Error>;
    /// Deletes every event the server received before `before_ms`
    /// (milliseconds since the Unix epoch, server clock; the stored receive
    /// time has whole seconds, so an event received at second `s` goes when
    /// `s * 1000 < before_ms`), in one transaction that also bumps the
    /// generation when it deleted any. Returns how many were deleted.
    async fn prune_course_events(&self, before_ms: i64) -> Result<u64, Error>;
    /// The secret called `name`: the stored one, or `fresh` (stored now) when
    /// there is none yet. Concurrent callers (other instances) all get the
    /// one value that was stored first.
    async fn server_secret(&self, name: &str, fresh: &[u8], now: i64) -> Result<Vec<u8>, Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prune_cutoff_keeps_events_of_the_cutoff_second() {
        // received at second 5 = 5000 ms: older than 5001 ms, not than 5000 ms
        assert_eq!(received_before_secs(5000), 5);
        assert_eq!(received_before_secs(5001), 6);
        assert_eq!(received_before_secs(5999), 6);
        assert_eq!(received_before_secs(0), 0);
        assert_eq!(received_before_secs(-1), 0);
        // no overflow at the ends (division truncating toward zero is the
        // ceiling for negative numbers)
        assert_eq!(received_before_secs(i64::MIN), i64::MIN / 1000);
        assert_eq!(received_before_secs(i64::MAX), i64::MAX / 1000 + 1);
    }
}

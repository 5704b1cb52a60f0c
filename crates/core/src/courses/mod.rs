//! Courses, local first: the catalogue (the copy last fetched from the sync
//! server, else the one bundled with the app, `tutti-courses`), the learner's
//! own views and clicks (kept in SQLite, uploaded only with consent), and
//! recommendations ranked **on the device** from those events and the
//! hobby's item-to-item model (`tutti-recommend`, fetched by [`sync`]), so
//! they work offline.
//!
//! [`ranking`] turns a model and the learner's history into reasons the UI
//! can show; [`sync`] is the HTTP side.

pub mod dto;
mod ranking;
mod sync;

use tutti_courses::{Catalogue, Course, Level};

use crate::api::Tutti;
use crate::mentor::dto::{LocalText, MentorLevel};
use crate::store::courses::{LOCAL_ONLY, TO_UPLOAD};
use crate::{Error, Result};
use dto::{
    CatalogueSource, CourseDetail, CourseEventKind, CourseHobby, CourseList, CourseRecommendations,
    CourseSharing, CourseView,
};

/// `course_state` key of the catalogue JSON last fetched.
const CATALOGUE: &str = "catalogue";
/// `course_state` key of the sharing consent.
const CONSENT: &str = "sharing_consent";
/// How many "also viewed" courses a course page shows.
const ALSO_VIEWED: usize = 4;

pub(crate) fn level_of(level: MentorLevel) -> Level {
    match level {
        MentorLevel::Beginner => Level::Beginner,
        MentorLevel::Intermediate => Level::Intermediate,
        MentorLevel::Advanced => Level::Advanced,
    }
}

fn mentor_level(level: Level) -> MentorLevel {
    match level {
        Level::Beginner => MentorLevel::Beginner,
        Level::Intermediate => MentorLevel::Intermediate,
        Level::Advanced => MentorLevel::Advanced,
    }
}

fn local(text: &tutti_courses::LocalText) -> LocalText {
    LocalText {
        ko: text.ko.clone(),
        en: text.en.clone(),
    }
}

/// The catalogue in use and the learner's started courses.
pub(crate) struct Shelf {
    pub catalogue: Catalogue,
    pub source: CatalogueSource,
    /// (course id, views, clicks), most recent first.
    pub history: Vec<(String, u32, u32)>,
}

impl Shelf {
    pub fn view(&self, course: &Course) -> CourseView {
        CourseView {
            id: course.id.clone(),
            hobby: course.hobby.clone(),
            level: mentor_level(course.level),
            title: local(&course.title),
            summary: local(&course.summary),
            lessons: course.lessons,
            minutes: course.minutes,
            tags: course.tags.clone(),
            instructor: course.instructor.clone(),
            prerequisites: course.prerequisites.clone(),
            started: self
                .history
                .iter()
                .any(|(id, _, clicks)| *id == course.id && *clicks > 0),
        }
    }

    fn hobby(&self, hobby: &str) -> Result<()> {
        if tutti_courses::hobby(hobby).is_none() {
            return Err(Error::invalid(
                "hobby",
                format!("`{hobby}` is not a hobby of the taxonomy"),
            ));
        }
        Ok(())
    }

    fn course(&self, id: &str) -> Result<&Course> {
        self.catalogue.get(id).ok_or_else(|| Error::NotFound {
            what: "course",
            field: "courseId",
            id: id.to_owned(),
        })
    }
}

impl Tutti {
    /// The catalogue in use: the server's copy if one was fetched (and is
    /// intact), else the bundled one.
    pub(crate) fn shelf(&self) -> Result<Shelf> {
        let store = self.store();
        let cached = store.course_state(CATALOGUE)?;
        let history = store.course_history()?;
        drop(store);
        let (catalogue, source) = match cached.map(|json| Catalogue::from_json(&json)) {
            Some(Ok(catalogue)) => (catalogue, CatalogueSource::Server),
            Some(Err(e)) => {
                tracing::warn!(error = %e, "the cached course catalogue is unreadable; using the bundled one");
                (Catalogue::bundled().clone(), CatalogueSource::Bundled)
            }
            None => (Catalogue::bundled().clone(), CatalogueSource::Bundled),
        };
        Ok(Shelf {
            catalogue,
            source,
            history,
        })
    }

    /// The hobbies that have courses, in taxonomy order.
    pub fn course_hobbies(&self) -> Result<Vec<CourseHobby>> {
        let shelf = self.shelf()?;
        Ok(shelf
            .catalogue
            .hobbies()
            .into_iter()
            .map(|h| CourseHobby {
                id: h.id.clone(),
                name: local(&h.name),
            })
            .collect())
    }

    /// Courses of a hobby (all hobbies when `None`) at a level (all when
    /// `None`), easiest first. Works offline.
    pub fn courses(&self, hobby: Option<&str>, level: Option<MentorLevel>) -> Result<CourseList> {
        let shelf = self.shelf()?;
        let level = level.map(level_of);
        let courses: Vec<CourseView> = match hobby {
            Some(hobby) => {
                shelf.hobby(hobby)?;
                shelf
                    .catalogue
                    .by_hobby_level(hobby, level)
                    .into_iter()
                    .map(|c| shelf.view(c))
                    .collect()
            }
            None => shelf
                .catalogue
                .courses()
                .iter()
                .filter(|c| level.is_none_or(|l| c.level == l))
                .map(|c| shelf.view(c))
                .collect(),
        };
        Ok(CourseList {
            courses,
            source: shelf.source,
            version: shelf.catalogue.version().to_owned(),
        })
    }

    /// A course's page; opening it records a view.
    pub fn course_open(&self, course_id: &str) -> Result<CourseDetail> {
        self.shelf()?.course(course_id)?;
        self.course_event(course_id, CourseEventKind::View)?;
        let shelf = self.shelf()?;
        let course = shelf.course(course_id)?;
        let also_viewed = match self.hobby_model(&course.hobby)? {
            Some(model) => model
                .similar(course_id, ALSO_VIEWED)
                .into_iter()
                .filter_map(|id| shelf.catalogue.get(&id))
                .map(|c| shelf.view(c))
                .collect(),
            None => Vec::new(),
        };
        Ok(CourseDetail {
            course: shelf.view(course),
            prerequisites: shelf
                .catalogue
                .prerequisites_of(course_id)
                .into_iter()
                .map(|c| shelf.view(c))
                .collect(),
            also_viewed,
        })
    }

    /// Records that the learner viewed or chose to take a course (kept on
    /// the device; shared later only if they consented before it happened).
    pub fn course_event(&self, course_id: &str, kind: CourseEventKind) -> Result<()> {
        self.shelf()?.course(course_id)?;
        let kind = match kind {
            CourseEventKind::View => "view",
            CourseEventKind::Click => "click",
        };
        let store = self.store();
        let sharing = if store.course_state(CONSENT)?.as_deref() == Some("1") {
            TO_UPLOAD
        } else {
            LOCAL_ONLY
        };
        store.insert_course_event(course_id, kind, now_ms(), sharing)?;
        Ok(())
    }

    /// Recommendations for `hobby` (at `level` when given), ranked here from
    /// the learner's own events and the hobby's model, with a reason each.
    pub fn course_recommendations(
        &self,
        hobby: &str,
        level: Option<MentorLevel>,
        count: u32,
    ) -> Result<CourseRecommendations> {
        if !(1..=50).contains(&count) {
            return Err(Error::invalid(
                "count",
                format!("must be between 1 and 50, got {count}"),
            ));
        }
        let shelf = self.shelf()?;
        shelf.hobby(hobby)?;
        let model = self.hobby_model(hobby)?;
        Ok(ranking::recommend(
            &shelf,
            model.as_ref(),
            hobby,
            level.map(level_of),
            count as usize,
        ))
    }

    /// The sharing consent and what it covers.
    pub fn course_sharing(&self) -> Result<CourseSharing> {
        let store = self.store();
        let (pending, uploaded, local_only) = store.course_event_counts()?;
        Ok(CourseSharing {
            consent: store.course_state(CONSENT)?.as_deref() == Some("1"),
            pending,
            uploaded,
            local_only,
        })
    }

    /// Gives or withdraws consent. Only events recorded while consent is
    /// given are uploaded, and only while it still is: withdrawing keeps every
    /// unsent event on the device for good.
    pub fn course_sharing_set(&self, consent: bool) -> Result<CourseSharing> {
        self.store().set_course_consent(CONSENT, consent)?;
        tracing::info!(consent, "course sharing consent changed");
        self.course_sharing()
    }
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

//! Without a server: the bundled catalogue, the learner's events, consent,
//! and recommendations from the catalogue and from a stored model.

use rusqlite::Connection;
use tutti_core::Tutti;
use tutti_core::courses::dto::{CatalogueSource, CourseEventKind, RecommendationReason};
use tutti_core::data_dir::DATABASE_FILE;
use tutti_core::mentor::dto::MentorLevel;

fn core() -> (tempfile::TempDir, Tutti) {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    (dir, core)
}

fn rows(dir: &std::path::Path, table: &str) -> Vec<String> {
    let conn = Connection::open(dir.join(DATABASE_FILE)).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
        .unwrap();
    let n = stmt.column_count();
    let mut q = stmt.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(r) = q.next().unwrap() {
        let v: Vec<rusqlite::types::Value> = (0..n).map(|i| r.get(i).unwrap()).collect();
        out.push(format!("{v:?}"));
    }
    out
}

#[test]
fn the_bundled_catalogue_is_browsable_offline_by_hobby_and_level() {
    let (_dir, core) = core();
    let all = core.courses(None, None).unwrap();
    assert_eq!(all.source, CatalogueSource::Bundled);
    assert!(all.courses.len() >= 200, "{}", all.courses.len());
    let hobbies = core.course_hobbies().unwrap();
    assert!(hobbies.len() >= 20);
    assert!(
        hobbies
            .iter()
            .any(|h| h.id == "guitar" && h.name.ko == "기타")
    );

    let guitar = core
        .courses(Some("guitar"), Some(MentorLevel::Beginner))
        .unwrap();
    assert!(!guitar.courses.is_empty());
    assert!(
        guitar
            .courses
            .iter()
            .all(|c| c.hobby == "guitar" && c.level == MentorLevel::Beginner)
    );
    assert!(
        guitar
            .courses
            .iter()
            .all(|c| !c.title.ko.is_empty() && !c.title.en.is_empty())
    );

    let err = core.courses(Some("underwater-chess"), None).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("hobby"), "{err}");
}

#[test]
fn opening_and_starting_a_course_are_recorded_and_unknown_courses_change_nothing() {
    let (dir, core) = core();
    let first = core
        .courses(Some("guitar"), Some(MentorLevel::Intermediate))
        .unwrap()
        .courses
        .into_iter()
        .find(|c| !c.prerequisites.is_empty())
        .expect("an intermediate guitar course with prerequisites");
    let detail = core.course_open(&first.id).unwrap();
    assert_eq!(detail.course.id, first.id);
    assert_eq!(
        detail
            .prerequisites
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        first.prerequisites
    );
    assert!(detail.also_viewed.is_empty(), "no model yet");
    assert!(!detail.course.started);
    core.course_event(&first.id, CourseEventKind::Click)
        .unwrap();
    assert!(core.course_open(&first.id).unwrap().course.started);
    assert_eq!(rows(dir.path(), "course_events").len(), 3);

    let before = rows(dir.path(), "course_events");
    for bad in ["", "no-such-course"] {
        let err = core.course_open(bad).unwrap_err();
        assert_eq!(err.code(), "not_found", "{err}");
        let err = core.course_event(bad, CourseEventKind::Click).unwrap_err();
        assert_eq!(err.code(), "not_found", "{err}");
    }
    assert_eq!(rows(dir.path(), "course_events"), before);
}

#[test]
fn consent_is_off_until_given_and_covers_only_later_events() {
    let (_dir, core) = core();
    let sharing = core.course_sharing().unwrap();
    assert!(!sharing.consent);
    let id = core.courses(Some("piano"), None).unwrap().courses[0]
        .id
        .clone();
    core.course_open(&id).unwrap();
    assert_eq!(core.course_sharing().unwrap().local_only, 1);

    let sharing = core.course_sharing_set(true).unwrap();
    assert!(sharing.consent);
    assert_eq!((sharing.pending, sharing.local_only), (0, 1));
    core.course_event(&id, CourseEventKind::Click).unwrap();
    let sharing = core.course_sharing().unwrap();
    assert_eq!((sharing.pending, sharing.local_only), (1, 1));

    // Withdrawing keeps what was recorded on the device — the unsent event
    // too, which will never be sent — and later events stay local.
    let sharing = core.course_sharing_set(false).unwrap();
    assert!(!sharing.consent);
    assert_eq!((sharing.pending, sharing.local_only), (0, 2));
    core.course_open(&id).unwrap();
    let sharing = core.course_sharing().unwrap();
    assert_eq!((sharing.pending, sharing.local_only), (0, 3));
}

#[test]
fn without_a_model_the_first_courses_at_the_level_are_suggested_minus_used_ones() {
    let (_dir, core) = core();
    let level = core
        .courses(Some("drawing"), Some(MentorLevel::Beginner))
        .unwrap()
        .courses;
    let recs = core
        .course_recommendations("drawing", Some(MentorLevel::Beginner), 3)
        .unwrap();
    assert!(!recs.from_model);
    let ids: Vec<&str> = recs.items.iter().map(|r| r.course.id.as_str()).collect();
    let expected: Vec<&str> = level.iter().take(3).map(|c| c.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert!(
        recs.items
            .iter()
            .all(|r| r.reason == RecommendationReason::StartHere)
    );

    core.course_open(&level[0].id).unwrap();
    let recs = core
        .course_recommendations("drawing", Some(MentorLevel::Beginner), 3)
        .unwrap();
    assert!(recs.items.iter().all(|r| r.course.id != level[0].id));

    for count in [0, 51] {
        let err = core
            .course_recommendations("drawing", None, count)
            .unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{err}");
    }
    assert_eq!(
        core.course_recommendations("nope", None, 3)
            .unwrap_err()
            .code(),
        "invalid_input"
    );
}

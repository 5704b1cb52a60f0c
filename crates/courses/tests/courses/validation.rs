//! Bad catalogues are refused with errors that name the course and field.

use serde_json::{Value, json};
use tutti_courses::{Catalogue, CatalogueError};

fn course(id: &str, hobby: &str, level: &str, prerequisites: &[&str]) -> Value {
    json!({
        "id": id,
        "hobby": hobby,
        "level": level,
        "title": { "ko": "오픈 코드 익히기", "en": "Learning open chords" },
        "summary": { "ko": "코드 여덟 개를 익힙니다.", "en": "Learn eight chords." },
        "lessons": 4,
        "minutes": 40,
        "tags": ["chords"],
        "instructor": "김도현",
        "prerequisites": prerequisites,
    })
}

fn load(courses: Vec<Value>) -> Result<Catalogue, CatalogueError> {
    Catalogue::from_json(&json!({ "courses": courses }).to_string())
}

/// Asserts the error names `course` and `field`, in its accessors and its message.
fn assert_names(err: &CatalogueError, course: &str, field: &str) {
    assert_eq!(err.course(), Some(course), "{err}");
    assert_eq!(err.field(), Some(field), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("`{course}`")),
        "message names the course: {msg}"
    );
    assert!(
        msg.contains(&format!("`{field}`")),
        "message names the field: {msg}"
    );
}

#[test]
fn a_small_valid_catalogue_loads() {
    let cat = load(vec![
        course("g-b-one", "guitar", "beginner", &[]),
        course("g-i-two", "guitar", "intermediate", &["g-b-one"]),
        course("p-a-three", "piano", "advanced", &[]),
    ])
    .unwrap();
    assert_eq!(cat.len(), 3);
    let ids: Vec<&str> = cat.hobbies().iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["guitar", "piano"],
        "taxonomy order, only hobbies with courses"
    );
}

#[test]
fn duplicate_id_is_refused() {
    let err = load(vec![
        course("g-b-one", "guitar", "beginner", &[]),
        course("g-b-one", "guitar", "advanced", &[]),
    ])
    .unwrap_err();
    assert!(matches!(err, CatalogueError::DuplicateId { .. }));
    assert_names(&err, "g-b-one", "id");
}

#[test]
fn unknown_hobby_is_refused() {
    let err = load(vec![course(
        "x-b-one",
        "underwater_basket_weaving",
        "beginner",
        &[],
    )])
    .unwrap_err();
    assert!(
        matches!(&err, CatalogueError::UnknownHobby { hobby, .. } if hobby == "underwater_basket_weaving")
    );
    assert_names(&err, "x-b-one", "hobby");
}

#[test]
fn empty_texts_are_refused_by_field() {
    for (path, field) in [
        (&["title", "ko"][..], "title.ko"),
        (&["title", "en"][..], "title.en"),
        (&["summary", "ko"][..], "summary.ko"),
        (&["summary", "en"][..], "summary.en"),
        (&["instructor"][..], "instructor"),
    ] {
        let mut c = course("g-b-one", "guitar", "beginner", &[]);
        let mut slot = &mut c;
        for key in path {
            slot = &mut slot[*key];
        }
        *slot = json!("  ");
        let err = load(vec![c]).unwrap_err();
        assert!(matches!(err, CatalogueError::InvalidField { .. }), "{err}");
        assert_names(&err, "g-b-one", field);
    }
}

#[test]
fn too_few_lessons_or_minutes_are_refused() {
    let mut c = course("g-b-one", "guitar", "beginner", &[]);
    c["lessons"] = json!(0);
    assert_names(&load(vec![c]).unwrap_err(), "g-b-one", "lessons");

    let mut c = course("g-b-one", "guitar", "beginner", &[]);
    c["minutes"] = json!(9);
    assert_names(&load(vec![c]).unwrap_err(), "g-b-one", "minutes");
}

#[test]
fn bad_ids_and_tags_are_refused() {
    let err = load(vec![course("Guitar_B", "guitar", "beginner", &[])]).unwrap_err();
    assert_names(&err, "Guitar_B", "id");

    let mut c = course("g-b-one", "guitar", "beginner", &[]);
    c["tags"] = json!(["Chords"]);
    assert_names(&load(vec![c]).unwrap_err(), "g-b-one", "tags");
}

#[test]
fn missing_prerequisite_is_refused() {
    let err = load(vec![course(
        "g-i-two",
        "guitar",
        "intermediate",
        &["g-b-gone"],
    )])
    .unwrap_err();
    assert!(
        matches!(&err, CatalogueError::MissingPrerequisite { prerequisite, .. } if prerequisite == "g-b-gone")
    );
    assert_names(&err, "g-i-two", "prerequisites");
}

#[test]
fn prerequisite_of_another_hobby_is_refused() {
    let err = load(vec![
        course("p-b-one", "piano", "beginner", &[]),
        course("g-i-two", "guitar", "intermediate", &["p-b-one"]),
    ])
    .unwrap_err();
    assert!(
        matches!(err, CatalogueError::PrerequisiteOtherHobby { .. }),
        "{err}"
    );
    assert_names(&err, "g-i-two", "prerequisites");
}

#[test]
fn prerequisite_above_the_course_level_is_refused() {
    let err = load(vec![
        course("g-a-hard", "guitar", "advanced", &[]),
        course("g-b-easy", "guitar", "beginner", &["g-a-hard"]),
    ])
    .unwrap_err();
    assert!(
        matches!(err, CatalogueError::PrerequisiteAboveLevel { .. }),
        "{err}"
    );
    assert_names(&err, "g-b-easy", "prerequisites");
}

#[test]
fn prerequisite_cycle_is_refused() {
    // Same hobby and level, so only the cycle rule can catch it.
    let err = load(vec![
        course("g-b-a", "guitar", "beginner", &["g-b-c"]),
        course("g-b-b", "guitar", "beginner", &["g-b-a"]),
        course("g-b-c", "guitar", "beginner", &["g-b-b"]),
    ])
    .unwrap_err();
    let CatalogueError::PrerequisiteCycle { course, cycle } = &err else {
        panic!("expected a cycle error, got {err}");
    };
    assert_eq!(
        cycle.first(),
        cycle.last(),
        "the cycle is closed: {cycle:?}"
    );
    assert_eq!(cycle.len(), 4, "three courses plus the repeat: {cycle:?}");
    assert_names(&err, course, "prerequisites");
}

#[test]
fn self_prerequisite_is_a_cycle() {
    let err = load(vec![course("g-b-a", "guitar", "beginner", &["g-b-a"])]).unwrap_err();
    assert!(
        matches!(err, CatalogueError::PrerequisiteCycle { .. }),
        "{err}"
    );
    assert_names(&err, "g-b-a", "prerequisites");
}

#[test]
fn unknown_fields_and_levels_are_malformed_json() {
    let mut c = course("g-b-one", "guitar", "beginner", &[]);
    c["price"] = json!(1000);
    assert_eq!(load(vec![c]).unwrap_err().code(), "catalogue_malformed");

    let c = course("g-b-one", "guitar", "expert", &[]);
    let err = load(vec![c]).unwrap_err();
    assert_eq!(err.code(), "catalogue_malformed");
    assert!(err.to_string().contains("expert"), "{err}");
}

//! The bundled catalogue: size, coverage, content quality, queries, version.

use std::collections::{BTreeMap, HashSet};

use tutti_courses::{Catalogue, Level, known_hobbies};

#[test]
fn bundled_catalogue_validates_and_has_at_least_200_courses() {
    // Re-parse the shipped file so a validation failure shows as an error, not a panic.
    let json = include_str!("../../data/catalogue.json");
    let parsed = Catalogue::from_json(json).expect("data/catalogue.json passes every rule");
    assert!(
        parsed.len() >= 200,
        "the issue asks for at least 200 courses, found {}",
        parsed.len()
    );
    assert_eq!(parsed.len(), Catalogue::bundled().len());
}

#[test]
fn every_taxonomy_hobby_has_courses_at_all_three_levels() {
    let cat = Catalogue::bundled();
    for hobby in known_hobbies() {
        for level in Level::ALL {
            let n = cat.by_hobby_level(&hobby.id, Some(level)).len();
            assert!(n >= 1, "hobby `{}` has no {level} course", hobby.id);
        }
    }
    assert_eq!(
        cat.hobbies().len(),
        known_hobbies().len(),
        "every taxonomy hobby appears in the catalogue"
    );
}

#[test]
fn titles_and_summaries_are_translated_not_copied() {
    for c in Catalogue::bundled().courses() {
        assert_ne!(
            c.title.ko, c.title.en,
            "course `{}`: title not translated",
            c.id
        );
        assert_ne!(
            c.summary.ko, c.summary.en,
            "course `{}`: summary not translated",
            c.id
        );
        assert!(
            c.title.ko.chars().any(|ch| ('가'..='힣').contains(&ch)),
            "course `{}`: Korean title has no Hangul",
            c.id
        );
        assert!(
            !c.title.en.chars().any(|ch| ('가'..='힣').contains(&ch)),
            "course `{}`: English title contains Hangul",
            c.id
        );
    }
}

#[test]
fn titles_are_distinct_within_a_hobby() {
    // Two courses of one hobby with the same title would be indistinguishable in the list.
    let mut seen = HashSet::new();
    for c in Catalogue::bundled().courses() {
        assert!(
            seen.insert((&c.hobby, &c.title.ko)),
            "duplicate Korean title in `{}`: {}",
            c.hobby,
            c.title.ko
        );
        assert!(
            seen.insert((&c.hobby, &c.title.en)),
            "duplicate English title in `{}`: {}",
            c.hobby,
            c.title.en
        );
    }
}

#[test]
fn ids_carry_their_hobby_and_level() {
    // Ids follow `<hobby with '-'>-<b|i|a>-<slug>` so they read well in logs and click data.
    for c in Catalogue::bundled().courses() {
        let letter = match c.level {
            Level::Beginner => 'b',
            Level::Intermediate => 'i',
            Level::Advanced => 'a',
        };
        let prefix = format!("{}-{letter}-", c.hobby.replace('_', "-"));
        assert!(
            c.id.starts_with(&prefix),
            "course `{}` should start with `{prefix}`",
            c.id
        );
        assert!(!c.tags.is_empty(), "course `{}` has no tags", c.id);
    }
}

#[test]
fn no_links_to_outside_sites() {
    let json = include_str!("../../data/catalogue.json");
    for needle in ["http://", "https://", "www."] {
        assert!(
            !json.contains(needle),
            "catalogue must not link out (`{needle}`)"
        );
    }
}

#[test]
fn by_hobby_level_filters_and_orders_easiest_first() {
    let cat = Catalogue::bundled();
    let all = cat.by_hobby_level("guitar", None);
    assert!(all.iter().all(|c| c.hobby == "guitar"));
    assert!(
        all.windows(2).all(|w| w[0].level <= w[1].level),
        "easiest first"
    );
    let per_level: usize = Level::ALL
        .iter()
        .map(|&l| cat.by_hobby_level("guitar", Some(l)).len())
        .sum();
    assert_eq!(
        all.len(),
        per_level,
        "the levels partition the hobby's courses"
    );
    assert!(
        cat.by_hobby_level("other", None).is_empty(),
        "unknown hobby lists nothing"
    );
}

#[test]
fn get_and_prerequisites_resolve() {
    let cat = Catalogue::bundled();
    let barre = cat.get("guitar-i-barre-chords").expect("course exists");
    assert_eq!(barre.level, Level::Intermediate);
    let pre: Vec<&str> = cat
        .prerequisites_of(&barre.id)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(pre, ["guitar-b-open-chords"]);
    assert!(cat.get("no-such-course").is_none());
}

#[test]
fn served_json_round_trips_with_the_same_version() {
    let cat = Catalogue::bundled();
    let served = serde_json::to_string(cat).unwrap();
    let cached = Catalogue::from_json(&served).expect("the served shape reads back");
    assert_eq!(cached.version(), cat.version());
    assert_eq!(cached.courses(), cat.courses());
    assert_eq!(cat.version().len(), 64, "sha256 in lower-case hex");
    assert!(
        cat.version()
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
}

#[test]
fn version_ignores_formatting_but_tracks_content() {
    let cat = Catalogue::bundled();
    let pretty =
        serde_json::to_string_pretty(&serde_json::json!({ "courses": cat.courses() })).unwrap();
    assert_eq!(
        Catalogue::from_json(&pretty).unwrap().version(),
        cat.version()
    );

    let mut courses = cat.courses().to_vec();
    courses[0].minutes += 1;
    let changed = Catalogue::from_courses(courses).unwrap();
    assert_ne!(
        changed.version(),
        cat.version(),
        "a content change must change the ETag"
    );
}

#[test]
fn damaged_cache_is_refused_by_version() {
    let cat = Catalogue::bundled();
    let mut doc = serde_json::to_value(cat).unwrap();
    doc["courses"][0]["lessons"] = serde_json::json!(99);
    let err = Catalogue::from_json(&doc.to_string()).unwrap_err();
    assert_eq!(err.code(), "catalogue_version_mismatch");
    assert_eq!(err.field(), Some("version"));
}

#[test]
fn stats_are_balanced_across_hobbies() {
    // Each hobby gets a real curriculum, not a token course per level.
    let mut per_hobby: BTreeMap<&str, usize> = BTreeMap::new();
    for c in Catalogue::bundled().courses() {
        *per_hobby.entry(c.hobby.as_str()).or_default() += 1;
    }
    for (hobby, n) in per_hobby {
        assert!(n >= 8, "hobby `{hobby}` has only {n} courses");
    }
}

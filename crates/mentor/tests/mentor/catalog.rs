//! Loads every shipped data file straight from disk and checks its structure independently of
//! the crate's own validators, then checks the crate agrees.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tutti_mentor::{HobbyId, curated_challenges, level_bank, validate_catalog};

/// The hobbies the issue requires banks and challenges for.
const REQUIRED: &[&str] = &[
    "guitar",
    "piano",
    "singing",
    "drums",
    "violin",
    "ukulele",
    "korean_cooking",
    "baking",
    "drawing",
    "photography",
    "yoga",
    "chess",
];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Value {
    let body = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("file stem")
        .to_string_lossy()
        .into_owned()
}

/// A `{ko, en}` object with visible text in both.
fn assert_text(v: &Value, at: &str) {
    for lang in ["ko", "en"] {
        let s = v[lang]
            .as_str()
            .unwrap_or_else(|| panic!("{at}: missing `{lang}` string"));
        assert!(!s.trim().is_empty(), "{at}: empty `{lang}` text");
    }
    let (ko, en) = (
        v["ko"].as_str().unwrap_or(""),
        v["en"].as_str().unwrap_or(""),
    );
    let has_hangul = ko.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    assert!(
        has_hangul || ko == en,
        "{at}: the Korean text is not Korean: {ko:?}"
    );
}

#[test]
fn every_level_file_is_well_formed_and_shipped() {
    let files = json_files(&data_dir().join("levels"));
    let mut seen_ids = HashSet::new();
    for path in &files {
        let hobby = stem(path);
        let id = HobbyId::parse(&hobby)
            .unwrap_or_else(|_| panic!("{}: `{hobby}` is not a taxonomy id", path.display()));
        assert!(
            level_bank(id).is_some(),
            "{} exists but is not listed in level::BANK_FILES",
            path.display()
        );
        let bank = read(path);
        assert_eq!(
            bank["hobby"],
            hobby.as_str(),
            "{}: hobby field must match the file name",
            path.display()
        );
        let questions = bank["questions"].as_array().expect("questions array");
        assert!(
            questions.len() >= 10,
            "{hobby}: {} questions, need at least 10",
            questions.len()
        );
        let mut last_difficulty = 0;
        let mut answer_slots = HashSet::new();
        for q in questions {
            let qid = q["id"].as_str().expect("question id");
            assert!(
                seen_ids.insert(qid.to_owned()),
                "question id {qid} is used twice"
            );
            let difficulty = q["difficulty"].as_u64().expect("difficulty");
            assert!(
                (1..=3).contains(&difficulty),
                "{qid}: difficulty {difficulty}"
            );
            assert!(
                difficulty >= last_difficulty,
                "{qid}: questions must be ordered by difficulty"
            );
            last_difficulty = difficulty;
            assert_text(&q["prompt"], &format!("{qid} prompt"));
            assert_text(&q["explanation"], &format!("{qid} explanation"));
            let ko = q["options"]["ko"].as_array().expect("ko options");
            let en = q["options"]["en"].as_array().expect("en options");
            assert_eq!(
                (ko.len(), en.len()),
                (4, 4),
                "{qid}: four options in each language"
            );
            for (k, e) in ko.iter().zip(en) {
                assert!(
                    k.as_str().is_some_and(|s| !s.trim().is_empty()),
                    "{qid}: empty Korean option"
                );
                assert!(
                    e.as_str().is_some_and(|s| !s.trim().is_empty()),
                    "{qid}: empty English option"
                );
            }
            let answer = q["answer"].as_u64().expect("answer index") as usize;
            assert!(answer < 4, "{qid}: answer index {answer} out of range");
            answer_slots.insert(answer);
        }
        assert!(
            answer_slots.len() >= 3,
            "{hobby}: answer keys sit in only {answer_slots:?} — vary the correct option's position"
        );
        let musical = id.info().kind.is_musical();
        assert_eq!(
            bank.get("performance").is_some(),
            musical,
            "{hobby}: performance part iff instrument or voice"
        );
        if musical {
            let p = &bank["performance"];
            let range = p["range"].as_array().expect("range");
            let (lo, hi) = (
                range[0].as_u64().expect("lo"),
                range[1].as_u64().expect("hi"),
            );
            let notes = p["notes"].as_array().expect("notes");
            assert!(notes.len() >= 8, "{hobby}: melody too short");
            let beats: f64 = notes
                .iter()
                .map(|n| n["beats"].as_f64().expect("beats"))
                .sum();
            let per_bar = p["beatsPerBar"].as_f64().expect("beatsPerBar");
            assert!(
                (beats / per_bar).fract().abs() < 1e-9,
                "{hobby}: {beats} beats is not whole bars"
            );
            for n in notes {
                let midi = n["midi"].as_u64().expect("midi");
                assert!(
                    (lo..=hi).contains(&midi),
                    "{hobby}: note {midi} outside the instrument range {lo}..={hi}"
                );
            }
        }
    }
    for hobby in REQUIRED {
        assert!(
            files.iter().any(|p| stem(p) == *hobby),
            "no level bank file for {hobby}"
        );
    }
}

#[test]
fn every_challenge_file_is_well_formed_and_shipped() {
    let files = json_files(&data_dir().join("challenges"));
    let mut seen_ids = HashSet::new();
    for path in &files {
        let hobby = stem(path);
        let id = HobbyId::parse(&hobby)
            .unwrap_or_else(|_| panic!("{}: `{hobby}` is not a taxonomy id", path.display()));
        assert!(
            curated_challenges(id).is_some(),
            "{} exists but is not listed in challenge::CHALLENGE_FILES",
            path.display()
        );
        let file = read(path);
        assert_eq!(file["hobby"], hobby.as_str());
        let list = file["challenges"].as_array().expect("challenges array");
        assert!(
            list.len() >= 10,
            "{hobby}: {} challenges, need at least 10",
            list.len()
        );
        let mut last = 0;
        for c in list {
            let cid = c["id"].as_str().expect("challenge id");
            assert!(
                seen_ids.insert(cid.to_owned()),
                "challenge id {cid} is used twice"
            );
            let d = c["difficulty"].as_u64().expect("difficulty");
            assert!(
                (1..=10).contains(&d) && d >= last,
                "{cid}: difficulty {d} out of range or order"
            );
            last = d;
            assert_text(&c["title"], &format!("{cid} title"));
            assert_text(&c["method"], &format!("{cid} method"));
            let steps = c["steps"].as_array().expect("steps");
            assert!(steps.len() >= 2, "{cid}: too few steps");
            for (i, s) in steps.iter().enumerate() {
                assert_text(s, &format!("{cid} step {i}"));
            }
            let tools = c["tools"].as_array().expect("tools");
            assert!(!tools.is_empty(), "{cid}: no tools");
            for (i, t) in tools
                .iter()
                .chain(c["materials"].as_array().expect("materials"))
                .enumerate()
            {
                assert_text(t, &format!("{cid} tool/material {i}"));
            }
            let minutes = c["minutes"].as_u64().expect("minutes");
            assert!((5..=600).contains(&minutes), "{cid}: {minutes} minutes");
        }
        assert_eq!(
            list.first().and_then(|c| c["difficulty"].as_u64()),
            Some(1),
            "{hobby}: list should start at difficulty 1"
        );
    }
    for hobby in REQUIRED {
        assert!(
            files.iter().any(|p| stem(p) == *hobby),
            "no challenge file for {hobby}"
        );
    }
}

#[test]
fn the_crate_validates_its_catalog_and_reports_counts() {
    let summary = validate_catalog().expect("every shipped file passes the crate's own validation");
    assert_eq!(summary.taxonomy_hobbies, 24);
    assert!(summary.level_banks >= 12, "{summary:?}");
    assert!(summary.questions >= 10 * summary.level_banks, "{summary:?}");
    assert_eq!(
        summary.performance_parts, 6,
        "guitar, piano, singing, drums, violin and ukulele have melodies"
    );
    assert!(
        summary.challenge_lists >= 12 && summary.challenges >= 10 * summary.challenge_lists,
        "{summary:?}"
    );
    assert!(summary.lexicon_patterns > 1000, "{summary:?}");
}

#[test]
fn taxonomy_copy_matches_the_eval_taxonomy() {
    let eval = std::env::var_os("TUTTI_EVAL_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval"),
        PathBuf::from,
    );
    let shared = eval.join("hobby/taxonomy.json");
    assert!(
        shared.is_file(),
        "eval taxonomy not found at {} — it is committed under eval/hobby (or set TUTTI_EVAL_DIR)",
        shared.display()
    );
    assert_eq!(
        read(&shared),
        read(&data_dir().join("taxonomy.json")),
        "data/taxonomy.json must stay a copy of eval/hobby/taxonomy.json"
    );
}

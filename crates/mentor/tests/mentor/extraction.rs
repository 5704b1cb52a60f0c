//! Scores hobby extraction on `eval/hobby/dev.jsonl` (at the repository root) and on this crate's held-out set with
//! exactly `score.py`'s rule: the hobby id must match; for `other`, the predicted mention must
//! contain the gold mention (case-insensitive).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use tutti_mentor::{ExtractionLine, HobbyLabel, extract_hobby};

#[derive(Debug, Deserialize)]
struct Gold {
    text: String,
    hobby: Option<String>,
    mention: Option<String>,
}

/// `TUTTI_EVAL_DIR`, else the repository's own `eval/`.
fn eval_dir() -> PathBuf {
    match std::env::var_os("TUTTI_EVAL_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval"),
    }
}

fn load_gold(path: &Path) -> Vec<Gold> {
    let body = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read gold file {}: {e}. Set TUTTI_EVAL_DIR to the directory holding hobby/dev.jsonl",
            path.display()
        )
    });
    body.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// score.py's rule, line by line. Returns (correct, total, misses).
fn score(gold: &[Gold]) -> (usize, usize, Vec<String>) {
    let mut correct = 0;
    let mut misses = Vec::new();
    for g in gold {
        // Round-trip through the CLI's wire shape so the test scores what `tutti hobby-extract` prints.
        let line = serde_json::to_string(&ExtractionLine::from_text(&g.text)).expect("serialises");
        let pred: serde_json::Value = serde_json::from_str(&line).expect("own output parses");
        let pred_hobby = pred["hobby"].as_str();
        let mut ok = g.hobby.as_deref() == pred_hobby;
        if ok && g.hobby.as_deref() == Some("other") {
            let want = g
                .mention
                .as_deref()
                .expect("gold other lines carry a mention")
                .to_lowercase();
            ok = pred["mention"]
                .as_str()
                .unwrap_or("")
                .to_lowercase()
                .contains(&want);
        }
        if ok {
            correct += 1;
        } else {
            misses.push(format!(
                "MISS {:?}: want {:?}/{:?} got {}",
                g.text, g.hobby, g.mention, line
            ));
        }
    }
    (correct, gold.len(), misses)
}

fn assert_accuracy(name: &str, gold: &[Gold], min_percent: f64) {
    assert!(!gold.is_empty(), "{name} is empty");
    let (correct, total, misses) = score(gold);
    let percent = 100.0 * correct as f64 / total as f64;
    assert!(
        percent >= min_percent,
        "{name}: accuracy {correct}/{total} = {percent:.1}% is below {min_percent}%\n{}",
        misses.join("\n")
    );
}

#[test]
fn dev_set_accuracy_is_at_least_95_percent() {
    let path = eval_dir().join("hobby/dev.jsonl");
    assert!(
        path.is_file(),
        "hobby dev set not found at {} — it is committed under eval/hobby (or set TUTTI_EVAL_DIR)",
        path.display()
    );
    assert_accuracy("dev.jsonl", &load_gold(&path), 95.0);
}

#[test]
fn held_out_set_accuracy_is_at_least_90_percent() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mentor/extra.jsonl");
    let gold = load_gold(&path);
    assert!(
        gold.len() >= 60,
        "the held-out set must hold at least 60 sentences, has {}",
        gold.len()
    );
    assert_accuracy("extra.jsonl", &gold, 90.0);
}

#[test]
fn scorer_matches_score_py_on_other_mentions() {
    // score.py: gold mention must be *contained* in the predicted mention, case-insensitively.
    let gold = vec![Gold {
        text: "I want to learn Juggling".into(),
        hobby: Some("other".into()),
        mention: Some("juggling".into()),
    }];
    let (correct, _, misses) = score(&gold);
    assert_eq!(correct, 1, "{misses:?}");
    assert_eq!(
        extract_hobby("I want to learn Juggling").mention.as_deref(),
        Some("Juggling"),
        "mentions keep the learner's casing"
    );
}

#[test]
fn every_taxonomy_name_is_recognised_in_both_languages() {
    for id in tutti_mentor::HobbyId::all() {
        let info = id.info();
        for (name, sentence) in [
            (&info.ko, format!("{}를 배우고 싶어요", info.ko)),
            (&info.en, format!("I want to learn {}", info.en)),
        ] {
            let got = extract_hobby(&sentence);
            assert_eq!(
                got.hobby,
                Some(HobbyLabel::Known(id)),
                "taxonomy name {name:?} in {sentence:?} gave {got:?}"
            );
        }
    }
}

/// Issue 14: contrast and preference. What the learner already does well,
/// or named only as an alternative, is not what they want to learn.
#[test]
fn contrast_and_preference_pick_the_hobby_the_learner_chooses() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "피아노는 이미 잘 치니까 바이올린을 배우고 싶어요",
            Some("violin"),
        ),
        ("요가랑 러닝 중에 러닝을 먼저", Some("running")),
        ("그림이나 요리 중에서 요리가 더 좋아요", Some("cooking")),
        ("수영은 할 줄 알아서 요가를 해보려고요", Some("yoga")),
        (
            "I already play piano well, so I want to learn violin",
            Some("violin"),
        ),
        ("yoga or running, running first", Some("running")),
        // "기타 등등" is "and so on", not a guitar
        ("기타 등등 여러가지 해보고 싶어요", None),
        // controls: wanting to be good at something does not demote it
        ("피아노를 잘 치고 싶어요", Some("piano")),
        ("기타를 더 잘 치고 싶어요", Some("guitar")),
        ("요가 중에 어떤 게 좋을까요", Some("yoga")),
    ];
    for (text, want) in cases {
        let got = extract_hobby(text).hobby.map(|h| h.as_str());
        assert_eq!(got, *want, "{text}");
    }
}

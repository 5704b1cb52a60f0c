//! Runs the real `tutti` binary against temp data directories.

use std::process::Command;

fn tutti(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tutti"));
    cmd.env("TUTTI_DATA_DIR", data_dir);
    cmd
}

#[test]
fn help_lists_the_subcommands() {
    let out = Command::new(env!("CARGO_BIN_EXE_tutti"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["info", "settings", "hobby-extract"] {
        assert!(text.contains(sub), "--help should list `{sub}`:\n{text}");
    }
}

#[test]
fn settings_round_trip_through_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = tutti(dir.path())
        .args(["settings", "--language", "en"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = tutti(dir.path()).arg("settings").output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["language"], "en",
        "a second process reads what the first wrote"
    );
    assert_eq!(v["theme"], "system");
}

#[test]
fn bad_flag_value_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = tutti(dir.path())
        .args(["settings", "--language", "fr"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--language") && err.contains("fr"), "{err}");
}

#[test]
fn info_reports_the_data_dir_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = tutti(dir.path()).arg("info").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dataDir"], dir.path().display().to_string());
    assert!(v["schemaVersion"].as_u64().unwrap() >= 2);
}

#[test]
fn hobby_extract_jsonl_keeps_order_and_shape() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"text\": \"기타를 배우고 싶어요\"}\n\n{\"text\": \"I want to learn the piano\"}\n{\"text\": \"그냥 심심해요\"}\n",
    )
    .unwrap();
    let out = tutti(dir.path())
        .args(["hobby-extract", "--jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "one output line per non-blank input line");
    assert_eq!(lines[0]["text"], "기타를 배우고 싶어요");
    assert_eq!(lines[0]["hobby"], "guitar");
    assert_eq!(lines[1]["hobby"], "piano");
    assert!(lines[2]["hobby"].is_null(), "no hobby named: {}", lines[2]);
    for l in &lines {
        assert!(
            l.get("mention").is_some(),
            "every line has a mention key: {l}"
        );
    }
}

#[test]
fn hobby_extract_names_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.jsonl");
    std::fs::write(&input, "{\"text\": \"요리\"}\n{\"txt\": 1}\n").unwrap();
    let out = tutti(dir.path())
        .args(["hobby-extract", "--jsonl"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        out.stdout.is_empty(),
        "nothing is printed when the input is bad"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
}

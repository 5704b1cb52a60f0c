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
    for sub in ["info", "settings", "hobby-extract", "transcribe", "grade"] {
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

fn eval_dir() -> std::path::PathBuf {
    let dir = std::env::var_os("TUTTI_EVAL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval"));
    assert!(
        dir.join("transcription/dev/audio").is_dir(),
        "the evaluation data is missing at {} (set TUTTI_EVAL_DIR)",
        dir.display()
    );
    dir
}

#[test]
fn transcribe_batch_writes_one_csv_per_recording() {
    let eval = eval_dir().join("transcription/dev");
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for name in ["d01_scale_piano", "d02_scale_flute"] {
        std::fs::copy(
            eval.join(format!("audio/{name}.flac")),
            input.join(format!("{name}.flac")),
        )
        .unwrap();
    }
    std::fs::write(input.join("notes.txt"), "not audio, skipped by extension").unwrap();
    let out_dir = tmp.path().join("out");
    let out = tutti(tmp.path())
        .args(["transcribe", "--batch"])
        .arg(&input)
        .arg("--out")
        .arg(&out_dir)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["d01_scale_piano", "d02_scale_flute"] {
        let csv = std::fs::read_to_string(out_dir.join(format!("{name}.csv"))).unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("onset_s,offset_s,midi_pitch"));
        let gt = std::fs::read_to_string(eval.join(format!("gt/{name}.csv"))).unwrap();
        let (got, want) = (lines.count(), gt.lines().count() - 1);
        assert!(
            got.abs_diff(want) <= 2,
            "{name}: a scale is transcribed note for note ({got} vs {want} notes)"
        );
    }
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 2);
}

#[test]
fn transcribe_exports_musicxml_midi_and_abc() {
    let flac = eval_dir().join("transcription/dev/audio/d01_scale_piano.flac");
    let tmp = tempfile::tempdir().unwrap();
    for (format, check) in [
        ("musicxml", b"<score-partwise".as_slice()),
        ("mid", b"MThd".as_slice()),
        ("abc", b"X:".as_slice()),
    ] {
        let path = tmp.path().join(format!("take.{format}"));
        let out = tutti(tmp.path())
            .arg("transcribe")
            .arg(&flac)
            .args(["--format", format, "-o"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes.windows(check.len()).any(|w| w == check),
            "{format} output has its signature"
        );
    }
}

#[test]
fn grade_a_recording_against_its_own_ground_truth() {
    let dev = eval_dir().join("transcription/dev");
    let tmp = tempfile::tempdir().unwrap();
    let out = tutti(tmp.path())
        .args(["grade", "--json", "--target"])
        .arg(dev.join("gt/d01_scale_piano.csv"))
        .arg("--take")
        .arg(dev.join("audio/d01_scale_piano.flac"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let grade: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let notes = grade["notes"].as_array().unwrap();
    let right = notes.iter().filter(|n| n["verdict"] == "right").count();
    assert!(
        right * 10 >= notes.len() * 9,
        "a clean rendering of the target is at least 90% right ({right}/{})",
        notes.len()
    );
    assert!(
        grade["totalScore"].as_f64().unwrap() >= 80.0,
        "{}",
        grade["totalScore"]
    );
}

#[test]
fn transcribe_rejects_a_file_that_is_not_audio() {
    let tmp = tempfile::tempdir().unwrap();
    let fake = tmp.path().join("fake.wav");
    std::fs::write(&fake, "this is text pretending to be a wav").unwrap();
    let out = tutti(tmp.path())
        .arg("transcribe")
        .arg(&fake)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fake.wav"), "the error names the file: {err}");
}

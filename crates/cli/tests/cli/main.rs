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

#[test]
fn transcribe_source_chooses_how_notes_are_heard() {
    // a rendered flute with slow attacks: heard as an instrument, its notes
    // start at their attacks; forced through the sung-line transcriber they
    // start where each note's level has settled, a little later
    let flac = eval_dir().join("transcription/dev/audio/d02_scale_flute.flac");
    let tmp = tempfile::tempdir().unwrap();
    let run = |source: &str| -> Vec<f64> {
        let out = tutti(tmp.path())
            .arg("transcribe")
            .arg(&flac)
            .args(["--source", source])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().parse().unwrap())
            .collect()
    };
    let auto = run("auto");
    assert_eq!(
        auto,
        run("instrument"),
        "auto hears a rendered flute as an instrument"
    );
    let voice = run("voice");
    let later = voice
        .iter()
        .filter(|v| auto.iter().any(|a| (*v - a) > 0.0 && (*v - a) < 0.1))
        .count();
    assert!(
        later * 2 > voice.len(),
        "most sung-line onsets lie after the attack: {voice:?} vs {auto:?}"
    );
    let bad = tutti(tmp.path())
        .arg("transcribe")
        .arg(&flac)
        .args(["--source", "kazoo"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("kazoo"),
        "the bad value is named"
    );
}

/// A mono 16-bit WAV of harmonic tones `(onset, offset, midi)` at 44.1 kHz.
fn write_take(path: &std::path::Path, notes: &[(f64, f64, f64)]) {
    let rate = 44_100u32;
    let end = notes.iter().map(|n| n.1).fold(0.0, f64::max) + 0.5;
    let mut x = vec![0f64; (end * f64::from(rate)) as usize];
    for &(on, off, midi) in notes {
        let hz = 440.0 * 2f64.powf((midi - 69.0) / 12.0);
        let (a, b) = (
            (on * f64::from(rate)) as usize,
            (off * f64::from(rate)) as usize,
        );
        for (i, v) in x.iter_mut().enumerate().take(b).skip(a) {
            let t = (i - a) as f64 / f64::from(rate);
            let env = (t / 0.01).min(1.0) * ((off - on - t) / 0.02).clamp(0.0, 1.0);
            *v += 0.2
                * env
                * (1..=4)
                    .map(|k| (2.0 * std::f64::consts::PI * hz * k as f64 * t).sin() / k as f64)
                    .sum::<f64>();
        }
    }
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for v in x {
        w.write_sample((v.clamp(-1.0, 1.0) * 32000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

#[test]
fn follow_prints_each_target_note_with_when_it_was_reached_and_its_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("tune.abc");
    // C D E F | G A B c at 120 bpm (0.5 s a quarter)
    std::fs::write(
        &target,
        "X:1\nT:Scale\nM:4/4\nL:1/4\nQ:1/4=120\nK:C\nCDEF|GABc|\n",
    )
    .unwrap();
    let take = tmp.path().join("take.wav");
    // played 0.4 s late, a little slower, with the 6th note (A) a minor third too high
    let pitches = [60.0, 62.0, 64.0, 65.0, 67.0, 72.0, 71.0, 72.0];
    let played: Vec<(f64, f64, f64)> = pitches
        .iter()
        .enumerate()
        .map(|(i, &m)| (0.4 + 0.55 * i as f64, 0.4 + 0.55 * i as f64 + 0.45, m))
        .collect();
    write_take(&take, &played);
    let out = tutti(tmp.path())
        .args(["follow", "--json", "--target"])
        .arg(&target)
        .arg("--take")
        .arg(&take)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let notes = v["notes"].as_array().expect("a notes array");
    assert_eq!(notes.len(), 8, "one entry per target note: {v}");
    for (i, n) in notes.iter().enumerate() {
        assert_eq!(n["index"], i);
        let reached = n["reached_s"].as_f64().expect("every note was reached");
        let onset = played[i].0;
        assert!(
            reached >= onset && reached < onset + 0.08,
            "note {i} confirmed {:.3} s after it was played",
            reached - onset
        );
        let want = if i == 5 { "sharp" } else { "right" };
        assert_eq!(n["verdict"], want, "note {i}: {v}");
    }
    // a take that is not audio, and a target that is not a score, are named
    let bad = tutti(tmp.path())
        .args(["follow", "--json", "--target"])
        .arg(&take)
        .arg("--take")
        .arg(&target)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("take.wav"));
}

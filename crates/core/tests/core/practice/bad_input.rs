//! Bad input gets a clear error and stores nothing: no row, no file.

use tutti_core::Tutti;
use tutti_core::practice::dto::TargetFormat;

use super::support::{MELODY, snapshot, take_wav, target_musicxml};

#[test]
fn bad_takes_and_targets_are_rejected_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let target = core
        .practice_target_import("Scale", TargetFormat::Musicxml, &target_musicxml(&MELODY))
        .unwrap();
    let before = snapshot(dir.path());
    let wav = take_wav(&MELODY, 0.0);

    let cases: Vec<(&str, tutti_core::Error)> = vec![
        (
            "non-audio bytes",
            core.practice_take_import("t", b"%PDF-1.7 not audio", None)
                .unwrap_err(),
        ),
        (
            "empty bytes",
            core.practice_take_import("t", b"", None).unwrap_err(),
        ),
        (
            "truncated WAV",
            core.practice_take_import("t", &wav[..30], None)
                .unwrap_err(),
        ),
        (
            "empty title",
            core.practice_take_import("  ", &wav, None).unwrap_err(),
        ),
        (
            "unknown target",
            core.practice_take_import("t", &wav, Some("missing"))
                .unwrap_err(),
        ),
        (
            "target that is not MusicXML",
            core.practice_target_import("x", TargetFormat::Musicxml, b"<html/>")
                .unwrap_err(),
        ),
        (
            "target that is not MIDI",
            core.practice_target_import("x", TargetFormat::Midi, b"MThd")
                .unwrap_err(),
        ),
        (
            "target with an empty title",
            core.practice_target_import("", TargetFormat::Musicxml, &target_musicxml(&MELODY))
                .unwrap_err(),
        ),
        (
            "regrade of an unknown take",
            core.practice_take_grade("missing", &target.id).unwrap_err(),
        ),
        (
            "rename of an unknown take",
            core.practice_take_rename("missing", "x").unwrap_err(),
        ),
        (
            "audio of an unknown take",
            core.practice_take_audio("missing").unwrap_err(),
        ),
    ];
    for (what, err) in &cases {
        let expected = if what.contains("unknown") {
            "not_found"
        } else {
            "invalid_input"
        };
        assert_eq!(err.code(), expected, "{what}: {err}");
    }
    assert!(
        cases[0].1.to_string().contains("audio"),
        "the error names the field: {}",
        cases[0].1
    );
    assert_eq!(snapshot(dir.path()), before, "nothing was stored half-way");
}

#[test]
fn an_empty_recording_is_reported_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let path = core.practice_recording_path().unwrap();
    let mut header_only = take_wav(&[], 0.0);
    header_only.truncate(44);
    std::fs::write(&path, &header_only).unwrap();
    let err = core
        .practice_take_from_recording(&path, "Mic", None)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(core.practice_takes().unwrap().is_empty());
}

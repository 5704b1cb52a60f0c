//! Targets and takes end to end: import, grade, re-grade, rename, export,
//! delete, recordings adopted after a crash, and a level test's melody.

use tutti_core::Tutti;
use tutti_core::practice::dto::{ExportFormat, NoteVerdict, TargetFormat, TargetSource};

use super::support::{MELODY, notes, recordings, take_wav, target_musicxml};

#[test]
fn a_wav_take_imported_against_a_musicxml_target_is_graded_note_by_note() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let target = core
        .practice_target_import("음계", TargetFormat::Musicxml, &target_musicxml(&MELODY))
        .unwrap();
    assert_eq!(target.note_count, 7);
    assert_eq!(target.source, TargetSource::Musicxml);
    assert!(
        target.abc.contains("T:음계"),
        "the title is the one given: {}",
        target.abc
    );

    // 30 cents sharp throughout: the tuning is forgiven, every note is right.
    let take = core
        .practice_take_import("첫 녹음", &take_wav(&MELODY, 30.0), Some(&target.id))
        .unwrap();
    let grade = take.grade.as_ref().expect("graded against the target");
    assert_eq!(grade.target_id.as_deref(), Some(target.id.as_str()));
    assert_eq!(
        grade.counts.right, 7,
        "a clean take 30 cents sharp grades all-right: {grade:?}"
    );
    assert!(grade.total_score > 90.0, "{}", grade.total_score);
    assert_eq!(take.note_count, 7);
    assert_eq!(
        take.notation.verdicts.len(),
        7,
        "one verdict per written note (quarters at the take's tempo, no ties): {}",
        take.notation.abc
    );
    assert!(
        take.notation
            .verdicts
            .iter()
            .all(|v| *v == NoteVerdict::Right)
    );
    assert_eq!(grade.target_notation.verdicts.len(), 7);
    assert_eq!(recordings(dir.path()), vec![format!("{}.wav", take.id)]);

    // The library survives a restart, and the audio plays back as a WAV.
    drop(core);
    let core = Tutti::open(dir.path()).unwrap();
    let listed = core.practice_takes().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0], take);
    let audio = core.practice_take_audio(&take.id).unwrap();
    assert_eq!(&audio[..4], b"RIFF");
    assert_eq!(core.practice_targets().unwrap(), vec![target]);
}

#[test]
fn one_wrong_note_is_flagged_and_the_rest_still_align() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let midi = tutti_score::notes_to_midi(&notes(&MELODY), 120.0);
    let target = core
        .practice_target_import("Scale", TargetFormat::Midi, &midi)
        .unwrap();
    let mut sung = MELODY;
    sung[2] = 66; // E4 sung as F#4
    let take = core
        .practice_take_import("Take", &take_wav(&sung, 0.0), Some(&target.id))
        .unwrap();
    let grade = take.grade.unwrap();
    assert_eq!(grade.counts.sharp, 1, "{grade:?}");
    assert_eq!(
        grade.counts.right, 6,
        "the other notes stay aligned: {grade:?}"
    );
    assert_eq!(grade.target_notation.verdicts[2], NoteVerdict::Sharp);
    assert_eq!(take.notation.verdicts[2], NoteVerdict::Sharp);
}

#[test]
fn a_take_is_regraded_renamed_exported_and_deleted_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let take = core
        .practice_take_import("Free", &take_wav(&MELODY, 0.0), None)
        .unwrap();
    assert!(take.grade.is_none());
    assert!(take.notation.verdicts.is_empty(), "ungraded: no colours");

    let csv = tutti_ear::notes_to_csv(&notes(&MELODY));
    let short = core
        .practice_target_import("From CSV", TargetFormat::Csv, csv.as_bytes())
        .unwrap();
    let graded = core.practice_take_grade(&take.id, &short.id).unwrap();
    let grade = graded.grade.unwrap();
    assert_eq!(grade.counts.right, 7, "{grade:?}");
    assert_eq!(graded.notation.verdicts.len(), 7);

    let renamed = core.practice_take_rename(&take.id, "  아침 연습 ").unwrap();
    assert_eq!(renamed.title, "아침 연습");

    let (name, xml) = core
        .practice_take_export(&take.id, ExportFormat::Musicxml)
        .unwrap();
    assert_eq!(name, "아침 연습.musicxml");
    let back = tutti_score::parse_musicxml(std::str::from_utf8(&xml).unwrap()).unwrap();
    let pitches: Vec<u8> = back.notes.iter().map(|n| n.midi_pitch).collect();
    assert_eq!(pitches, MELODY, "the MusicXML export round-trips the notes");
    let (_, mid) = core
        .practice_take_export(&take.id, ExportFormat::Midi)
        .unwrap();
    let back = tutti_score::parse_midi(&mid).unwrap();
    assert_eq!(back.notes.len(), 7);
    let path = core
        .practice_take_export_file(&take.id, ExportFormat::Midi)
        .unwrap();
    assert_eq!(path, dir.path().join("exports").join("아침 연습.mid"));
    assert_eq!(std::fs::read(&path).unwrap(), mid);

    // Deleting the target keeps the take's grade.
    core.practice_target_delete(&short.id).unwrap();
    let kept = core.practice_take(&take.id).unwrap().grade.unwrap();
    assert_eq!(kept.target_id, None);
    assert_eq!(kept.target_title, "From CSV");

    core.practice_take_delete(&take.id).unwrap();
    assert!(core.practice_takes().unwrap().is_empty());
    assert!(
        recordings(dir.path()).is_empty(),
        "the WAV went with the row"
    );
    assert_eq!(
        core.practice_take_delete(&take.id).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn a_recording_is_kept_even_when_its_target_is_gone_and_a_crash_leftover_is_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let path = core.practice_recording_path().unwrap();
    std::fs::write(&path, take_wav(&MELODY, 0.0)).unwrap();
    let take = core
        .practice_take_from_recording(&path, "Mic", Some("no-such-target"))
        .unwrap();
    assert!(take.grade.is_none(), "kept ungraded rather than lost");
    assert!(!path.exists(), "moved into the library");
    assert_eq!(recordings(dir.path()), vec![format!("{}.wav", take.id)]);

    // A recording a crash left in progress is adopted at the next start.
    let left = core.practice_recording_path().unwrap();
    std::fs::write(&left, take_wav(&MELODY[..3], 0.0)).unwrap();
    drop(core);
    let core = Tutti::open(dir.path()).unwrap();
    let adopted = core.practice_recover_recordings("복구된 녹음").unwrap();
    assert_eq!(adopted.len(), 1);
    assert_eq!(adopted[0].title, "복구된 녹음");
    assert_eq!(adopted[0].note_count, 3);
    assert_eq!(core.practice_takes().unwrap().len(), 2);
}

#[test]
fn a_level_tests_performance_part_becomes_a_target() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let room = core.mentor_room_create().unwrap().room;
    core.mentor_send(&room.id, "기타를 배우고 싶어요").unwrap();
    core.level_test_get(&room.id).unwrap();
    let target = core.practice_target_from_level_test(&room.id).unwrap();
    assert_eq!(target.source, TargetSource::LevelTest);
    assert!(target.note_count > 0);
    assert!(target.abc.starts_with("X:1"));
    assert_eq!(
        core.practice_target_from_level_test("nope")
            .unwrap_err()
            .code(),
        "not_found"
    );
}

//! The performance part of a level test, end to end: a guitar room's test
//! offers a melody, Practice makes it a target, a synthesised WAV of that
//! melody is imported as a take graded against it, and the take is added to
//! the level test; the accuracy survives a restart. Bad inputs change nothing.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;
use tutti_core::Tutti;
use tutti_core::data_dir::DATABASE_FILE;
use tutti_core::mentor::dto::{MessageRole, PerformanceKind};
use tutti_core::practice::dto::TargetFormat;
use tutti_score::Note;

use super::support::{MELODY, snapshot, take_wav, target_musicxml, wav_of};

/// The room's newest level test as stored (answer key and performance part).
fn stored_test(dir: &Path, room: &str) -> tutti_mentor::LevelTest {
    let json: String = Connection::open(dir.join(DATABASE_FILE))
        .unwrap()
        .query_row(
            "SELECT test_json FROM level_tests WHERE room_id = ?1 ORDER BY id DESC LIMIT 1",
            [room],
            |r| r.get(0),
        )
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// The performance melody played as written, starting after half a second.
fn performance_notes(test: &tutti_mentor::LevelTest) -> Vec<Note> {
    let part = test.performance.as_ref().expect("a performance part");
    let beat_s = 60.0 / f64::from(part.tempo_bpm);
    let mut beat = 0.0;
    part.notes
        .iter()
        .map(|n| {
            let onset_s = 0.5 + beat * beat_s;
            beat += f64::from(n.beats);
            Note {
                onset_s,
                offset_s: onset_s + f64::from(n.beats) * beat_s * 0.9,
                midi_pitch: f64::from(n.midi),
            }
        })
        .collect()
}

/// Practice rows, recordings and every mentor row.
fn everything(dir: &Path) -> Vec<String> {
    let mut rows = snapshot(dir);
    let conn = Connection::open(dir.join(DATABASE_FILE)).unwrap();
    for table in ["ai_rooms", "ai_messages", "level_tests"] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let columns = stmt.column_count();
        let mut query = stmt.query([]).unwrap();
        while let Some(row) = query.next().unwrap() {
            let values: Vec<Value> = (0..columns).map(|i| row.get(i).unwrap()).collect();
            rows.push(format!("{table}: {values:?}"));
        }
    }
    rows
}

/// A guitar room with its level test drawn (not yet submitted).
fn guitar_room(core: &Tutti) -> String {
    let room = core.mentor_room_create().unwrap().room.id;
    core.mentor_send(&room, "기타를 배우고 싶어요").unwrap();
    room
}

fn submit_all_right(core: &Tutti, dir: &Path, room: &str) {
    let key: Vec<u32> = stored_test(dir, room)
        .questions
        .iter()
        .map(|q| q.answer as u32)
        .collect();
    core.level_test_submit(room, &key).unwrap();
}

#[test]
fn a_take_of_the_performance_part_is_added_to_the_level_test_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let room = guitar_room(&core);
    let view = core.level_test_get(&room).unwrap();
    let part = view.performance.expect("guitar has a performance part");
    assert_eq!(part.kind, PerformanceKind::Pitched);
    assert!(part.note_count >= 4 && part.tempo_bpm > 0);
    assert!(!part.title.ko.is_empty() && !part.title.en.is_empty());
    assert!(core.mentor_room(&room).unwrap().room.performance_part);

    // A hobby without a melody to play has no performance part.
    let photo = core.mentor_room_create().unwrap().room.id;
    core.mentor_send(&photo, "사진 찍는 걸 배우고 싶어요")
        .unwrap();
    assert!(core.level_test_get(&photo).unwrap().performance.is_none());
    assert!(!core.mentor_room(&photo).unwrap().room.performance_part);
    assert_eq!(
        core.practice_target_from_level_test(&photo)
            .unwrap_err()
            .code(),
        "invalid_input"
    );

    let target = core.practice_target_from_level_test(&room).unwrap();
    assert_eq!(target.level_test_room_id.as_deref(), Some(room.as_str()));
    let wav = wav_of(&performance_notes(&stored_test(dir.path(), &room)), 0.0);
    let take = core
        .practice_take_import("연주", &wav, Some(&target.id))
        .unwrap();
    let grade = take.grade.clone().expect("graded");
    assert_eq!(grade.counts.right, part.note_count, "{grade:?}");

    // The written part comes first: nothing changes before it is submitted.
    let before = everything(dir.path());
    let err = core
        .level_test_performance_attach(&room, &take.id)
        .unwrap_err();
    assert_eq!(err.code(), "wrong_stage", "{err}");
    assert_eq!(everything(dir.path()), before);

    submit_all_right(&core, dir.path(), &room);
    let added = core.level_test_performance_attach(&room, &take.id).unwrap();
    let expected = grade.total_score.round() as u32;
    assert_eq!(added.percent, expected);
    assert!(added.percent >= 90, "a clean take scores high: {added:?}");
    assert_eq!(added.turn.room.performance_percent, Some(expected));
    assert_eq!(added.turn.messages.len(), 1);
    assert_eq!(added.turn.messages[0].role, MessageRole::Mentor);
    assert!(
        added.turn.messages[0]
            .text
            .contains(&format!("{expected}%")),
        "{}",
        added.turn.messages[0].text
    );
    drop(core);

    let core = Tutti::open(dir.path()).unwrap();
    let detail = core.mentor_room(&room).unwrap();
    assert_eq!(detail.room.performance_percent, Some(expected));
    assert_eq!(
        detail.room.level,
        Some(tutti_core::mentor::dto::MentorLevel::Advanced),
        "the level stays the written part's"
    );
    let listed = core.practice_targets().unwrap();
    assert_eq!(listed[0].level_test_room_id.as_deref(), Some(room.as_str()));
}

#[test]
fn takes_that_do_not_belong_to_the_rooms_performance_part_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let core = Tutti::open(dir.path()).unwrap();
    let room = guitar_room(&core);
    core.level_test_get(&room).unwrap();
    submit_all_right(&core, dir.path(), &room);
    let other = guitar_room(&core);
    core.level_test_get(&other).unwrap();
    submit_all_right(&core, dir.path(), &other);

    let imported = core
        .practice_target_import("Scale", TargetFormat::Musicxml, &target_musicxml(&MELODY))
        .unwrap();
    let against_import = core
        .practice_take_import("scale", &take_wav(&MELODY, 0.0), Some(&imported.id))
        .unwrap();
    let ungraded = core
        .practice_take_import("free", &take_wav(&MELODY, 0.0), None)
        .unwrap();
    let other_target = core.practice_target_from_level_test(&other).unwrap();
    let other_wav = wav_of(&performance_notes(&stored_test(dir.path(), &other)), 0.0);
    let against_other = core
        .practice_take_import("other", &other_wav, Some(&other_target.id))
        .unwrap();

    let before = everything(dir.path());
    let cases = [
        ("nope", against_other.id.as_str(), "not_found"),
        (room.as_str(), "no-such-take", "not_found"),
        (room.as_str(), ungraded.id.as_str(), "wrong_stage"),
        (room.as_str(), against_import.id.as_str(), "invalid_input"),
        (room.as_str(), against_other.id.as_str(), "invalid_input"),
    ];
    for (room_id, take_id, code) in cases {
        let err = core
            .level_test_performance_attach(room_id, take_id)
            .unwrap_err();
        assert_eq!(err.code(), code, "{room_id} / {take_id}: {err}");
        assert_eq!(everything(dir.path()), before, "{room_id} / {take_id}");
    }

    // A deleted target leaves the take's grade but not its link to the room.
    core.practice_target_delete(&other_target.id).unwrap();
    let err = core
        .level_test_performance_attach(&other, &against_other.id)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert_eq!(
        core.mentor_room(&other).unwrap().room.performance_percent,
        None
    );
}

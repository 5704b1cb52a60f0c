//! Helpers: a room driven to each stage, the stored answer key, and a dump of
//! every mentor row to prove that a rejected action changed nothing.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;
use tutti_core::Tutti;
use tutti_core::data_dir::DATABASE_FILE;

pub const GUITAR: &str = "기타를 배우고 싶어요";

/// Every row of the mentor's tables and the settings, in order.
pub fn snapshot(dir: &Path) -> Vec<String> {
    let conn = Connection::open(dir.join(DATABASE_FILE)).expect("the database opens");
    let mut rows = Vec::new();
    for table in [
        "ai_rooms",
        "ai_messages",
        "level_tests",
        "room_challenges",
        "settings",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .expect("select");
        let columns = stmt.column_count();
        let mut query = stmt.query([]).expect("query");
        while let Some(row) = query.next().expect("row") {
            let values: Vec<Value> = (0..columns).map(|i| row.get(i).expect("value")).collect();
            rows.push(format!("{table}: {values:?}"));
        }
    }
    rows
}

/// The answer key of the room's open level test, read from the database.
pub fn answer_key(dir: &Path, room_id: &str) -> Vec<u32> {
    let json: String = Connection::open(dir.join(DATABASE_FILE))
        .expect("the database opens")
        .query_row(
            "SELECT test_json FROM level_tests WHERE room_id = ?1 ORDER BY id DESC LIMIT 1",
            [room_id],
            |r| r.get(0),
        )
        .expect("a drawn test");
    let test: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    test["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["answer"].as_u64().expect("an answer index") as u32)
        .collect()
}

/// A room whose learner named the guitar: the level test is offered.
pub fn room_at_level_test(app: &Tutti) -> String {
    let room = app.mentor_room_create().expect("a room").room.id;
    app.mentor_send(&room, GUITAR)
        .expect("the hobby is understood");
    room
}

/// A guitar room whose level test was answered with `answers`.
pub fn room_at_challenge_count(app: &Tutti, dir: &Path, correct: usize) -> String {
    let room = room_at_level_test(app);
    app.level_test_get(&room).expect("a test");
    let key = answer_key(dir, &room);
    let answers: Vec<u32> = key
        .iter()
        .enumerate()
        .map(|(i, &a)| if i < correct { a } else { (a + 1) % 4 })
        .collect();
    app.level_test_submit(&room, &answers).expect("graded");
    room
}

/// A guitar room with 3 curated challenges, in free conversation.
pub async fn room_in_free_conversation(app: &Tutti, dir: &Path) -> String {
    let room = room_at_challenge_count(app, dir, 3);
    app.challenges_generate(&room, 3)
        .await
        .expect("curated challenges need no network");
    room
}

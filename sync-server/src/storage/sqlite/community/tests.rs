//! The SQLite thread index on a real (in-memory) database.

use rusqlite_migration::{M, Migrations};

use super::*;
use crate::storage::{DocumentRecord, NewUser, QuestionCursor, Storage};

async fn with_user_and_doc(s: &SqliteStorage, user: &str, doc: &str) {
    if s.user_by_id(user).await.unwrap().is_none() {
        s.create_user(&NewUser {
            id: user.into(),
            email: format!("{user}@example.com"),
            email_normalized: format!("{user}@example.com"),
            password_hash: "x".into(),
            name: format!("name of {user}"),
            gender: "female".into(),
            birthdate: "1990-01-01".into(),
            created_at: 0,
        })
        .await
        .unwrap();
    }
    s.create_document(&DocumentRecord {
        id: doc.into(),
        owner_id: user.into(),
        kind: "{}".into(),
        members: vec![],
        created_at: 0,
    })
    .await
    .unwrap();
}

fn question(id: &str, at: i64, body: &str) -> QuestionRow {
    QuestionRow {
        question_id: id.into(),
        doc_id: format!("doc-{id}"),
        asker_id: "asker".into(),
        hobby: "guitar".into(),
        title: format!("title {id}"),
        body: body.into(),
        created_at_ms: at,
        edited_at_ms: None,
        deleted: false,
        accepted_answer_id: None,
    }
}

fn query(text: Option<&str>) -> QuestionQuery {
    QuestionQuery {
        sort: QuestionSort::Newest,
        hobby: None,
        text: text.map(str::to_owned),
        limit: 10,
        after: None,
    }
}

async fn ids(s: &SqliteStorage, q: &QuestionQuery) -> Vec<String> {
    s.list_questions(q)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.question.question_id)
        .collect()
}

#[tokio::test]
async fn trigram_search_finds_words_inside_korean_text_and_follows_edits() {
    let s = SqliteStorage::open_in_memory().unwrap();
    for (id, at, body) in [
        ("q1", 1, "오늘 바레코드가 어려워요"),
        ("q2", 2, "스케일 연습"),
    ] {
        with_user_and_doc(&s, "asker", &format!("doc-{id}")).await;
        s.index_question(&question(id, at, body), 0).await.unwrap();
    }
    assert_eq!(ids(&s, &query(Some("바레코드"))).await, ["q1"]);
    assert_eq!(
        ids(&s, &query(Some("코드"))).await,
        ["q1"],
        "LIKE for 2 chars"
    );
    assert_eq!(
        ids(&s, &query(Some("\"; DROP"))).await,
        Vec::<String>::new()
    );
    assert_eq!(ids(&s, &query(None)).await, ["q2", "q1"], "newest first");
    let after = QuestionQuery {
        after: Some(QuestionCursor {
            created_at_ms: 2,
            question_id: "q2".into(),
        }),
        ..query(None)
    };
    assert_eq!(ids(&s, &after).await, ["q1"], "the page after q2");

    // an edit replaces the search entry; a deletion removes it
    let mut edited = question("q1", 1, "피아노 질문으로 바꿨어요");
    s.index_question(&edited, 1).await.unwrap();
    assert!(ids(&s, &query(Some("바레코드"))).await.is_empty());
    assert_eq!(ids(&s, &query(Some("피아노 질문"))).await, ["q1"]);
    edited.deleted = true;
    s.index_question(&edited, 2).await.unwrap();
    assert!(ids(&s, &query(Some("피아노"))).await.is_empty());
    assert_eq!(ids(&s, &query(None)).await, ["q2"]);
}

#[test]
fn the_community_migration_applies_on_a_version_1_database() {
    let mut c = Connection::open_in_memory().unwrap();
    Migrations::new(vec![M::up(super::super::MIGRATIONS[0])])
        .to_latest(&mut c)
        .unwrap();
    c.execute(
        "INSERT INTO users (id, email, email_normalized, password_hash, name, gender,
             birthdate, created_at) VALUES ('u', 'e', 'e', 'h', 'n', 'g', 'b', 0)",
        [],
    )
    .unwrap();
    super::super::migrations().to_latest(&mut c).unwrap();
    let users: i64 = c
        .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
        .unwrap();
    assert_eq!(users, 1, "version 1 data survives");
    let tables: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'community_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(tables >= 4, "questions, answers, votes, search: {tables}");
}

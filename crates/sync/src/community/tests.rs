use automerge::AutoCommit;
use automerge::transaction::Transactable;

use super::*;

fn asker() -> UserId {
    UserId::new("asker")
}

fn new_question() -> NewQuestion {
    NewQuestion {
        question_id: "q1".into(),
        asker_id: asker(),
        hobby: "guitar".into(),
        title: "바레코드 잡는 법".into(),
        body: "오늘 바레코드가 어려워요".into(),
        created_at: 1_000,
    }
}

fn new_answer(author: &str, ai: Option<&str>) -> NewAnswer {
    NewAnswer {
        question_id: "q1".into(),
        answer_id: format!("a-{author}"),
        author_id: UserId::new(author),
        body: "검지를 세워 보세요".into(),
        created_at: 2_000,
        ai: ai.map(|model| AiLabel {
            model: model.into(),
        }),
    }
}

fn question_kind() -> DocKind {
    DocKind::CommunityQuestion {
        question_id: "q1".into(),
        hobby: "guitar".into(),
    }
}

fn field_of(e: ProtocolError) -> String {
    match e {
        ProtocolError::Schema { field, .. } => field,
        other => panic!("expected a schema error, got {other}"),
    }
}

#[test]
fn a_question_round_trips_and_edits() {
    let mut doc = create_question(&new_question()).expect("create");
    let q = read_question(&doc).expect("read");
    assert_eq!(
        (q.title.as_str(), q.body.as_str(), q.edited_at, q.deleted),
        ("바레코드 잡는 법", "오늘 바레코드가 어려워요", None, false)
    );
    assert_eq!(q.accepted_answer, None);
    edit_question(
        &mut doc,
        &QuestionEdit {
            title: Some("바레코드 질문".into()),
            body: None,
        },
        5_000,
    )
    .expect("edit");
    set_accepted_answer(&mut doc, Some("a-helper")).expect("accept");
    let q = read_question(&doc).expect("read");
    assert_eq!(q.title, "바레코드 질문");
    assert_eq!(q.body, "오늘 바레코드가 어려워요", "the body was kept");
    assert_eq!(q.edited_at, Some(5_000));
    assert_eq!(q.accepted_answer.as_deref(), Some("a-helper"));
    set_accepted_answer(&mut doc, None).expect("clear");
    delete_question(&mut doc, 6_000).expect("delete");
    let q = read_question(&doc).expect("read");
    assert_eq!((q.accepted_answer, q.deleted), (None, true));
}

#[test]
fn bad_questions_name_the_field() {
    type Spoil = fn(&mut NewQuestion);
    let cases: [(&str, Spoil); 6] = [
        ("title", |q| q.title = String::new()),
        ("title", |q| q.title = "   ".into()),
        ("title", |q| q.title = "가".repeat(MAX_TITLE_CHARS + 1)),
        ("body", |q| q.body = "x".repeat(MAX_BODY_CHARS + 1)),
        ("hobby", |q| q.hobby = String::new()),
        ("questionId", |q| q.question_id = "has space".into()),
    ];
    for (field, spoil) in cases {
        let mut q = new_question();
        spoil(&mut q);
        let e = create_question(&q).expect_err(field);
        assert_eq!(field_of(e), field);
    }
    let mut q = new_question();
    q.title = "가".repeat(MAX_TITLE_CHARS);
    assert!(
        create_question(&q).is_ok(),
        "200 Korean characters fit: the limit counts characters, not bytes"
    );
    let mut doc = create_question(&new_question()).expect("create");
    let e = edit_question(
        &mut doc,
        &QuestionEdit {
            title: None,
            body: Some(String::new()),
        },
        1,
    )
    .expect_err("empty body");
    assert_eq!(field_of(e), "body");
}

#[test]
fn answers_round_trip_with_and_without_the_ai_label() {
    let mut doc = create_answer(&new_answer("helper", None)).expect("create");
    edit_answer(&mut doc, "손목을 낮추세요", 3_000).expect("edit");
    let a = read_answer(&doc).expect("read");
    assert_eq!(
        (a.body.as_str(), a.edited_at, a.ai),
        ("손목을 낮추세요", Some(3_000), None)
    );
    delete_answer(&mut doc, 4_000).expect("delete");
    assert!(read_answer(&doc).expect("read").deleted);

    let ai = create_answer(&new_answer("asker", Some("smollm2-135m"))).expect("ai");
    assert_eq!(
        read_answer(&ai).expect("read").ai,
        Some(AiLabel {
            model: "smollm2-135m".into()
        })
    );
    let e = create_answer(&new_answer("asker", Some(" "))).expect_err("blank model");
    assert_eq!(field_of(e), "ai.model");
}

#[test]
fn a_question_is_not_an_answer() {
    let q = create_question(&new_question()).expect("create");
    assert_eq!(field_of(read_answer(&q).expect_err("wrong type")), "type");
}

#[test]
fn derived_ids_depend_on_every_part() {
    let a = question_document_id("q1", &asker());
    assert_eq!(a, question_document_id("q1", &asker()), "deterministic");
    assert_ne!(a, question_document_id("q2", &asker()));
    assert_ne!(a, question_document_id("q1", &UserId::new("other")));
    let x = answer_document_id("q1", "a1", &asker());
    assert_ne!(x, answer_document_id("q1", "a2", &asker()));
    assert_ne!(x, answer_document_id("q2", "a1", &asker()));
    assert_ne!(x, a, "answer and question namespaces differ");
    let id = new_post_id();
    assert!(validate_post_id("id", &id).is_ok(), "{id}");
    assert_ne!(id, new_post_id());
}

#[test]
fn check_document_accepts_the_owners_edits() {
    let mut doc = create_question(&new_question()).expect("create");
    edit_question(
        &mut doc,
        &QuestionEdit {
            title: None,
            body: Some("검지가 아파요".into()),
        },
        9,
    )
    .expect("edit");
    let checked = check_document(&doc, &asker(), &question_kind()).expect("valid");
    assert!(matches!(checked, CommunityDoc::Question(q) if q.body == "검지가 아파요"));
}

#[test]
fn check_document_refuses_changing_what_is_fixed() {
    // edits behind the helpers' back, as a misbehaving client could write them
    let spoil = |f: fn(&mut AutoCommit)| {
        let mut doc = create_question(&new_question()).expect("create");
        f(&mut doc);
        doc.commit();
        field_of(check_document(&doc, &asker(), &question_kind()).expect_err("refused"))
    };
    assert_eq!(
        spoil(|d| d.put(ROOT, "hobby", "piano").map(drop).expect("put")),
        "hobby"
    );
    assert_eq!(
        spoil(|d| d.put(ROOT, "askerId", "mallory").map(drop).expect("put")),
        "askerId"
    );
    assert_eq!(
        spoil(|d| d.put(ROOT, "title", "").map(drop).expect("put")),
        "title"
    );
    assert_eq!(
        spoil(|d| d.put(ROOT, "deleted", "yes").map(drop).expect("put")),
        "deleted"
    );

    let ai_kind = DocKind::CommunityAnswer {
        question_id: "q1".into(),
        answer_id: "a-asker".into(),
        ai_model: Some("smollm2".into()),
    };
    let mut ai = create_answer(&new_answer("asker", Some("smollm2"))).expect("ai");
    assert!(check_document(&ai, &asker(), &ai_kind).is_ok());
    ai.put(ROOT, "ai", ScalarValue::Null).expect("unlabel");
    ai.commit();
    assert_eq!(
        field_of(check_document(&ai, &asker(), &ai_kind).expect_err("unlabelled")),
        "ai",
        "an AI answer stays labelled"
    );
    let human_kind = DocKind::CommunityAnswer {
        question_id: "q1".into(),
        answer_id: "a-asker".into(),
        ai_model: None,
    };
    let human = create_answer(&new_answer("asker", Some("gpt"))).expect("ai");
    assert_eq!(
        field_of(check_document(&human, &asker(), &human_kind).expect_err("relabelled")),
        "ai"
    );
    assert_eq!(
        field_of(check_document(&human, &asker(), &DocKind::Private).expect_err("not community")),
        "type"
    );
}

#[test]
fn concurrent_edits_of_one_owner_merge() {
    let mut laptop = create_question(&new_question()).expect("create");
    let mut desktop = laptop.fork();
    edit_question(
        &mut laptop,
        &QuestionEdit {
            title: Some("바레코드 잡는 법 (F코드)".into()),
            body: None,
        },
        10,
    )
    .expect("title");
    set_accepted_answer(&mut desktop, Some("a-helper")).expect("accept");
    laptop.merge(&mut desktop).expect("merge");
    let q = read_question(&laptop).expect("read");
    assert_eq!(q.title, "바레코드 잡는 법 (F코드)");
    assert_eq!(q.accepted_answer.as_deref(), Some("a-helper"));
}

//! Bad input gets clear errors (over sync and HTTP); votes, one per user.

use reqwest::StatusCode;
use serde_json::json;
use tutti_sync::automerge::transaction::Transactable;
use tutti_sync::automerge::{AutoCommit, ROOT};
use tutti_sync::community::{QuestionEdit, edit_question};
use tutti_sync::{DocumentId, UserId};

use super::posts::*;
use crate::support::{TestServer, expect_error, expect_json, unique_hobby};
use crate::sync::{SyncClient, device, pump};

#[tokio::test]
async fn bad_input_gets_clear_errors() {
    let server = TestServer::start().await;
    let asker = member(&server, "질문자").await;
    let token = &asker.token;
    let asker_id = UserId::new(asker.id.clone());

    // a question with an empty title, written past the helpers: not created
    let mut doc = AutoCommit::new();
    for (k, v) in [
        ("type", "communityQuestion"),
        ("questionId", "q-empty-title"),
    ] {
        doc.put(ROOT, k, v).unwrap();
    }
    for (k, v) in [
        ("askerId", asker.id.as_str()),
        ("hobby", "guitar"),
        ("title", ""),
        ("body", "본문"),
    ] {
        doc.put(ROOT, k, v).unwrap();
    }
    doc.put(ROOT, "createdAt", 1_i64).unwrap();
    doc.commit();
    let mut dev = device();
    let empty_doc = tutti_sync::community::question_document_id("q-empty-title", &asker_id);
    dev.open_document(empty_doc, doc.document().clone());
    // and an answer to a question that does not exist
    let (_, orphan_doc) = answer(&mut dev, &asker, "no-such-question", "답", None);
    let mut c = SyncClient::connect(server.addr, token, dev).await;
    c.push(&empty_doc).await;
    c.push(&orphan_doc).await;
    pump(&mut [&mut c], "both creations are refused", |c| {
        c[0].errors.len() >= 2
    })
    .await;
    let errors = c.errors.join("\n");
    assert!(
        errors.contains("field `title`: must not be empty"),
        "{errors}"
    );
    assert!(
        errors.contains("there is no question no-such-question"),
        "{errors}"
    );
    expect_error(
        server
            .get("/api/v1/community/questions/q-empty-title", Some(token))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // a 1 MB body on an edit of a stored question: refused, not stored
    let (question_id, question_doc) = ask(&mut c.session, &asker, "guitar", "제목", "본문");
    c.push(&question_doc).await;
    pump(&mut [&mut c], "the question is stored", |c| {
        c[0].acknowledged(&question_doc)
    })
    .await;
    let megabyte = "가".repeat(350_000); // 1 050 000 bytes of UTF-8
    edit(&mut c.session, &question_doc, |d| {
        d.put(ROOT, "body", megabyte.as_str()).unwrap();
    });
    let errors = push_refused(&mut c, &question_doc).await;
    assert!(
        errors.contains("field `body`") && errors.contains("longer than 20000"),
        "{errors}"
    );
    assert_eq!(
        thread(&server, token, &question_id).await["question"]["body"],
        "본문"
    );
    assert!(
        edit_question(&mut AutoCommit::new(), &QuestionEdit::default(), 0).is_err(),
        "the helpers refuse what the server refuses"
    );

    // HTTP: unknown posts are 404, bad parameters 422 naming the field
    expect_error(
        server
            .get("/api/v1/community/questions/nope", Some(token))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        server
            .put(
                "/api/v1/community/answers/nope/vote",
                &json!({"value": 1}),
                token,
            )
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for (query, field) in [
        ("sort=best", "sort"),
        ("limit=0", "limit"),
        ("cursor=x", "cursor"),
    ] {
        let body = expect_error(
            server
                .get(&format!("/api/v1/community/questions?{query}"), Some(token))
                .await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        )
        .await;
        assert_eq!(body["field"], field);
    }
    expect_error(
        server.get("/api/v1/community/questions", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn votes_are_one_per_user_and_order_the_thread() {
    let server = TestServer::start().await;
    let asker = member(&server, "질문자").await;
    let first = member(&server, "첫째").await;
    let second = member(&server, "둘째").await;
    let mut dev = device();
    let (question_id, question_doc) = ask(&mut dev, &asker, &unique_hobby(), "제목", "본문");
    sync_up(&server, &asker, dev, &[question_doc])
        .await
        .disconnect()
        .await;
    let mut ids: Vec<(String, DocumentId)> = Vec::new();
    for who in [&first, &second] {
        let mut dev = device();
        let (id, doc) = answer(&mut dev, who, &question_id, "답변", None);
        sync_up(&server, who, dev, &[doc]).await.disconnect().await;
        ids.push((id, doc));
    }
    let (first_answer, second_answer) = (&ids[0].0, &ids[1].0);
    let vote = |answer: &str, value: i64, token: &str| {
        let path = format!("/api/v1/community/answers/{answer}/vote");
        let token = token.to_owned();
        let server = &server;
        async move { server.put(&path, &json!({"value": value}), &token).await }
    };
    // the asker votes the second answer up twice: one vote
    for _ in 0..2 {
        let v = expect_json(vote(second_answer, 1, &asker.token).await, StatusCode::OK).await;
        assert_eq!(
            (v["up_votes"].as_i64(), v["my_vote"].as_i64()),
            (Some(1), Some(1))
        );
    }
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(
        answer_ids(&t),
        [second_answer.as_str(), first_answer.as_str()],
        "higher score first"
    );
    // the first answerer votes the second answer down, then takes it back
    let v = expect_json(vote(second_answer, -1, &first.token).await, StatusCode::OK).await;
    assert_eq!(
        (v["score"].as_i64(), v["down_votes"].as_i64()),
        (Some(0), Some(1))
    );
    let v = expect_json(vote(second_answer, 0, &first.token).await, StatusCode::OK).await;
    assert_eq!(
        (v["score"].as_i64(), v["my_vote"].as_i64()),
        (Some(1), Some(0))
    );
    // nobody votes on their own answer; only 1, -1 and 0 are votes
    expect_error(
        vote(first_answer, 1, &first.token).await,
        StatusCode::FORBIDDEN,
        "own_answer",
    )
    .await;
    let bad = expect_error(
        vote(first_answer, 2, &second.token).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(bad["field"], "value");
    let t = thread(&server, &second.token, &question_id).await;
    assert_eq!(
        t["answers"][0]["my_vote"], 0,
        "the viewer's own vote is shown"
    );
    assert_eq!(t["answers"][0]["score"], 1);
    server.stop().await;
}

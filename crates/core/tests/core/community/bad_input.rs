//! Bad input gets a clear error naming the field or the unknown post, and
//! changes nothing.

use tutti_core::Error;
use tutti_core::community::dto::{QuestionEditInput, QuestionFilter};

use super::stored;
use crate::sync::{Server, signed_in_core};

fn field(err: Error) -> &'static str {
    match err {
        Error::InvalidInput { field, .. } => field,
        other => panic!("expected invalid_input, got {} ({other})", other.code()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_naming_the_field_and_changes_nothing() {
    let server = Server::start().await;
    let user = signed_in_core(&server, "user", "female").await;
    let app = &user.tutti;
    let qid = app
        .community_ask("cooking", "김치찌개", "돼지고기는 언제 넣나요?")
        .unwrap()
        .summary
        .question_id;
    let aid = app.community_answer(&qid, "먼저 볶아요").unwrap().answer_id;
    let before = stored(&user);
    let megabyte = "a".repeat(1 << 20);

    for (err, want) in [
        (
            app.community_ask("cooking", "", "본문").unwrap_err(),
            "title",
        ),
        (
            app.community_ask("cooking", "  \n ", "본문").unwrap_err(),
            "title",
        ),
        (
            app.community_ask("cooking", &"제".repeat(201), "본문")
                .unwrap_err(),
            "title",
        ),
        (
            app.community_ask("cooking", "제목", "").unwrap_err(),
            "body",
        ),
        (
            app.community_ask("cooking", "제목", &megabyte).unwrap_err(),
            "body",
        ),
        (app.community_ask(" ", "제목", "본문").unwrap_err(), "hobby"),
        (app.community_answer(&qid, &megabyte).unwrap_err(), "body"),
        (
            app.community_answer("bad id!", "답").unwrap_err(),
            "question_id",
        ),
        (app.community_edit_answer(&aid, " ").unwrap_err(), "body"),
        (
            app.community_edit_question(&qid, QuestionEditInput::default())
                .unwrap_err(),
            "title",
        ),
        (
            app.community_edit_question(
                &qid,
                QuestionEditInput {
                    title: None,
                    body: Some(megabyte.clone()),
                },
            )
            .unwrap_err(),
            "body",
        ),
        (app.community_vote(&aid, 2).await.unwrap_err(), "value"),
        (
            app.community_questions(QuestionFilter {
                q: Some("가".repeat(201)),
                ..QuestionFilter::default()
            })
            .await
            .unwrap_err(),
            "q",
        ),
    ] {
        assert_eq!(field(err), want);
    }

    let unknown = "0123456789abcdef0123456789abcdef";
    for err in [
        app.community_answer(unknown, "답").unwrap_err(),
        app.community_thread(unknown).await.unwrap_err(),
        app.community_edit_question(
            unknown,
            QuestionEditInput {
                title: Some("새 제목".into()),
                body: None,
            },
        )
        .unwrap_err(),
        app.community_delete_question(unknown).unwrap_err(),
        app.community_edit_answer(unknown, "고침").unwrap_err(),
        app.community_delete_answer(unknown).unwrap_err(),
        app.community_accept(&qid, Some(unknown)).unwrap_err(),
        app.community_vote(unknown, 1).await.unwrap_err(),
        app.community_answer_ai(unknown).await.unwrap_err(),
    ] {
        assert_eq!(err.code(), "not_found", "{err}");
        assert!(
            err.to_string().contains(unknown),
            "the error names the post: {err}"
        );
    }
    assert_eq!(stored(&user), before, "nothing was written");
}

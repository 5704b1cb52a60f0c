//! Posting local first: a question asked offline syncs when the server is
//! back; answers written by two users (one of them offline) merge into one
//! thread that every core shows the same, and that reads offline afterwards.

use tutti_core::community::dto::{QuestionEditInput, QuestionFilter};
use tutti_sync::UserId;
use tutti_sync::community::{answer_document_id, question_document_id};

use super::{listed, stored_doc, synced, thread};
use crate::sync::{Server, eventually, signed_in_core};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_asked_offline_syncs_later_and_shows_in_the_other_users_list() {
    let server = Server::start().await;
    let addr = server.addr.to_string();
    let asker = signed_in_core(&server, "asker", "female").await;
    let reader = signed_in_core(&server, "reader", "male").await;
    let data = server.stop().await;

    // Offline: asked, listed from this device, and kept across a restart.
    let q = asker
        .tutti
        .community_ask(
            "guitar",
            "바레코드 잡는 법",
            "검지가 너무 아파요. 어떻게 연습하나요?",
        )
        .unwrap();
    let id = q.summary.question_id.clone();
    assert!(
        q.summary.mine && q.summary.pending,
        "mine, and the server has not acknowledged it"
    );
    assert_eq!(
        listed(&asker, QuestionFilter::default()).await,
        (vec![id.clone()], true),
        "offline, the list comes from this device"
    );
    assert_eq!(
        listed(&reader, QuestionFilter::default()).await,
        (vec![], true),
        "the other user knows nothing of it yet"
    );
    // Still offline: the asker adds an answer of their own and edits the title.
    let own = asker
        .tutti
        .community_answer(&id, "추가: 어쿠스틱 기타예요")
        .unwrap();
    let edited = asker
        .tutti
        .community_edit_question(
            &id,
            QuestionEditInput {
                title: Some("바레코드 잡는 법 (F 코드)".into()),
                body: None,
            },
        )
        .unwrap();
    assert_eq!(edited.summary.title, "바레코드 잡는 법 (F 코드)");
    let asker = asker.restart();
    let mine = asker.tutti.community_my_questions().unwrap();
    assert_eq!(mine.len(), 1, "survives a restart");
    assert_eq!(mine[0].title, "바레코드 잡는 법 (F 코드)");
    assert_eq!(mine[0].answer_count, 1);

    // The server is back: the sync uploads it and the other user sees it.
    let server = Server::start_in(data, &addr).await;
    let sync = asker.tutti.chat_sync_start().unwrap();
    eventually("the reader's list shows the question", || async {
        listed(&reader, QuestionFilter::default()).await == (vec![id.clone()], false)
    })
    .await;
    eventually("the reader sees the edit and the answer", || async {
        thread(&reader, &id).await.is_some_and(|t| {
            t.question.summary.title == "바레코드 잡는 법 (F 코드)"
                && t.answers.len() == 1
                && t.answers[0].answer_id == own.answer_id
        })
    })
    .await;
    let t = thread(&reader, &id).await.expect("the reader opens it");
    assert_eq!(t.question.body, "검지가 너무 아파요. 어떻게 연습하나요?");
    assert_eq!(t.question.summary.asker_name.as_deref(), Some("asker"));
    assert!(!t.question.summary.mine && !t.from_cache);
    assert_eq!(t.answers[0].body, "추가: 어쿠스틱 기타예요");
    eventually("the asker's copy is acknowledged", || async {
        !asker.tutti.community_my_questions().unwrap()[0].pending
    })
    .await;
    let list = asker
        .tutti
        .community_questions(QuestionFilter::default())
        .await
        .unwrap();
    assert_eq!(list.questions.len(), 1, "listed once, not as pending too");

    // Deleting syncs too: the answer, then the question, leave the reader's view.
    asker.tutti.community_delete_answer(&own.answer_id).unwrap();
    eventually("the reader no longer sees the answer", || async {
        thread(&reader, &id)
            .await
            .is_some_and(|t| t.answers.is_empty())
    })
    .await;
    asker.tutti.community_delete_question(&id).unwrap();
    assert!(asker.tutti.community_my_questions().unwrap().is_empty());
    eventually("the question leaves the reader's list", || async {
        listed(&reader, QuestionFilter::default()).await == (vec![], false)
    })
    .await;
    let err = reader.tutti.community_thread(&id).await.unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    sync.stop().await;
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_from_two_users_merge_into_one_thread_that_reads_offline() {
    let server = Server::start().await;
    let asker = signed_in_core(&server, "asker", "female").await;
    let first = signed_in_core(&server, "first", "male").await;
    let second = signed_in_core(&server, "second", "female").await;
    let sa = asker.tutti.chat_sync_start().unwrap();
    synced(&sa).await;
    let id = asker
        .tutti
        .community_ask("piano", "스케일 연습", "하루에 얼마나 해야 하나요?")
        .unwrap()
        .summary
        .question_id;
    eventually("the helpers can open the thread", || async {
        thread(&first, &id).await.is_some() && thread(&second, &id).await.is_some()
    })
    .await;

    // The second helper answers without a running sync (offline), the first live.
    let a2 = second
        .tutti
        .community_answer(&id, "매일 15분이면 충분해요")
        .unwrap();
    assert!(a2.pending && a2.mine);
    let t = thread(&second, &id).await.unwrap();
    assert!(
        t.answers
            .iter()
            .any(|a| a.answer_id == a2.answer_id && a.pending),
        "an unsent answer shows in its author's thread at once"
    );
    let s1 = first.tutti.chat_sync_start().unwrap();
    let a1 = first
        .tutti
        .community_answer(&id, "메트로놈을 켜고 천천히 시작하세요")
        .unwrap();
    eventually("the asker sees the first answer", || async {
        thread(&asker, &id)
            .await
            .is_some_and(|t| t.answers.iter().any(|a| a.answer_id == a1.answer_id))
    })
    .await;
    let s2 = second.tutti.chat_sync_start().unwrap();
    let both = |t: &tutti_core::community::dto::ThreadView| {
        let mut ids: Vec<&str> = t.answers.iter().map(|a| a.answer_id.as_str()).collect();
        ids.sort();
        let mut want = vec![a1.answer_id.as_str(), a2.answer_id.as_str()];
        want.sort();
        ids == want && t.answers.iter().all(|a| !a.pending)
    };
    eventually("every core shows both answers, acknowledged", || async {
        let (ta, t1, t2) = (
            thread(&asker, &id).await,
            thread(&first, &id).await,
            thread(&second, &id).await,
        );
        [ta, t1, t2].iter().all(|t| t.as_ref().is_some_and(both))
    })
    .await;
    let order = |t: tutti_core::community::dto::ThreadView| -> Vec<String> {
        t.answers.into_iter().map(|a| a.answer_id).collect()
    };
    assert_eq!(
        order(thread(&asker, &id).await.unwrap()),
        order(thread(&first, &id).await.unwrap()),
        "the same order everywhere"
    );
    let ta = thread(&asker, &id).await.unwrap();
    assert_eq!(ta.question.summary.answer_count, 2);
    let names: Vec<Option<&str>> = ta
        .answers
        .iter()
        .map(|a| a.author_name.as_deref())
        .collect();
    assert!(names.contains(&Some("first")) && names.contains(&Some("second")));

    // The asker opened the thread, so the sync fetched every post's document.
    let (qdoc, d1, d2) = (
        question_document_id(&id, &UserId::new(asker.user_id.clone())),
        answer_document_id(&id, &a1.answer_id, &UserId::new(first.user_id.clone())),
        answer_document_id(&id, &a2.answer_id, &UserId::new(second.user_id.clone())),
    );
    eventually("the asker holds both answers' documents", || async {
        stored_doc(&asker, &d1).is_some() && stored_doc(&asker, &d2).is_some()
    })
    .await;
    eventually("the helpers hold the question's document", || async {
        stored_doc(&first, &qdoc).is_some() && stored_doc(&second, &qdoc).is_some()
    })
    .await;

    // Offline, the thread is read from this device.
    sa.stop().await;
    s1.stop().await;
    s2.stop().await;
    let _data = server.stop().await;
    let offline = thread(&asker, &id).await.expect("the thread reads offline");
    assert!(offline.from_cache);
    assert!(both(&offline), "both answers, from the stored documents");
    let bodies: Vec<&str> = offline.answers.iter().map(|a| a.body.as_str()).collect();
    assert!(bodies.contains(&"매일 15분이면 충분해요"), "{bodies:?}");
    assert_eq!(
        listed(&first, QuestionFilter::default()).await,
        (vec![id.clone()], true),
        "an opened thread is listed offline"
    );
}

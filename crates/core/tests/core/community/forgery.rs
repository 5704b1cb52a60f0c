//! Only a post's owner changes it: the core refuses before writing anything,
//! and a change forged into a copy of another user's document and offered to
//! the server directly is refused there, neither stored nor forwarded.

use tutti_core::community::dto::QuestionEditInput;
use tutti_sync::UserId;
use tutti_sync::automerge::AutoCommit;
use tutti_sync::community::{
    QuestionEdit, answer_document_id, edit_answer, edit_question, question_document_id,
    read_answer, read_question,
};

use super::{access_token, offer_directly, stored, stored_doc, synced, thread};
use crate::sync::{Server, eventually, signed_in_core};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_changes_another_users_question_or_answer() {
    let server = Server::start().await;
    let alice = signed_in_core(&server, "alice", "female").await;
    let bob = signed_in_core(&server, "bob", "male").await;
    let (sa, sb) = (
        alice.tutti.chat_sync_start().unwrap(),
        bob.tutti.chat_sync_start().unwrap(),
    );
    synced(&sa).await;
    synced(&sb).await;
    let qid = alice
        .tutti
        .community_ask("drawing", "원근법 질문", "소실점은 몇 개가 좋나요?")
        .unwrap()
        .summary
        .question_id;
    eventually("bob opens the thread", || async {
        thread(&bob, &qid).await.is_some()
    })
    .await;
    let aid = bob
        .tutti
        .community_answer(&qid, "처음엔 한 개로 시작하세요")
        .unwrap()
        .answer_id;
    eventually("alice sees bob's answer", || async {
        thread(&alice, &qid)
            .await
            .is_some_and(|t| t.answers.iter().any(|a| a.answer_id == aid))
    })
    .await;
    let qdoc = question_document_id(&qid, &UserId::new(alice.user_id.clone()));
    let adoc = answer_document_id(&qid, &aid, &UserId::new(bob.user_id.clone()));
    eventually("each holds the other's document", || async {
        stored_doc(&bob, &qdoc).is_some() && stored_doc(&alice, &adoc).is_some()
    })
    .await;

    // Through the core: refused naming the rule, nothing written.
    let (before_a, before_b) = (stored(&alice), stored(&bob));
    let edit = QuestionEditInput {
        title: Some("바뀐 제목".into()),
        body: None,
    };
    for err in [
        bob.tutti
            .community_edit_question(&qid, edit.clone())
            .unwrap_err(),
        bob.tutti.community_delete_question(&qid).unwrap_err(),
        bob.tutti.community_accept(&qid, Some(&aid)).unwrap_err(),
        alice
            .tutti
            .community_edit_answer(&aid, "다른 사람이 고친 답")
            .unwrap_err(),
        alice.tutti.community_delete_answer(&aid).unwrap_err(),
    ] {
        assert_eq!(err.code(), "not_owner", "{err}");
    }
    assert_eq!(stored(&alice), before_a, "alice's store is unchanged");
    assert_eq!(stored(&bob), before_b, "bob's store is unchanged");

    // Forged in a copy and offered straight to the server: refused.
    let mut forged = AutoCommit::load(&stored_doc(&bob, &qdoc).unwrap().save()).unwrap();
    edit_question(
        &mut forged,
        &QuestionEdit {
            title: Some("FORGED".into()),
            body: None,
        },
        1,
    )
    .unwrap();
    let refusal = offer_directly(
        &server,
        &access_token(&server, &bob).await,
        qdoc,
        forged.document().clone(),
    )
    .await;
    assert!(refusal.contains("refused"), "{refusal}");
    let mut forged = AutoCommit::load(&stored_doc(&alice, &adoc).unwrap().save()).unwrap();
    edit_answer(&mut forged, "FORGED", 1).unwrap();
    let refusal = offer_directly(
        &server,
        &access_token(&server, &alice).await,
        adoc,
        forged.document().clone(),
    )
    .await;
    assert!(refusal.contains("refused"), "{refusal}");

    // Not stored: the server's thread is as it was. Not forwarded: a later
    // legitimate answer reaches alice, and her copies are still the originals.
    let later = bob
        .tutti
        .community_answer(&qid, "두 번째 답")
        .unwrap()
        .answer_id;
    eventually("alice sees bob's later answer", || async {
        thread(&alice, &qid)
            .await
            .is_some_and(|t| t.answers.iter().any(|a| a.answer_id == later))
    })
    .await;
    let t = thread(&bob, &qid).await.unwrap();
    assert_eq!(
        t.question.summary.title, "원근법 질문",
        "the server kept the title"
    );
    let answer = t.answers.iter().find(|a| a.answer_id == aid).unwrap();
    assert_eq!(answer.body, "처음엔 한 개로 시작하세요");
    let theirs = read_question(&stored_doc(&bob, &qdoc).unwrap()).unwrap();
    assert_eq!(
        theirs.title, "원근법 질문",
        "bob's core never stored the forgery"
    );
    let mine = read_question(&stored_doc(&alice, &qdoc).unwrap()).unwrap();
    assert_eq!(mine.title, "원근법 질문");
    let copy = read_answer(&stored_doc(&alice, &adoc).unwrap()).unwrap();
    assert_eq!(copy.body, "처음엔 한 개로 시작하세요");
    sa.stop().await;
    sb.stop().await;
}

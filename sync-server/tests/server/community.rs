//! Community Q&A against the real server: questions and answers posted as
//! Automerge documents over `/sync` by real `ClientSession`s (written offline,
//! synced later), the thread index read over HTTP.

pub mod assistant;
mod input;
pub mod posts;
pub mod provider;
mod real_model;

use reqwest::StatusCode;
use serde_json::json;
use tutti_sync::automerge::ROOT;
use tutti_sync::automerge::transaction::Transactable;
use tutti_sync::community::{QuestionEdit, edit_answer, edit_question, set_accepted_answer};

use crate::support::{TestServer, expect_error, expect_json, unique_hobby};
use crate::sync::{SyncClient, device, pump};
use posts::*;

/// Two people answer one question (one of them offline first); the asker's
/// other device downloads all three documents; the thread lists both.
pub async fn two_answers_flow(server: &TestServer) {
    let hobby = unique_hobby();
    let asker = member(server, "질문자").await;
    let mentor = member(server, "멘토").await;
    let learner = member(server, "학습자").await;

    let mut phone = device();
    let (question_id, question_doc) = ask(
        &mut phone,
        &asker,
        &hobby,
        "바레코드 잡는 법",
        "오늘 바레코드가 어려워요",
    );
    let a = sync_up(server, &asker, phone, &[question_doc]).await;

    let mut m_dev = device();
    let (m_answer, m_doc) = answer(
        &mut m_dev,
        &mentor,
        &question_id,
        "검지를 곧게 펴세요",
        None,
    );
    let mut l_dev = device();
    let (l_answer, l_doc) = answer(
        &mut l_dev,
        &learner,
        &question_id,
        "저는 카포를 썼어요",
        None,
    );
    let m = sync_up(server, &mentor, m_dev, &[m_doc]).await;
    let l = sync_up(server, &learner, l_dev, &[l_doc]).await;

    let t = thread(server, &learner.token, &question_id).await;
    assert_eq!(t["question"]["title"], "바레코드 잡는 법");
    assert_eq!(t["question"]["body"], "오늘 바레코드가 어려워요");
    assert_eq!(t["question"]["asker_name"], "질문자");
    assert_eq!(t["question"]["document_id"], question_doc.to_string());
    assert_eq!(t["question"]["answer_count"], 2);
    let mut ids = answer_ids(&t);
    ids.sort_unstable();
    let mut expected = vec![m_answer.as_str(), l_answer.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected, "both people's answers are in the thread");
    for a in t["answers"].as_array().unwrap() {
        assert_eq!(a["ai"], json!(null), "people's answers carry no AI label");
    }

    // the asker's laptop downloads the question and both answers by id
    let mut laptop = device();
    for id in [question_doc, m_doc, l_doc] {
        laptop.request_document(id);
    }
    let mut lap = SyncClient::connect(server.addr, &asker.token, laptop).await;
    pump(&mut [&mut lap], "the laptop has all three posts", |c| {
        [question_doc, m_doc, l_doc].iter().all(|id| {
            c[0].session
                .document(id)
                .is_some_and(|d| !d.get_heads().is_empty())
        })
    })
    .await;
    let got = tutti_sync::community::read_answer(lap.session.document(&l_doc).unwrap())
        .expect("a valid answer");
    assert_eq!(got.body, "저는 카포를 썼어요");
    for c in [a, m, l, lap] {
        c.disconnect().await;
    }
}

#[tokio::test]
async fn answers_from_two_users_merge_into_one_thread() {
    let server = TestServer::start().await;
    two_answers_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn nobody_changes_anothers_question_or_answer() {
    let server = TestServer::start().await;
    let hobby = unique_hobby();
    let asker = member(&server, "질문자").await;
    let helper = member(&server, "도우미").await;
    let mallory = member(&server, "말로리").await;
    let mut dev = device();
    let (question_id, question_doc) = ask(&mut dev, &asker, &hobby, "원래 제목", "원래 본문");
    sync_up(&server, &asker, dev, &[question_doc])
        .await
        .disconnect()
        .await;
    let mut dev = device();
    let (_, answer_doc) = answer(&mut dev, &helper, &question_id, "원래 답변", None);
    sync_up(&server, &helper, dev, &[answer_doc])
        .await
        .disconnect()
        .await;

    // mallory downloads both posts (they are public) and edits her copies
    let mut dev = device();
    dev.request_document(question_doc);
    dev.request_document(answer_doc);
    let mut x = SyncClient::connect(server.addr, &mallory.token, dev).await;
    pump(&mut [&mut x], "mallory reads both posts", |c| {
        [question_doc, answer_doc].iter().all(|id| {
            c[0].session
                .document(id)
                .is_some_and(|d| !d.get_heads().is_empty())
        })
    })
    .await;
    edit(&mut x.session, &question_doc, |d| {
        edit_question(
            d,
            &QuestionEdit {
                title: Some("탈취된 제목".into()),
                body: None,
            },
            5,
        )
        .expect("edit")
    });
    edit(&mut x.session, &answer_doc, |d| {
        edit_answer(d, "탈취된 답변", 5).expect("edit")
    });
    for id in [question_doc, answer_doc] {
        let errors = push_refused(&mut x, &id).await;
        assert!(
            errors.contains("change refused") && errors.contains("may not change a document"),
            "{errors}"
        );
    }
    x.disconnect().await;

    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(
        t["question"]["title"], "원래 제목",
        "the index kept the title"
    );
    assert_eq!(t["answers"][0]["body"], "원래 답변");
    // and the store kept the documents: a fresh device gets the originals
    let mut dev = device();
    dev.request_document(question_doc);
    let mut f = SyncClient::connect(server.addr, &helper.token, dev).await;
    pump(&mut [&mut f], "a fresh device reads the question", |c| {
        c[0].session
            .document(&question_doc)
            .is_some_and(|d| !d.get_heads().is_empty())
    })
    .await;
    let q = tutti_sync::community::read_question(f.session.document(&question_doc).unwrap())
        .expect("valid");
    assert_eq!(q.title, "원래 제목", "mallory's change was not stored");
    f.disconnect().await;
    server.stop().await;
}

#[tokio::test]
async fn an_ai_answer_is_labelled_and_only_a_persons_answer_is_accepted() {
    let server = TestServer::start().await;
    let hobby = unique_hobby();
    let asker = member(&server, "질문자").await;
    let mentor = member(&server, "멘토").await;
    let mut dev = device();
    let (question_id, question_doc) = ask(&mut dev, &asker, &hobby, "F코드", "소리가 안 나요");
    let mut a = sync_up(&server, &asker, dev, &[question_doc]).await;
    // the asker's own AI provider answers; the app stores it labelled
    let (ai_answer, ai_doc) = answer(
        &mut a.session,
        &asker,
        &question_id,
        "손가락 끝으로 누르세요",
        Some("SmolLM2-135M-Instruct"),
    );
    push_acknowledged(&mut a, &[ai_doc]).await;
    let mut dev = device();
    let (human_answer, human_doc) = answer(&mut dev, &mentor, &question_id, "줄을 세게", None);
    sync_up(&server, &mentor, dev, &[human_doc])
        .await
        .disconnect()
        .await;

    let t = thread(&server, &mentor.token, &question_id).await;
    let ai = t["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["answer_id"] == ai_answer.as_str())
        .expect("the AI answer is in the thread");
    assert_eq!(ai["ai"]["model"], "SmolLM2-135M-Instruct");
    assert_eq!(t["question"]["human_answer_count"], 1);

    // the asker marks the AI answer helpful: fine
    let helpful = server
        .put(
            &format!("/api/v1/community/answers/{ai_answer}/helpful"),
            &json!({"helpful": true}),
            &asker.token,
        )
        .await;
    assert_eq!(expect_json(helpful, StatusCode::OK).await["helpful"], true);
    let not_asker = server
        .put(
            &format!("/api/v1/community/answers/{human_answer}/helpful"),
            &json!({"helpful": true}),
            &mentor.token,
        )
        .await;
    expect_error(not_asker, StatusCode::FORBIDDEN, "not_asker").await;

    // accepting the AI answer: refused, not stored, writer disconnected
    edit(&mut a.session, &question_doc, |d| {
        set_accepted_answer(d, Some(ai_answer.as_str())).expect("accept")
    });
    let errors = push_refused(&mut a, &question_doc).await;
    assert!(
        errors.contains("written by AI") && errors.contains("acceptedAnswer"),
        "{errors}"
    );
    pump(&mut [&mut a], "the server closes the writer", |c| {
        c[0].closed_by_server
    })
    .await;
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(t["question"]["accepted_answer_id"], json!(null));

    // the same asker accepts the person's answer from another device
    let mut dev = device();
    dev.request_document(question_doc);
    let mut b = SyncClient::connect(server.addr, &asker.token, dev).await;
    pump(&mut [&mut b], "the question downloads", |c| {
        c[0].session
            .document(&question_doc)
            .is_some_and(|d| !d.get_heads().is_empty())
    })
    .await;
    let stored = tutti_sync::community::read_question(b.session.document(&question_doc).unwrap())
        .expect("valid");
    assert_eq!(
        stored.accepted_answer, None,
        "the refused change is not stored"
    );
    edit(&mut b.session, &question_doc, |d| {
        set_accepted_answer(d, Some(human_answer.as_str())).expect("accept")
    });
    b.push(&question_doc).await;
    pump(&mut [&mut b], "the acceptance is stored", |c| {
        c[0].acknowledged(&question_doc)
    })
    .await;
    assert!(b.errors.is_empty(), "{:?}", b.errors);
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(t["question"]["accepted_answer_id"], human_answer.as_str());
    assert_eq!(
        answer_ids(&t)[0],
        human_answer,
        "the accepted answer comes first"
    );
    assert_eq!(t["answers"][0]["accepted"], true);
    assert_eq!(t["answers"][1]["accepted"], false);
    assert_eq!(t["answers"][1]["helpful"], true);
    b.disconnect().await;
    server.stop().await;
}

#[tokio::test]
async fn an_ai_answer_cannot_lose_its_label() {
    let server = TestServer::start().await;
    let asker = member(&server, "질문자").await;
    let mut dev = device();
    let (question_id, question_doc) = ask(&mut dev, &asker, &unique_hobby(), "제목", "본문");
    let mut a = sync_up(&server, &asker, dev, &[question_doc]).await;
    let (_, ai_doc) = answer(
        &mut a.session,
        &asker,
        &question_id,
        "AI의 답",
        Some("llama3"),
    );
    push_acknowledged(&mut a, &[ai_doc]).await;
    edit(&mut a.session, &ai_doc, |d| {
        d.put(ROOT, "ai", tutti_sync::automerge::ScalarValue::Null)
            .expect("unlabel");
    });
    let errors = push_refused(&mut a, &ai_doc).await;
    assert!(
        errors.contains("`ai`") && errors.contains("fixed at creation"),
        "{errors}"
    );
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(t["answers"][0]["ai"]["model"], "llama3", "still labelled");
    server.stop().await;
}

/// Search finds a Korean word inside a body (FTS5 trigram on SQLite, ILIKE on
/// PostgreSQL), short words too; hobby and unanswered filters.
pub async fn search_flow(server: &TestServer) {
    let hobby = unique_hobby();
    let other_hobby = unique_hobby();
    let asker = member(server, "질문자").await;
    let mut dev = device();
    let (barre, barre_doc) = ask(
        &mut dev,
        &asker,
        &hobby,
        "질문 있어요",
        "오늘 바레코드가 어려워요",
    );
    let (scale, scale_doc) = ask(
        &mut dev,
        &asker,
        &other_hobby,
        "Scales",
        "How do I practise the C major scale?",
    );
    let mut c = sync_up(server, &asker, dev, &[barre_doc, scale_doc]).await;
    let (_, answer_doc) = answer(&mut c.session, &asker, &scale, "Slowly.", None);
    push_acknowledged(&mut c, &[answer_doc]).await;
    c.disconnect().await;
    let token = &asker.token;
    // every query names the hobby: a shared PostgreSQL keeps earlier runs' posts
    let find = |words: &str, hobby: &str| format!("q={}&hobby={hobby}", urlencode(words));
    assert_eq!(
        listed(server, token, &find("바레코드", &hobby)).await,
        [barre.as_str()]
    );
    assert_eq!(
        listed(server, token, &find("바레", &hobby)).await,
        [barre.as_str()],
        "a two-character word is found too"
    );
    assert!(
        listed(server, token, &find("피아노", &hobby))
            .await
            .is_empty()
    );
    assert_eq!(
        listed(server, token, &find("MAJOR SCALE", &other_hobby)).await,
        [scale.as_str()],
        "case does not matter"
    );
    assert_eq!(
        listed(server, token, &format!("hobby={other_hobby}")).await,
        [scale.as_str()]
    );
    for (h, id) in [(&hobby, &barre), (&other_hobby, &scale)] {
        let unanswered = listed(server, token, &format!("sort=unanswered&hobby={h}")).await;
        assert_eq!(
            unanswered.contains(id),
            id == &barre,
            "only {scale} has an answer"
        );
    }
}

#[tokio::test]
async fn search_finds_a_korean_word_inside_a_body() {
    let server = TestServer::start().await;
    search_flow(&server).await;
    server.stop().await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

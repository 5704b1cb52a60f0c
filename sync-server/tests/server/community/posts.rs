//! Posting as the desktop app will: question and answer documents written with
//! `tutti-sync`'s community helpers into a device's `ClientSession` (offline,
//! then synced), plus the HTTP reads of the thread index.

use reqwest::StatusCode;
use serde_json::Value;
use tutti_sync::automerge::AutoCommit;
use tutti_sync::community::{
    AiLabel, NewAnswer, NewQuestion, answer_document_id, create_answer, create_question,
    new_post_id, question_document_id,
};
use tutti_sync::{ClientSession, DocumentId, UserId};

use crate::support::{TestServer, expect_json};
use crate::sync::{Member, SyncClient, pump};

/// A fresh signed-in user.
pub async fn member(server: &TestServer, name: &str) -> Member {
    let (id, token) = server.user(name, "female").await;
    Member { id, token }
}

/// A question written on `device` (offline until the device syncs it).
pub fn ask(
    device: &mut ClientSession,
    asker: &Member,
    hobby: &str,
    title: &str,
    body: &str,
) -> (String, DocumentId) {
    let question_id = new_post_id();
    let mut doc = create_question(&NewQuestion {
        question_id: question_id.clone(),
        asker_id: UserId::new(asker.id.clone()),
        hobby: hobby.to_owned(),
        title: title.to_owned(),
        body: body.to_owned(),
        created_at: 1_700_000_000_000,
    })
    .expect("a valid question");
    let id = question_document_id(&question_id, &UserId::new(asker.id.clone()));
    device.open_document(id, doc.document().clone());
    (question_id, id)
}

/// An answer written on `device`; `ai` labels it as an AI provider's.
pub fn answer(
    device: &mut ClientSession,
    author: &Member,
    question_id: &str,
    body: &str,
    ai: Option<&str>,
) -> (String, DocumentId) {
    let answer_id = new_post_id();
    let mut doc = create_answer(&NewAnswer {
        question_id: question_id.to_owned(),
        answer_id: answer_id.clone(),
        author_id: UserId::new(author.id.clone()),
        body: body.to_owned(),
        created_at: 1_700_000_100_000,
        ai: ai.map(|model| AiLabel {
            model: model.to_owned(),
        }),
    })
    .expect("a valid answer");
    let id = answer_document_id(question_id, &answer_id, &UserId::new(author.id.clone()));
    device.open_document(id, doc.document().clone());
    (answer_id, id)
}

/// Edits a document the device holds, as the app does (locally, then synced).
pub fn edit(device: &mut ClientSession, id: &DocumentId, change: impl FnOnce(&mut AutoCommit)) {
    let doc = device.document(id).expect("the device holds the document");
    let mut copy = AutoCommit::load(&doc.save()).expect("load");
    copy.set_actor(doc.get_actor().clone());
    let before = copy.get_heads();
    change(&mut copy);
    copy.commit();
    let changes = copy.get_changes(&before);
    device
        .document_mut(id)
        .expect("held")
        .apply_changes(changes)
        .expect("apply");
}

/// Connects `device` as `who`, pushes `docs` and waits until the server
/// acknowledged them all (stored, and so indexed).
pub async fn sync_up(
    server: &TestServer,
    who: &Member,
    device: ClientSession,
    docs: &[DocumentId],
) -> SyncClient {
    let mut client = SyncClient::connect(server.addr, &who.token, device).await;
    for id in docs {
        client.push(id).await;
    }
    pump(&mut [&mut client], "the server stores the posts", |c| {
        !c[0].errors.is_empty() || docs.iter().all(|id| c[0].acknowledged(id))
    })
    .await;
    assert!(client.errors.is_empty(), "{:?}", client.errors);
    client
}

/// Pushes more documents on a live connection and waits for the acknowledgements.
/// (A device syncs a question before answers to it: the server refuses an
/// answer to a question it does not know yet, and the answer syncs at the
/// next connection.)
pub async fn push_acknowledged(client: &mut SyncClient, docs: &[DocumentId]) {
    for id in docs {
        client.push(id).await;
    }
    pump(&mut [&mut *client], "the server stores the posts", |c| {
        !c[0].errors.is_empty() || docs.iter().all(|id| c[0].acknowledged(id))
    })
    .await;
    assert!(client.errors.is_empty(), "{:?}", client.errors);
}

/// Pushes `id` and waits for the server's error (a refused change).
pub async fn push_refused(client: &mut SyncClient, id: &DocumentId) -> String {
    let before = client.errors.len();
    client.push(id).await;
    pump(&mut [&mut *client], "the server refuses the change", |c| {
        c[0].errors.len() > before
    })
    .await;
    client.errors[before..].join("\n")
}

/// `GET /api/v1/community/questions/{id}` → 200 body.
pub async fn thread(server: &TestServer, token: &str, question_id: &str) -> Value {
    let resp = server
        .get(
            &format!("/api/v1/community/questions/{question_id}"),
            Some(token),
        )
        .await;
    expect_json(resp, StatusCode::OK).await
}

/// `GET /api/v1/community/questions?<query>` → the question ids listed.
pub async fn listed(server: &TestServer, token: &str, query: &str) -> Vec<String> {
    let resp = server
        .get(&format!("/api/v1/community/questions?{query}"), Some(token))
        .await;
    expect_json(resp, StatusCode::OK).await["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["question_id"].as_str().expect("id").to_owned())
        .collect()
}

/// The answer ids of a thread, in the order the server gives them.
pub fn answer_ids(thread: &Value) -> Vec<&str> {
    thread["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["answer_id"].as_str().expect("id"))
        .collect()
}

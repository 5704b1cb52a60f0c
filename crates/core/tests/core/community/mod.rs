//! Community Q&A between real app cores through the real sync server (SQLite)
//! on 127.0.0.1:0, in this process: posting offline, answers from several
//! users merging, forged changes refused, the AI answer (against a real local
//! HTTP server speaking the OpenAI protocol), Korean search and bad input.
//! Needs an unlocked Secret Service, like the sync tests.

mod ai;
mod assistant;
mod bad_input;
mod forgery;
mod posting;
mod search;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rusqlite::Connection;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tutti_core::community::dto::{QuestionFilter, ThreadView};
use tutti_core::data_dir::DATABASE_FILE;
use tutti_sync::automerge::Automerge;
use tutti_sync::{ClientEvent, ClientSession, DocumentId, PeerId, PeerMetadata};

pub use super::sync::synced;
use super::sync::{Core, PASSWORD, Server};

/// The ids of the questions a core lists for `filter` (and whether offline).
pub async fn listed(core: &Core, filter: QuestionFilter) -> (Vec<String>, bool) {
    let list = core
        .tutti
        .community_questions(filter)
        .await
        .expect("the list");
    (
        list.questions.into_iter().map(|q| q.question_id).collect(),
        list.from_cache,
    )
}

/// The model was asked about `hobby` (in the system prompt) and read the
/// question's title and body (the user message).
pub fn asked_about(request: &crate::mentor::provider::Recorded, hobby: &str, title_and_body: &str) {
    let messages = request.body["messages"].as_array().unwrap();
    assert!(
        messages[0]["content"]
            .as_str()
            .unwrap()
            .contains(&format!("`{hobby}`")),
        "the system prompt names the hobby"
    );
    assert_eq!(
        messages[1]["content"], title_and_body,
        "the model reads the title and the body"
    );
}

/// The thread as `core` fetches it now, or `None` while the server lacks it.
pub async fn thread(core: &Core, question_id: &str) -> Option<ThreadView> {
    core.tutti.community_thread(question_id).await.ok()
}

/// Every community document row of a core: (document id, bytes).
pub fn stored(core: &Core) -> Vec<(String, Option<Vec<u8>>)> {
    let db = Connection::open(core.dir.path().join(DATABASE_FILE)).unwrap();
    let mut stmt = db
        .prepare("SELECT document_id, bytes FROM community_document ORDER BY document_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A document as a core stores it, once fetched.
pub fn stored_doc(core: &Core, document_id: &DocumentId) -> Option<Automerge> {
    stored(core)
        .into_iter()
        .find(|(id, _)| *id == document_id.encode())
        .and_then(|(_, bytes)| bytes)
        .map(|b| Automerge::load(&b).expect("a stored document loads"))
}

/// A fresh access token of `core`'s account, straight from the server.
pub async fn access_token(server: &Server, core: &Core) -> String {
    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/v1/sessions", server.url()))
        .json(&serde_json::json!({"email": core.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

/// Speaks the sync protocol directly with `token`, offering `doc` as
/// `document_id`; returns the first error the server reports.
pub async fn offer_directly(
    server: &Server,
    token: &str,
    document_id: DocumentId,
    doc: Automerge,
) -> String {
    let mut request = format!("ws://{}/sync", server.addr)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut session = ClientSession::new(PeerId::random(), PeerMetadata::default());
    session.open_document(document_id, doc);
    ws.send(Message::Binary(session.connect().into()))
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(Ok(frame)) = ws.next().await {
            let Message::Binary(bytes) = frame else {
                continue;
            };
            let out = session.handle_frame(&bytes).unwrap();
            for f in out.frames {
                ws.send(Message::Binary(f.into())).await.unwrap();
            }
            for event in out.events {
                if let ClientEvent::ServerError { message } = event {
                    return message;
                }
            }
        }
        panic!("the connection ended without an error from the server");
    })
    .await
    .expect("the server answers the forged change")
}

//! A test sync client: a WebSocket driving `tutti-sync`'s `ClientSession`
//! (counting bytes, collecting errors), and the room and chat helpers.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Message};
use tutti_sync::automerge::{AutoCommit, Automerge, ChangeHash};
use tutti_sync::chat::{
    ChatHeader, ChatMessage, append_message, chat_document_id, create_chat_document,
    merge_messages, new_message, read_chat,
};
use tutti_sync::{
    ClientEvent, ClientSession, DocumentId, PeerId, PeerMetadata, RepoMessage, StorageId, UserId,
};

use crate::support::{TestServer, expect_json, unique_hobby};
pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub const MONTH: &str = "2026-11";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: String,
    pub token: String,
}

/// A mentor and a mentee whose match the mentor accepted: a chat room.
pub async fn accepted_room(server: &TestServer) -> (Member, Member, String) {
    let mentor = server.user("멘토", "female").await;
    let mentee = server.user("멘티", "male").await;
    room_of(server, mentor, mentee).await
}

/// The chat room of these signed-in users ((id, access token) each): the
/// mentor's match with the mentee, requested and accepted.
pub async fn room_of(
    server: &TestServer,
    (mentor_id, mentor_token): (String, String),
    (mentee_id, mentee_token): (String, String),
) -> (Member, Member, String) {
    let hobby = unique_hobby();
    let survey = |role: &str, level: u8| {
        let mut s = json!({"role": role, "hobby": hobby, "gender": "female", "age_group": "20s",
            "location": "서울", "activity_level": "medium", "level": level});
        if role == "mentor" {
            s["capacity"] = json!(2);
        }
        s
    };
    expect_json(
        server
            .put("/api/v1/survey", &survey("mentor", 4), &mentor_token)
            .await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        server
            .put("/api/v1/survey", &survey("mentee", 1), &mentee_token)
            .await,
        StatusCode::OK,
    )
    .await;
    let requested = server
        .post(
            "/api/v1/matches",
            &json!({"mentor_id": mentor_id}),
            Some(&mentee_token),
        )
        .await;
    let room = expect_json(requested, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let accepted = server
        .post(
            &format!("/api/v1/matches/{room}/accept"),
            &json!({}),
            Some(&mentor_token),
        )
        .await;
    assert_eq!(
        expect_json(accepted, StatusCode::OK).await["status"],
        "accepted"
    );
    (
        Member {
            id: mentor_id,
            token: mentor_token,
        },
        Member {
            id: mentee_id,
            token: mentee_token,
        },
        room,
    )
}

/// A device's client: its own storage id, so the server keeps its sync state.
pub fn device() -> ClientSession {
    ClientSession::new(
        PeerId::random(),
        PeerMetadata {
            storage_id: Some(StorageId::random()),
            is_ephemeral: false,
        },
    )
}

pub fn doc_id(room: &str, owner: &Member) -> DocumentId {
    chat_document_id(room, &UserId::new(owner.id.clone()), MONTH)
}

/// `owner`'s new, empty monthly document of `room`, opened in `client`.
pub fn open_own(client: &mut ClientSession, room: &str, owner: &Member) -> DocumentId {
    let header = ChatHeader {
        room_id: room.to_owned(),
        owner_id: UserId::new(owner.id.clone()),
        month: MONTH.to_owned(),
    };
    let mut doc = create_chat_document(&header).unwrap();
    let id = doc_id(room, owner);
    client.open_document(id, doc.document().clone());
    id
}

/// Appends a message to a document the client holds (locally, like the app offline).
pub fn write(client: &mut ClientSession, id: &DocumentId, author: &Member, text: &str, at: i64) {
    let doc: &Automerge = client.document(id).unwrap();
    let mut edit = AutoCommit::load(&doc.save()).unwrap();
    edit.set_actor(doc.get_actor().clone());
    let before = edit.get_heads();
    append_message(
        &mut edit,
        &new_message(UserId::new(author.id.clone()), text, at),
    )
    .unwrap();
    edit.commit();
    let changes = edit.get_changes(&before);
    client
        .document_mut(id)
        .unwrap()
        .apply_changes(changes)
        .unwrap();
}

pub fn messages(client: &ClientSession, id: &DocumentId) -> Vec<ChatMessage> {
    client
        .document(id)
        .and_then(|d| read_chat(d).ok())
        .map(|log| log.messages)
        .unwrap_or_default()
}

/// The room as `client` sees it: every participant's messages, merged.
pub fn room_view(client: &ClientSession, ids: &[DocumentId]) -> Vec<ChatMessage> {
    let logs: Vec<_> = ids
        .iter()
        .filter_map(|id| client.document(id).and_then(|d| read_chat(d).ok()))
        .collect();
    merge_messages(logs.iter())
}

/// A WebSocket connection driving a `ClientSession`, counting bytes.
pub struct SyncClient {
    ws: Option<Ws>,
    pub session: ClientSession,
    pub sent_bytes: usize,
    pub received_bytes: usize,
    pub errors: Vec<String>,
    pub unavailable: Vec<DocumentId>,
    /// The heads of the latest sync message the server sent, per document.
    pub server_heads: HashMap<DocumentId, Vec<ChangeHash>>,
    pub closed_by_server: bool,
    /// The server's close frame (code, reason), when it sent one.
    pub close: Option<(u16, String)>,
    pub server_peer: Option<PeerId>,
}

pub async fn open_ws(addr: SocketAddr, token: &str) -> Result<Ws, tungstenite::Error> {
    let mut request = format!("ws://{addr}/sync").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(ws, _)| ws)
}

impl SyncClient {
    /// Connects and finishes the handshake.
    pub async fn connect(addr: SocketAddr, token: &str, session: ClientSession) -> Self {
        let ws = open_ws(addr, token).await.expect("the upgrade succeeds");
        let mut client = Self {
            ws: Some(ws),
            session,
            sent_bytes: 0,
            received_bytes: 0,
            errors: Vec::new(),
            unavailable: Vec::new(),
            server_heads: HashMap::new(),
            closed_by_server: false,
            close: None,
            server_peer: None,
        };
        let join = client.session.connect();
        client.send(join).await;
        pump(&mut [&mut client], "the handshake", |c| {
            c[0].session.is_connected()
        })
        .await;
        client
    }

    pub async fn send(&mut self, frame: Vec<u8>) {
        self.sent_bytes += frame.len();
        self.ws
            .as_mut()
            .unwrap()
            .send(Message::Binary(frame.into()))
            .await
            .unwrap();
    }

    /// Announces local edits of a document.
    pub async fn push(&mut self, id: &DocumentId) {
        if let Some(frame) = self.session.sync_document(id) {
            self.send(frame).await;
        }
    }

    /// Reads one frame if one arrives soon, handles it and sends the replies.
    /// False when nothing came.
    async fn step(&mut self) -> bool {
        let Some(ws) = self.ws.as_mut() else {
            return false;
        };
        let next = tokio::time::timeout(Duration::from_millis(20), ws.next()).await;
        let frame = match next {
            Err(_) => return false,
            Ok(Some(Ok(Message::Binary(b)))) => b.to_vec(),
            Ok(Some(Ok(Message::Close(frame)))) => {
                self.close = frame.map(|f| (u16::from(f.code), f.reason.as_str().to_owned()));
                self.closed_by_server = true;
                self.ws = None;
                return true;
            }
            Ok(Some(Err(_)) | None) => {
                self.closed_by_server = true;
                self.ws = None;
                return true;
            }
            Ok(Some(Ok(_))) => return true,
        };
        self.received_bytes += frame.len();
        if let Ok(RepoMessage::Sync {
            document_id, data, ..
        }) = RepoMessage::decode(&frame)
        {
            let message = tutti_sync::automerge::sync::Message::decode(&data).unwrap();
            self.server_heads.insert(document_id, message.heads);
        }
        let out = self
            .session
            .handle_frame(&frame)
            .expect("the server's frames are valid");
        for event in out.events {
            match event {
                ClientEvent::ServerError { message } => self.errors.push(message),
                ClientEvent::DocumentUnavailable { document_id } => {
                    self.unavailable.push(document_id)
                }
                ClientEvent::Connected { server_peer_id, .. } => {
                    self.server_peer = Some(server_peer_id)
                }
                _ => {}
            }
        }
        for frame in out.frames {
            self.send(frame).await;
        }
        true
    }

    /// True when the server's latest sync message for `id` has our heads:
    /// the server stored our changes (it acknowledges only after storing).
    pub fn acknowledged(&self, id: &DocumentId) -> bool {
        let ours = self.session.document(id).unwrap().get_heads();
        self.server_heads
            .get(id)
            .is_some_and(|theirs| ours.iter().all(|h| theirs.contains(h)))
    }

    /// Closes the connection once the server has closed its side (and so has
    /// persisted this peer's sync state); gives the session back.
    pub async fn disconnect(mut self) -> ClientSession {
        if let Some(mut ws) = self.ws.take() {
            ws.close(None).await.unwrap();
            while let Some(Ok(_)) = ws.next().await {}
        }
        self.session.disconnected();
        self.session
    }
}

/// Drives the clients until `done` holds (fails after 30 s of trying).
pub async fn pump(
    clients: &mut [&mut SyncClient],
    what: &str,
    done: impl Fn(&[&mut SyncClient]) -> bool,
) {
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done(clients) {
        assert!(
            tokio::time::Instant::now() < give_up,
            "never reached: {what}"
        );
        for c in clients.iter_mut() {
            while c.step().await {}
        }
    }
}

pub fn texts(messages: &[ChatMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.text.as_str()).collect()
}

//! A fake AI provider for the tests: a real axum HTTP server on 127.0.0.1:0
//! speaking the OpenAI chat-completions protocol (whole JSON replies and
//! Server-Sent Events), following a script and recording every request.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// The model name the fake provider reports.
pub const MODEL: &str = "tutti-fake-model";

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// `200 text/event-stream`: these tokens, then `finish_reason: stop` and `[DONE]`.
    Tokens(Vec<&'static str>),
    /// `200 text/event-stream`: these tokens, then silence with the connection open.
    TokensThenHang(Vec<&'static str>),
    /// A whole completion whose message content is this text.
    Content(String),
    /// An error status with an OpenAI-style error body.
    Status(u16),
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub authorization: Option<String>,
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<Recorded>>,
}

pub struct FakeProvider {
    pub base_url: String,
    shared: Arc<Shared>,
    _shutdown: oneshot::Sender<()>,
}

impl FakeProvider {
    /// Starts the server; replies are used in order and the last one repeats.
    pub async fn start(script: Vec<Reply>) -> Self {
        let shared = Arc::new(Shared {
            script: Mutex::new(script.into()),
            ..Shared::default()
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Self {
            base_url: format!("http://{addr}/v1"),
            shared,
            _shutdown: tx,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().expect("lock").clone()
    }
}

async fn handle(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    shared.requests.lock().expect("lock").push(Recorded {
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    let reply = {
        let mut script = shared.script.lock().expect("lock");
        if script.len() > 1 {
            script.pop_front()
        } else {
            script.front().cloned()
        }
    };
    match reply.expect("the test gave the fake provider a script") {
        Reply::Tokens(tokens) => sse(tokens, false),
        Reply::TokensThenHang(tokens) => sse(tokens, true),
        Reply::Content(content) => respond(
            200,
            "application/json",
            Body::from(
                json!({
                    "id": "chatcmpl-test", "object": "chat.completion", "model": MODEL,
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                                 "finish_reason": "stop"}]
                })
                .to_string(),
            ),
        ),
        Reply::Status(status) => respond(
            status,
            "application/json",
            Body::from(json!({"error": {"message": "scripted failure"}}).to_string()),
        ),
    }
}

fn sse(tokens: Vec<&'static str>, hang: bool) -> Response {
    let mut events: Vec<String> = tokens
        .into_iter()
        .map(|t| {
            let chunk = json!({
                "id": "chatcmpl-test", "object": "chat.completion.chunk", "model": MODEL,
                "choices": [{"index": 0, "delta": {"content": t}, "finish_reason": null}]
            });
            format!("data: {chunk}\n\n")
        })
        .collect();
    if !hang {
        let last = json!({
            "id": "chatcmpl-test", "object": "chat.completion.chunk", "model": MODEL,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]
        });
        events.push(format!("data: {last}\n\ndata: [DONE]\n\n"));
    }
    let paced = stream::iter(events).then(|event| async move {
        // Each event in its own write, as a real server streams them.
        tokio::time::sleep(Duration::from_millis(2)).await;
        Ok::<_, Infallible>(Bytes::from(event))
    });
    let tail = stream::once(async move {
        if hang {
            std::future::pending::<()>().await;
        }
        Ok::<_, Infallible>(Bytes::new())
    });
    respond(
        200,
        "text/event-stream",
        Body::from_stream(paced.chain(tail)),
    )
}

fn respond(status: u16, content_type: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).expect("status code");
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type.parse().expect("ct"));
    response
}

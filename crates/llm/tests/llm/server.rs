//! A fake provider: a real axum HTTP server on 127.0.0.1:0 that speaks the chat-completions
//! protocol (JSON and Server-Sent Events) following a script, and records every request.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use futures_util::StreamExt;
use futures_util::stream;
use serde_json::Value;
use tokio::sync::{Notify, oneshot};

/// What the server does for one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A whole response with this status, body and extra headers.
    Json {
        status: u16,
        body: String,
        headers: Vec<(&'static str, String)>,
    },
    /// `200 text/event-stream`, these byte chunks written one by one (each its own write),
    /// then the body ends, or hangs open when `hang` is set.
    Sse { chunks: Vec<Vec<u8>>, hang: bool },
    /// `200` with this content type, then a body that never comes.
    HeadersThenSilence { content_type: &'static str },
    /// Never answers at all (not even headers).
    NoHeaders,
}

impl Reply {
    pub fn ok_json(body: impl Into<String>) -> Self {
        Self::Json {
            status: 200,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Self::Json {
            status,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        if let Self::Json { headers, .. } = &mut self {
            headers.push((name, value.into()));
        }
        self
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    /// Replies in order; the last one repeats for every later request.
    script: Mutex<VecDeque<Reply>>,
    requests: Mutex<Vec<Recorded>>,
    /// Signalled when a streamed body is dropped (the client went away or it ended).
    body_dropped: Notify,
}

pub struct FakeProvider {
    pub base_url: String,
    shared: Arc<Shared>,
    _shutdown: oneshot::Sender<()>,
}

impl FakeProvider {
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
            base_url: format!("http://{addr}"),
            shared,
            _shutdown: tx,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().expect("lock").clone()
    }

    /// Resolves once a streamed body has been dropped by the server (connection closed).
    pub async fn stream_body_dropped(&self) {
        self.shared.body_dropped.notified().await;
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    shared.requests.lock().expect("lock").push(Recorded {
        path: uri.path().to_owned(),
        authorization: text(header::AUTHORIZATION),
        accept: text(header::ACCEPT),
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
    let Some(reply) = reply else {
        return plain(500, "the test gave the fake provider no script");
    };
    match reply {
        Reply::Json {
            status,
            body,
            headers,
        } => {
            let mut response = plain(status, body);
            for (name, value) in headers {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("header value"));
            }
            response
        }
        Reply::Sse { chunks, hang } => {
            let guard = DropSignal(Arc::clone(&shared));
            let paced = stream::iter(chunks).then(|chunk| async move {
                // Give each chunk its own TCP write so the client sees odd boundaries.
                tokio::time::sleep(Duration::from_millis(3)).await;
                Ok::<_, Infallible>(Bytes::from(chunk))
            });
            let tail = stream::once(async move {
                if hang {
                    std::future::pending::<()>().await;
                }
                drop(guard);
                Ok::<_, Infallible>(Bytes::new())
            });
            streaming_response("text/event-stream", Body::from_stream(paced.chain(tail)))
        }
        Reply::HeadersThenSilence { content_type } => {
            let guard = DropSignal(Arc::clone(&shared));
            let silent = stream::once(async move {
                let _keep = guard;
                std::future::pending::<Result<Bytes, Infallible>>().await
            });
            streaming_response(content_type, Body::from_stream(silent))
        }
        Reply::NoHeaders => std::future::pending().await,
    }
}

fn plain(status: u16, body: impl Into<String>) -> Response {
    let mut response = Response::new(Body::from(body.into()));
    *response.status_mut() = StatusCode::from_u16(status).expect("status code");
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        "application/json".parse().expect("ct"),
    );
    response
}

fn streaming_response(content_type: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type.parse().expect("ct"));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "no-cache".parse().expect("cc"));
    response
}

struct DropSignal(Arc<Shared>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        self.0.body_dropped.notify_one();
    }
}

/// An SSE event carrying one content token, as OpenAI and llama.cpp send it.
pub fn token_event(token: &str) -> String {
    let chunk = serde_json::json!({
        "id": "chatcmpl-test", "object": "chat.completion.chunk", "model": "fake-model",
        "choices": [{"index": 0, "delta": {"content": token}, "finish_reason": null}]
    });
    format!("data: {chunk}\n\n")
}

/// The closing event with a finish reason, then `[DONE]`.
pub fn finish_events(reason: &str) -> String {
    let chunk = serde_json::json!({
        "id": "chatcmpl-test", "object": "chat.completion.chunk", "model": "fake-model",
        "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]
    });
    format!("data: {chunk}\n\ndata: [DONE]\n\n")
}

/// A whole (non-streamed) completion body.
pub fn completion_body(content: &str) -> String {
    serde_json::json!({
        "id": "chatcmpl-test", "object": "chat.completion", "model": "fake-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}
    })
    .to_string()
}

/// Splits `bytes` into pieces of `size` bytes (the last may be shorter).
pub fn split_every(bytes: &[u8], size: usize) -> Vec<Vec<u8>> {
    bytes.chunks(size).map(<[u8]>::to_vec).collect()
}

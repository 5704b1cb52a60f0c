//! A fake OpenAI-compatible provider for the community assistant: a real
//! HTTP server on 127.0.0.1:0 answering `POST /v1/chat/completions` with a
//! whole (non-streaming) `chat.completion` or an error status, and recording
//! each request's `Authorization` header and JSON body.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::Barrier;

/// What the provider answers.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// A completion with this text, reporting this model (or none).
    Reply {
        content: String,
        model: Option<String>,
    },
    /// This HTTP status with an OpenAI-style error body.
    Status(u16),
}

/// One request the provider received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub authorization: Option<String>,
    pub body: Value,
}

#[derive(Debug)]
struct Inner {
    behaviour: Mutex<Behaviour>,
    requests: Mutex<Vec<Recorded>>,
    /// When set, no request is answered before this many have arrived.
    gate: Option<Barrier>,
}

#[derive(Debug)]
pub struct FakeProvider {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeProvider {
    pub async fn start(behaviour: Behaviour) -> Self {
        Self::start_gated(behaviour, None).await
    }

    /// A provider that holds every reply until `together` requests arrived.
    pub async fn start_gated(behaviour: Behaviour, together: Option<usize>) -> Self {
        let inner = Arc::new(Inner {
            behaviour: Mutex::new(behaviour),
            requests: Mutex::default(),
            gate: together.map(Barrier::new),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(complete))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeProvider { addr, inner, task }
    }

    /// The base URL to configure (`--assistant-url`).
    pub fn url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn set(&self, behaviour: Behaviour) {
        *self.inner.behaviour.lock().unwrap() = behaviour;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A reply with `content`, reporting `model`.
pub fn reply(content: &str, model: Option<&str>) -> Behaviour {
    Behaviour::Reply {
        content: content.to_owned(),
        model: model.map(str::to_owned),
    }
}

async fn complete(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let authorization = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    inner.requests.lock().unwrap().push(Recorded {
        authorization,
        body: body.clone(),
    });
    if let Some(gate) = &inner.gate {
        gate.wait().await;
    }
    let behaviour = inner.behaviour.lock().unwrap().clone();
    match behaviour {
        Behaviour::Reply { content, model } => {
            let mut completion = json!({
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop"
                }],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
            });
            if let Some(model) = model {
                completion["model"] = json!(model);
            }
            Json(completion).into_response()
        }
        Behaviour::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap();
            let error =
                json!({"error": {"message": "the fake provider is down", "type": "server_error"}});
            (status, Json(error)).into_response()
        }
    }
}

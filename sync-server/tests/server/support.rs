//! The real server on 127.0.0.1:0 in this process, and small HTTP helpers.

use std::net::SocketAddr;

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

use tutti_sync_server::sync::SyncHub;
use tutti_sync_server::{AppState, Config, Error, Secret, serve, serve_state};

/// The PostgreSQL URL for the ignored tests.
pub fn postgres_url() -> String {
    std::env::var("TUTTI_TEST_DATABASE_URL").expect(
        "set TUTTI_TEST_DATABASE_URL (sync-server/scripts/start-test-postgres.sh prints one)",
    )
}

/// Defaults with cheap password hashing so tests stay fast.
pub fn test_config(addr: SocketAddr, data_dir: std::path::PathBuf) -> Config {
    let mut config = Config::new(addr, data_dir);
    config.password_hash_memory_kib = 64;
    config.password_hash_iterations = 1;
    config
}

#[derive(Debug)]
pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), Error>>>,
}

impl TestServer {
    /// SQLite under a temporary data dir.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// PostgreSQL at `url`.
    pub async fn postgres(url: &str) -> Self {
        let url = url.to_owned();
        Self::start_with(move |c| c.database_url = Some(Secret::new(url))).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = test_config(addr, dir.path().join("data"));
        adjust(&mut config);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(config, listener, async {
            let _ = rx.await;
        }));
        let server = TestServer {
            addr,
            dir,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            task: Some(task),
        };
        // The listener is bound, so requests queue until the storage is open.
        let health = server.http.get(server.url("/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        server
    }

    /// SQLite, built here so the test can watch the instance's sync hub.
    pub async fn start_with_hub(adjust: impl FnOnce(&mut Config)) -> (Self, Arc<SyncHub>) {
        let (server, state) = Self::start_with_state(adjust).await;
        (server, state.sync)
    }

    /// The server over a state built here (SQLite, or PostgreSQL when
    /// `adjust` sets a database URL), so the test can reach into the running
    /// instance (its storage, sync hub, recommender).
    pub async fn start_with_state(adjust: impl FnOnce(&mut Config)) -> (Self, AppState) {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = test_config(addr, dir.path().join("data"));
        adjust(&mut config);
        std::fs::create_dir_all(&config.data_dir).unwrap();
        let storage = tutti_sync_server::storage::open(&config).await.unwrap();
        let state = AppState::new(config, storage).unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve_state(state.clone(), listener, async {
            let _ = rx.await;
        }));
        let server = TestServer {
            addr,
            dir,
            http: reqwest::Client::new(),
            shutdown: Some(tx),
            task: Some(task),
        };
        (server, state)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn sqlite_path(&self) -> std::path::PathBuf {
        self.dir.path().join("data").join("tutti-sync.sqlite3")
    }

    /// Graceful shutdown; the server must exit cleanly. Returns the data
    /// dir, which lives as long as the caller keeps it.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().expect("a clean shutdown");
        }
        self.dir
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Response {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    pub async fn put(&self, path: &str, body: &Value, token: &str) -> Response {
        self.http
            .put(self.url(path))
            .json(body)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap()
    }

    /// Signs up a fresh account and returns (user id, email).
    pub async fn signup(&self, name: &str, gender: &str) -> (String, String) {
        let email = unique_email(name);
        let resp = self
            .post(
                "/api/v1/accounts",
                &json!({"email": email, "password": PASSWORD, "name": name,
                        "gender": gender, "birthdate": "1995-03-14"}),
                None,
            )
            .await;
        let body = expect_json(resp, StatusCode::CREATED).await;
        (body["user_id"].as_str().unwrap().to_owned(), email)
    }

    /// Signs in; returns the token response.
    pub async fn login(&self, email: &str) -> Value {
        let resp = self
            .post(
                "/api/v1/sessions",
                &json!({"email": email, "password": PASSWORD}),
                None,
            )
            .await;
        expect_json(resp, StatusCode::OK).await
    }

    /// A fresh account that is signed in: (user id, access token).
    pub async fn user(&self, name: &str, gender: &str) -> (String, String) {
        let (id, email) = self.signup(name, gender).await;
        let tokens = self.login(&email).await;
        (id, tokens["access_token"].as_str().unwrap().to_owned())
    }
}

pub const PASSWORD: &str = "correct horse battery";

/// An email no other test (or earlier run on a shared database) uses.
pub fn unique_email(name: &str) -> String {
    let tag: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{tag}.{}@example.com", uuid::Uuid::new_v4().simple())
}

/// A hobby id of its own, so tests sharing a database do not see each other's mentors.
pub fn unique_hobby() -> String {
    format!("piano-{}", uuid::Uuid::new_v4().simple())
}

/// Asserts the status and returns the JSON body.
pub async fn expect_json(resp: Response, status: StatusCode) -> Value {
    let got = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    assert_eq!(ct.as_deref(), Some("application/json"), "body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Asserts an error response: status, JSON `{code, message, field}`, and code.
pub async fn expect_error(resp: Response, status: StatusCode, code: &str) -> Value {
    let body = expect_json(resp, status).await;
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(
        body.get("field").is_some(),
        "field is always present: {body}"
    );
    body
}

//! The app core against the real sync server (SQLite) on 127.0.0.1:0, in
//! this process: accounts, survey, matching and the local-first chat.
//! Needs an unlocked Secret Service (the tokens go to the OS keyring):
//! `scripts/with-keyring.sh cargo test -p tutti-core` gives it a private one.

mod accounts;
mod chat;
mod transport;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tutti_core::Tutti;
use tutti_core::account::dto::{Match, SignupInput, Survey};
use tutti_sync_server::{Config, serve};

pub const PASSWORD: &str = "correct horse battery";

/// The real server, with cheap password hashing.
pub struct Server {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), tutti_sync_server::Error>>>,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_in(tempfile::tempdir().unwrap(), "127.0.0.1:0").await
    }

    /// A server on `addr` keeping its data in `dir` (to restart one).
    pub async fn start_in(dir: tempfile::TempDir, addr: &str) -> Self {
        Self::start_with(dir, addr, |_| {}).await
    }

    /// [`Self::start_in`] with the configuration adjusted.
    pub async fn start_with(
        dir: tempfile::TempDir,
        addr: &str,
        adjust: impl FnOnce(&mut Config),
    ) -> Self {
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = Config::new(addr, dir.path().join("data"));
        config.password_hash_memory_kib = 64;
        config.password_hash_iterations = 1;
        adjust(&mut config);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(config, listener, async {
            let _ = rx.await;
        }));
        Self {
            addr,
            dir,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server, waits until it has exited and gives its data back.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("the server task ends")
                .expect("a clean shutdown");
        }
        self.dir
    }
}

/// An app core with its own temporary data directory.
pub struct Core {
    pub tutti: Tutti,
    pub dir: tempfile::TempDir,
    pub email: String,
    pub user_id: String,
}

impl Core {
    /// Closes the core and opens the same data directory again (a restart).
    pub fn restart(self) -> Self {
        let Core {
            tutti,
            dir,
            email,
            user_id,
        } = self;
        drop(tutti);
        Core {
            tutti: Tutti::open(dir.path()).unwrap(),
            dir,
            email,
            user_id,
        }
    }
}

/// A fresh account on `server`, signed in on a new core.
pub async fn signed_in_core(server: &Server, name: &str, gender: &str) -> Core {
    let dir = tempfile::tempdir().unwrap();
    let tutti = Tutti::open(dir.path()).unwrap();
    tutti.account_server_url_set(&server.url()).unwrap();
    let email = format!("{name}.{}@example.com", uuid_like());
    let user_id = tutti
        .account_signup(SignupInput {
            email: email.clone(),
            password: PASSWORD.into(),
            name: name.into(),
            gender: gender.into(),
            birthdate: "1995-03-14".into(),
        })
        .await
        .expect("signup succeeds");
    let account = tutti.account_login(&email, PASSWORD).await.expect("login");
    assert_eq!(
        account.user_id, user_id,
        "login names the account signed up"
    );
    Core {
        tutti,
        dir,
        email,
        user_id,
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn survey(role: &str, hobby: &str, level: u8) -> Survey {
    Survey {
        role: role.into(),
        hobby: hobby.into(),
        gender: "female".into(),
        age_group: "20s".into(),
        location: "서울".into(),
        activity_level: "medium".into(),
        level,
        capacity: (role == "mentor").then_some(2),
        preferred_mentee_gender: None,
    }
}

/// A mentor and a mentee core, surveyed, matched and accepted: (mentor, mentee, room).
pub async fn matched_pair(server: &Server) -> (Core, Core, Match) {
    let hobby = format!("piano-{}", uuid_like());
    let mentor = signed_in_core(server, "mentor", "female").await;
    let mentee = signed_in_core(server, "mentee", "male").await;
    mentor
        .tutti
        .survey_save(survey("mentor", &hobby, 4))
        .await
        .unwrap();
    mentee
        .tutti
        .survey_save(survey("mentee", &hobby, 1))
        .await
        .unwrap();
    let requested = mentee.tutti.match_request(&mentor.user_id).await.unwrap();
    assert_eq!(requested.status, "pending");
    let accepted = mentor.tutti.match_accept(&requested.id).await.unwrap();
    assert_eq!(accepted.status, "accepted");
    mentee.tutti.matches_list().await.unwrap();
    (mentor, mentee, accepted)
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Waits until the sync task is connected.
pub async fn synced(sync: &tutti_core::chat::sync::ChatSync) {
    let mut status = sync.status();
    tokio::time::timeout(
        Duration::from_secs(30),
        status.wait_for(|s| s.state == tutti_core::chat::dto::SyncState::Synced),
    )
    .await
    .expect("the sync connects")
    .expect("the sync task runs");
}

/// Waits until `done` holds (fails after 30 s).
pub async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let give_up = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done().await {
        assert!(
            tokio::time::Instant::now() < give_up,
            "never reached: {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

//! Plain http:// and ws:// to a sync server that is not on this computer are
//! refused (`insecure_transport`) unless the user allowed it for that one
//! server. The real server listens on this machine's own non-loopback
//! address, so the app reaches it over a real network interface.

use std::net::Ipv4Addr;

use tutti_core::Tutti;
use tutti_core::account::dto::{SignupInput, SyncServerInput};

use super::{PASSWORD, Server, synced};

/// An IPv4 address of this machine outside 127.0.0.0/8, from the kernel's
/// table of local addresses.
fn non_loopback_address() -> Ipv4Addr {
    let table = std::fs::read_to_string("/proc/net/fib_trie")
        .expect("/proc/net/fib_trie lists this machine's addresses (Linux)");
    let lines: Vec<&str> = table.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[1].trim() == "/32 host LOCAL")
        .filter_map(|w| {
            w[0].trim()
                .trim_start_matches("|-- ")
                .parse::<Ipv4Addr>()
                .ok()
        })
        .find(|ip| !ip.is_loopback())
        .expect("this machine has a network interface besides loopback")
}

async fn remote_looking_server() -> Server {
    let addr = format!("{}:0", non_loopback_address());
    Server::start_in(tempfile::tempdir().unwrap(), &addr).await
}

fn signup(email: &str) -> SignupInput {
    SignupInput {
        email: email.into(),
        password: PASSWORD.into(),
        name: "하준".into(),
        gender: "male".into(),
        birthdate: "1994-07-02".into(),
    }
}

fn server(url: &str, allow_insecure: bool) -> SyncServerInput {
    SyncServerInput {
        url: url.into(),
        allow_insecure,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_another_computer_is_refused_until_allowed_for_that_server() {
    let remote = remote_looking_server().await;
    let url = remote.url();
    let dir = tempfile::tempdir().unwrap();
    let tutti = Tutti::open(dir.path()).unwrap();

    let err = tutti.account_server_set(server(&url, false)).unwrap_err();
    assert_eq!(err.code(), "insecure_transport", "{err}");
    assert_eq!(err.field(), Some("server_url"), "the UI marks the address");
    assert_eq!(
        tutti.account_server_get().unwrap().url,
        None,
        "a refused address is not saved"
    );

    let chosen = tutti.account_server_set(server(&url, true)).unwrap();
    assert_eq!(chosen.url.as_deref(), Some(url.as_str()));
    assert!(chosen.insecure && chosen.allow_insecure, "{chosen:?}");

    // Allowed: HTTP (sign-up, login) and the sync WebSocket (ws://) work.
    tutti
        .account_signup(signup("hajun@example.com"))
        .await
        .unwrap();
    tutti
        .account_login("hajun@example.com", PASSWORD)
        .await
        .unwrap();
    let sync = tutti.chat_sync_start().unwrap();
    synced(&sync).await;
    sync.stop().await;

    // The allowance belongs to that server only.
    let other = Server::start_in(
        tempfile::tempdir().unwrap(),
        &format!("{}:0", non_loopback_address()),
    )
    .await;
    let fresh = Tutti::open(tempfile::tempdir().unwrap().path()).unwrap();
    let err = fresh
        .account_server_set(server(&other.url(), false))
        .unwrap_err();
    assert_eq!(err.code(), "insecure_transport");
    // On this computer plain http:// needs no allowance.
    let local = Server::start().await;
    fresh
        .account_server_set(server(&local.url(), false))
        .expect("loopback is not a network");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_builds_default_server_is_used_and_held_to_the_same_rule() {
    let remote = remote_looking_server().await;
    let dir = tempfile::tempdir().unwrap();
    let mut tutti = Tutti::open(dir.path()).unwrap();
    assert_eq!(
        tutti.account_server_get().unwrap().url,
        None,
        "no default, no choice: no server (everything local still works)"
    );
    tutti.set_default_server_url(&remote.url()).unwrap();
    let shown = tutti.account_server_get().unwrap();
    assert_eq!(shown.url, shown.default_url, "the default is in use");
    assert!(shown.insecure && !shown.allow_insecure, "{shown:?}");

    let err = tutti
        .account_signup(signup("seoyeon@example.com"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        "insecure_transport",
        "refused before any request is sent: {err}"
    );

    // Allowed for the default (an empty address keeps the default).
    let allowed = tutti.account_server_set(server("", true)).unwrap();
    assert!(allowed.allow_insecure);
    tutti
        .account_signup(signup("seoyeon@example.com"))
        .await
        .unwrap();
    let account = tutti
        .account_login("seoyeon@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(account.server_url, remote.url(), "signed in to the default");

    let mut other = Tutti::open(tempfile::tempdir().unwrap().path()).unwrap();
    other
        .set_default_server_url(" https://sync.example.com/ ")
        .unwrap();
    let shown = other.account_server_get().unwrap();
    assert_eq!(shown.url.as_deref(), Some("https://sync.example.com"));
    assert!(!shown.insecure, "https needs no allowance");
    assert_eq!(
        other.set_default_server_url("ftp://x").unwrap_err().code(),
        "invalid_input"
    );
}

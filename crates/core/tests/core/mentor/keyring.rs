//! The LLM API key in the OS keyring (Secret Service here; scripts/test.sh
//! runs them with `scripts/with-keyring.sh`: a private, unlocked gnome-keyring). Each
//! test uses its own entry — an injected test service, or the temporary data
//! directory's account — so a user's real key is never touched.

use tutti_core::Tutti;
use tutti_core::mentor::dto::LlmSettingsInput;
use tutti_core::secrets::{KEYRING_SERVICE, SecretStore};
use tutti_llm::CancellationToken;

use super::provider::{FakeProvider, Reply};
use super::support::room_in_free_conversation;

const TEST_SERVICE: &str = "app.tutti.desktop.tests";

#[test]
fn a_secret_round_trips_through_the_keyring() {
    let store = SecretStore::new(TEST_SERVICE, format!("round-trip-{}", std::process::id()));
    assert_eq!(store.get().unwrap(), None, "a fresh entry is empty");
    store.set("sk-first").unwrap();
    store.set("  sk-second  ").unwrap();
    assert_eq!(
        store
            .get()
            .unwrap()
            .map(|s| s.expose().to_owned())
            .as_deref(),
        Some("sk-second"),
        "set replaces, trimmed"
    );
    assert!(store.is_present().unwrap());
    assert!(store.delete().unwrap());
    assert!(
        !store.delete().unwrap(),
        "deleting twice reports there was nothing"
    );
    assert_eq!(store.get().unwrap(), None);
}

#[test]
fn every_data_directory_has_its_own_key_entry() {
    let a = SecretStore::llm_api_key(std::path::Path::new("/tmp/a"));
    let b = SecretStore::llm_api_key(std::path::Path::new("/tmp/b"));
    assert_eq!(a.service(), KEYRING_SERVICE);
    assert_ne!(a.account(), b.account());
}

#[tokio::test]
async fn the_api_key_is_sent_to_the_provider_but_never_stored_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    let room = room_in_free_conversation(&app, dir.path()).await;
    let provider = FakeProvider::start(vec![Reply::Tokens(vec!["네!"])]).await;
    app.llm_settings_set(LlmSettingsInput {
        base_url: provider.base_url.clone(),
        model: "m".into(),
    })
    .unwrap();
    let key = format!("sk-tutti-test-{}", std::process::id());

    assert!(!app.llm_key_present().unwrap());
    app.llm_key_set(&key).unwrap();
    assert!(
        app.llm_key_present().unwrap(),
        "the UI learns only that a key is stored"
    );
    app.mentor_chat(&room, "안녕하세요", &CancellationToken::new(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        provider.requests()[0].authorization.as_deref(),
        Some(format!("Bearer {key}").as_str())
    );
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "{} must not contain the key",
            path.display()
        );
    }

    assert!(app.llm_key_clear().unwrap());
    assert!(!app.llm_key_present().unwrap());
    assert!(!app.llm_key_clear().unwrap());
}

#[test]
fn a_bad_key_is_refused_naming_the_field_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let app = Tutti::open(dir.path()).unwrap();
    for bad in ["", "   ", "sk-line\nbreak", "키"] {
        let err = app.llm_key_set(bad).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{bad:?}");
        assert!(err.to_string().contains("key"), "{err}");
        assert!(
            bad.trim().is_empty() || !err.to_string().contains(bad.trim()),
            "the message never repeats the key: {err}"
        );
    }
    assert!(!app.llm_key_present().unwrap());
}

//! Signup, login, survey, recommendations, matching, offline copies and bad input.

use tutti_core::Tutti;
use tutti_core::account::dto::SignupInput;

use super::{PASSWORD, Server, matched_pair, signed_in_core, survey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentee_gets_recommendations_with_reasons_and_a_mentor_answers_requests() {
    let server = Server::start().await;
    let hobby = "violin-accounts-test";
    let mentor = signed_in_core(&server, "mentor", "female").await;
    let mentee = signed_in_core(&server, "mentee", "male").await;
    let saved = mentor
        .tutti
        .survey_save(survey("mentor", hobby, 4))
        .await
        .unwrap();
    assert_eq!(saved.capacity, Some(2), "the server echoes the survey");
    assert_eq!(
        mentee.tutti.survey_get().await.unwrap(),
        None,
        "no survey yet"
    );
    mentee
        .tutti
        .survey_save(survey("mentee", hobby, 1))
        .await
        .unwrap();
    assert_eq!(
        mentee.tutti.survey_get().await.unwrap().unwrap().role,
        "mentee"
    );

    let recs = mentee.tutti.match_recommendations().await.unwrap();
    assert!(recs.fresh);
    let rec = recs
        .items
        .iter()
        .find(|r| r.mentor.user_id == mentor.user_id)
        .expect("the only mentor of this hobby is recommended");
    assert!(
        !rec.reasons.is_empty() && rec.reasons.iter().all(|r| !r.code.is_empty()),
        "reasons come with the recommendation: {:?}",
        rec.reasons
    );

    let pending = mentee.tutti.match_request(&mentor.user_id).await.unwrap();
    let requests = mentor.tutti.matches_list().await.unwrap();
    let seen = requests.items.iter().find(|m| m.id == pending.id).unwrap();
    assert_eq!(
        (seen.status.as_str(), seen.my_role.as_str()),
        ("pending", "mentor"),
        "the mentor sees the request to answer"
    );
    let declined = mentor.tutti.match_decline(&pending.id).await.unwrap();
    assert_eq!(declined.status, "declined");
    let err = mentor.tutti.match_accept(&pending.id).await.unwrap_err();
    assert_eq!(
        err.code(),
        "server_rejected",
        "a declined match cannot be accepted: {err}"
    );

    // The lists show offline, marked as the saved copy.
    mentee.tutti.matches_list().await.unwrap();
    server.stop().await;
    let offline = mentee.tutti.matches_list().await.unwrap();
    assert!(!offline.fresh, "served from the saved copy");
    assert_eq!(offline.items.len(), 1);
    assert_eq!(offline.items[0].status, "declined");
    let recs = mentee.tutti.match_recommendations().await.unwrap();
    assert!(!recs.fresh && !recs.items.is_empty());
    assert_eq!(
        mentee.tutti.survey_get().await.unwrap().unwrap().hobby,
        hobby,
        "the survey shows offline too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_clear_errors_and_changes_nothing() {
    let server = Server::start().await;
    let dir = tempfile::tempdir().unwrap();
    let tutti = Tutti::open(dir.path()).unwrap();

    let err = tutti
        .account_login("a@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "no server address yet: {err}");
    for bad in ["", "not a url", "ftp://example.com", "http://"] {
        let err = tutti.account_server_url_set(bad).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{bad}: {err}");
    }
    assert_eq!(
        tutti.account_server_url_get().unwrap(),
        None,
        "nothing was saved"
    );

    // A server that is not there: a clear "unreachable", not a hang or panic.
    tutti.account_server_url_set("http://127.0.0.1:9").unwrap();
    let err = tutti
        .account_login("a@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "server_unreachable", "{err}");

    tutti.account_server_url_set(&server.url()).unwrap();
    let signup = |email: &str, password: &str| SignupInput {
        email: email.into(),
        password: password.into(),
        name: "민지".into(),
        gender: "female".into(),
        birthdate: "1998-04-21".into(),
    };
    let err = tutti
        .account_signup(signup("minji@example.com", "short"))
        .await
        .unwrap_err();
    match &err {
        tutti_core::Error::ServerRejected { status, field, .. } => {
            assert!((400..500).contains(status), "{err}");
            assert_eq!(field.as_deref(), Some("password"), "the field is named");
        }
        other => panic!("expected a refusal naming the field, got {other}"),
    }
    tutti
        .account_signup(signup("minji@example.com", PASSWORD))
        .await
        .unwrap();
    let err = tutti
        .account_login("minji@example.com", "wrong password")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_credentials", "{err}");
    assert_eq!(tutti.account_get().unwrap(), None, "still signed out");
    assert_eq!(
        tutti.survey_get().await.unwrap_err().code(),
        "not_signed_in"
    );
    assert_eq!(
        tutti.chat_send("room", "hi").unwrap_err().code(),
        "not_signed_in"
    );

    let account = tutti
        .account_login("minji@example.com", PASSWORD)
        .await
        .unwrap();
    assert_eq!(tutti.account_get().unwrap(), Some(account.clone()));
    let err = tutti
        .account_server_url_set("http://127.0.0.1:9")
        .unwrap_err();
    assert_eq!(
        err.code(),
        "invalid_input",
        "no server switch while signed in"
    );

    // Refresh rotates the tokens; the new ones work.
    tutti.account_refresh().await.unwrap();
    assert_eq!(tutti.survey_get().await.unwrap(), None);

    let mut db = std::fs::read(dir.path().join("tutti.sqlite3")).unwrap_or_default();
    db.extend(std::fs::read(dir.path().join("tutti.sqlite3-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&db);
    assert!(
        !text.contains("refresh_token") && !text.contains("access_token"),
        "no token is stored in SQLite"
    );

    tutti.account_logout().await.unwrap();
    assert_eq!(tutti.account_get().unwrap(), None);
    assert_eq!(
        tutti.matches_list().await.unwrap_err().code(),
        "not_signed_in"
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_match_becomes_a_room_for_both_sides() {
    let server = Server::start().await;
    let (mentor, mentee, room) = matched_pair(&server).await;
    for core in [&mentor, &mentee] {
        let rooms = core.tutti.chat_rooms().unwrap();
        assert_eq!(rooms.len(), 1, "one accepted match, one room");
        assert_eq!(rooms[0].room_id, room.id);
        assert_eq!(rooms[0].unread, 0);
    }
    assert_eq!(
        mentor.tutti.chat_rooms().unwrap()[0].other_user_id,
        mentee.user_id
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_access_tokens_are_refreshed_for_http_and_for_the_sync() {
    let server = Server::start_with(tempfile::tempdir().unwrap(), "127.0.0.1:0", |c| {
        c.access_token_ttl_secs = 1;
    })
    .await;
    let (mentor, mentee, room) = matched_pair(&server).await;
    let entry = tutti_core::secrets::SecretStore::new(
        tutti_core::secrets::KEYRING_SERVICE,
        format!("sync-tokens:{}", mentee.dir.path().display()),
    );
    let before = entry.get().unwrap().expect("tokens are in the keyring");
    // Let both access tokens expire (the refresh tokens live on).
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let list = mentee.tutti.matches_list().await.unwrap();
    assert!(list.fresh, "the HTTP call went through");
    let after = entry.get().unwrap().expect("still signed in");
    assert_ne!(
        before.expose(),
        after.expose(),
        "the refused token was refreshed"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let (sm, se) = (
        mentor.tutti.chat_sync_start().unwrap(),
        mentee.tutti.chat_sync_start().unwrap(),
    );
    mentor.tutti.chat_send(&room.id, "after expiry").unwrap();
    super::eventually(
        "the message arrives over refreshed sync connections",
        || async { mentee.tutti.chat_history(&room.id).unwrap().len() == 1 },
    )
    .await;
    sm.stop().await;
    se.stop().await;
}

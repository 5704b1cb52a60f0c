//! The server's community assistant against a fake OpenAI-compatible
//! provider over loopback: `POST /community/questions/{id}/ai-answer` writes
//! the assistant's labelled answer document, synced and listed like any
//! answer, once per question.

use reqwest::StatusCode;
use serde_json::json;
use tutti_sync::community::{delete_question, read_answer, set_accepted_answer};
use tutti_sync::{DocumentId, automerge::AutoCommit};
use tutti_sync_server::{ASSISTANT_USER_ID, Config, Secret};

use super::posts::*;
use super::provider::{Behaviour, FakeProvider, reply};
use crate::support::{TestServer, expect_error, expect_json, unique_hobby};
use crate::sync::{Member, SyncClient, device, pump};

pub const KEY: &str = "sk-assistant-test-key";

/// Configures the assistant over `provider`, named `튜티 도우미`.
pub fn with_assistant(provider: &FakeProvider, key: Option<&str>) -> impl FnOnce(&mut Config) {
    let url = provider.url();
    let key = key.map(Secret::new);
    move |c| {
        c.assistant_url = Some(url);
        c.assistant_model = Some("requested-model".into());
        c.assistant_api_key = key;
        c.assistant_name = "튜티 도우미".into();
    }
}

fn ai_answer_path(question_id: &str) -> String {
    format!("/api/v1/community/questions/{question_id}/ai-answer")
}

pub async fn ask_ai(server: &TestServer, token: &str, question_id: &str) -> reqwest::Response {
    server
        .http
        .post(server.url(&ai_answer_path(question_id)))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// A question `asker` synced; returns (question id, its document id, the
/// still-connected device).
pub async fn asked(
    server: &TestServer,
    asker: &Member,
    hobby: &str,
) -> (String, DocumentId, SyncClient) {
    let mut dev = device();
    let (question_id, doc) = ask(
        &mut dev,
        asker,
        hobby,
        "바레코드가 안 돼요",
        "검지가 아프고 소리가 끊겨요",
    );
    let client = sync_up(server, asker, dev, &[doc]).await;
    (question_id, doc, client)
}

#[tokio::test]
async fn the_asker_gets_one_labelled_answer_that_syncs_and_cannot_be_accepted() {
    let provider = FakeProvider::start(Behaviour::Status(500)).await;
    let server = TestServer::start_with(with_assistant(&provider, Some(KEY))).await;
    labelled_answer_flow(&server, &provider).await;
    server.stop().await;
}

/// The asker gets one labelled answer (201, then 200 without asking the
/// provider again); the thread lists it; another user syncs its document;
/// accepting it is refused. `server` runs with [`with_assistant`] over
/// `provider` and [`KEY`].
pub async fn labelled_answer_flow(server: &TestServer, provider: &FakeProvider) {
    provider.set(reply(
        "  검지를 곧게 펴고 프렛 가까이 누르세요.\n",
        Some("fake-model-7b"),
    ));
    let hobby = unique_hobby();
    let asker = member(server, "질문자").await;
    let reader = member(server, "독자").await;
    let (question_id, question_doc, mut a) = asked(server, &asker, &hobby).await;

    let created = expect_json(
        ask_ai(server, &asker.token, &question_id).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["author_id"], ASSISTANT_USER_ID);
    assert_eq!(created["author_name"], "튜티 도우미");
    assert_eq!(
        created["ai"]["model"], "fake-model-7b",
        "the model the provider reported"
    );
    assert_eq!(
        created["body"], "검지를 곧게 펴고 프렛 가까이 누르세요.",
        "trimmed"
    );
    assert_eq!(created["accepted"], false);
    let answer_id = created["answer_id"].as_str().unwrap().to_owned();
    let answer_doc = DocumentId::parse(created["document_id"].as_str().unwrap()).unwrap();

    // the provider read the question, with the hobby in the system prompt
    let requests = provider.requests();
    assert_eq!(requests.len(), 1);
    let sent = &requests[0];
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(sent.body["model"], "requested-model");
    assert_eq!(sent.body["messages"][0]["role"], "system");
    assert!(
        sent.body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains(&hobby),
        "{}",
        sent.body
    );
    assert_eq!(sent.body["messages"][1]["role"], "user");
    assert_eq!(
        sent.body["messages"][1]["content"],
        "바레코드가 안 돼요\n\n검지가 아프고 소리가 끊겨요"
    );

    // the thread lists it, labelled, under the assistant's name
    let t = thread(server, &reader.token, &question_id).await;
    assert_eq!(answer_ids(&t), [answer_id.as_str()]);
    assert_eq!(t["answers"][0]["ai"]["model"], "fake-model-7b");
    assert_eq!(t["answers"][0]["author_name"], "튜티 도우미");
    assert_eq!(t["question"]["answer_count"], 1);
    assert_eq!(
        t["question"]["human_answer_count"], 0,
        "an AI answer is not a person's"
    );

    // asked again (a retry after a lost response): the same answer, no new call
    let again = expect_json(
        ask_ai(server, &asker.token, &question_id).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again["answer_id"], answer_id.as_str());
    assert_eq!(
        provider.requests().len(),
        1,
        "the provider is not asked twice"
    );

    // another user's device downloads the answer document by its id
    let mut dev = device();
    dev.request_document(answer_doc);
    let mut r = SyncClient::connect(server.addr, &reader.token, dev).await;
    pump(&mut [&mut r], "the reader downloads the AI answer", |c| {
        c[0].session
            .document(&answer_doc)
            .is_some_and(|d| !d.get_heads().is_empty())
    })
    .await;
    let synced = read_answer(r.session.document(&answer_doc).unwrap()).expect("a valid answer");
    assert_eq!(
        synced.ai.map(|ai| ai.model).as_deref(),
        Some("fake-model-7b")
    );
    assert_eq!(synced.author_id.as_str(), ASSISTANT_USER_ID);
    assert_eq!(synced.answer_id, answer_id);
    r.disconnect().await;

    // the asker accepting it over sync is refused and not stored
    edit(&mut a.session, &question_doc, |d: &mut AutoCommit| {
        set_accepted_answer(d, Some(answer_id.as_str())).expect("accept")
    });
    let errors = push_refused(&mut a, &question_doc).await;
    assert!(errors.contains("written by AI"), "{errors}");
    let t = thread(server, &asker.token, &question_id).await;
    assert_eq!(t["question"]["accepted_answer_id"], json!(null));
    a.disconnect().await;
}

#[tokio::test]
async fn only_the_asker_of_a_live_known_question_may_ask() {
    let provider = FakeProvider::start(reply("답", None)).await;
    let server = TestServer::start_with(with_assistant(&provider, None)).await;
    let asker = member(&server, "질문자").await;
    let other = member(&server, "남").await;
    let (question_id, question_doc, mut a) = asked(&server, &asker, &unique_hobby()).await;

    let no_token = server
        .http
        .post(server.url(&ai_answer_path(&question_id)))
        .send()
        .await
        .unwrap();
    expect_error(no_token, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    expect_error(
        ask_ai(&server, "not-a-token", &question_id).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    expect_error(
        ask_ai(&server, &other.token, &question_id).await,
        StatusCode::FORBIDDEN,
        "not_asker",
    )
    .await;
    for unknown in [
        "0123456789abcdef0123456789abcdef",
        "bad%20id",
        &"x".repeat(65),
    ] {
        expect_error(
            ask_ai(&server, &asker.token, unknown).await,
            StatusCode::NOT_FOUND,
            "question_not_found",
        )
        .await;
    }
    assert!(
        provider.requests().is_empty(),
        "no refused request reaches the provider"
    );

    edit(&mut a.session, &question_doc, |d: &mut AutoCommit| {
        delete_question(d, 1_700_000_500_000).expect("delete")
    });
    push_acknowledged(&mut a, &[question_doc]).await;
    expect_error(
        ask_ai(&server, &asker.token, &question_id).await,
        StatusCode::CONFLICT,
        "question_deleted",
    )
    .await;
    assert!(provider.requests().is_empty());
    a.disconnect().await;
    server.stop().await;
}

#[tokio::test]
async fn a_failing_provider_is_a_502_and_nothing_is_stored() {
    let provider = FakeProvider::start(Behaviour::Status(500)).await;
    let server = TestServer::start_with(with_assistant(&provider, Some(KEY))).await;
    let asker = member(&server, "질문자").await;
    let (question_id, _, a) = asked(&server, &asker, &unique_hobby()).await;

    let failed = expect_error(
        ask_ai(&server, &asker.token, &question_id).await,
        StatusCode::BAD_GATEWAY,
        "assistant_failed",
    )
    .await;
    let message = failed["message"].as_str().unwrap();
    assert!(message.contains("answered 500"), "{message}");
    assert!(
        !message.contains(KEY),
        "the key never reaches a response: {message}"
    );
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(t["answers"], json!([]), "nothing was stored");

    provider.set(reply(" \n ", Some("m")));
    let empty = expect_error(
        ask_ai(&server, &asker.token, &question_id).await,
        StatusCode::BAD_GATEWAY,
        "assistant_failed",
    )
    .await;
    assert!(
        empty["message"].as_str().unwrap().contains("no text"),
        "{empty}"
    );
    assert_eq!(
        thread(&server, &asker.token, &question_id).await["answers"],
        json!([])
    );

    // once the provider works, the same request succeeds
    provider.set(reply("이제 됩니다", None));
    let created = expect_json(
        ask_ai(&server, &asker.token, &question_id).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        created["ai"]["model"], "requested-model",
        "no reported model: the one asked for"
    );
    a.disconnect().await;
    server.stop().await;
}

#[tokio::test]
async fn requests_at_once_write_one_answer() {
    // every request is at the provider before any gets its reply, so they
    // all reach the write together
    const AT_ONCE: usize = 8;
    let provider = FakeProvider::start_gated(reply("한 번만", Some("m")), Some(AT_ONCE)).await;
    let server = TestServer::start_with(with_assistant(&provider, None)).await;
    let asker = member(&server, "질문자").await;
    let (question_id, _, a) = asked(&server, &asker, &unique_hobby()).await;

    let responses = futures_util::future::join_all(
        (0..AT_ONCE).map(|_| ask_ai(&server, &asker.token, &question_id)),
    )
    .await;
    let mut created = 0;
    let mut ids = Vec::new();
    for resp in responses {
        created += usize::from(resp.status() == StatusCode::CREATED);
        let status = resp.status();
        let body: serde_json::Value = resp.json().await.unwrap();
        assert!(
            matches!(status, StatusCode::OK | StatusCode::CREATED),
            "{status} {body}"
        );
        ids.push(body["answer_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(created, 1, "one request writes, the others get its answer");
    ids.dedup();
    assert_eq!(ids.len(), 1, "all name the one answer: {ids:?}");
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(t["answers"].as_array().unwrap().len(), 1);
    a.disconnect().await;
    server.stop().await;
}

#[tokio::test]
async fn a_server_without_an_assistant_says_so() {
    let server = TestServer::start().await;
    let asker = member(&server, "질문자").await;
    let (question_id, _, a) = asked(&server, &asker, &unique_hobby()).await;
    expect_error(
        ask_ai(&server, &asker.token, &question_id).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "assistant_not_configured",
    )
    .await;
    a.disconnect().await;
    server.stop().await;
}

#[tokio::test]
async fn nobody_signs_in_as_the_assistant_and_its_name_follows_the_flag() {
    let provider = FakeProvider::start(reply("답입니다", None)).await;
    let server = TestServer::start_with(with_assistant(&provider, None)).await;
    for password in ["", "!", "correct horse battery"] {
        let resp = server
            .post(
                "/api/v1/sessions",
                &json!({"email": "assistant@tutti.invalid", "password": password}),
                None,
            )
            .await;
        if password.is_empty() {
            assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        } else {
            expect_error(resp, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
        }
    }
    let taken = server
        .post(
            "/api/v1/accounts",
            &json!({"email": "someone@tutti.invalid", "password": "correct horse battery",
                    "name": "사칭", "gender": "other", "birthdate": "1990-01-01"}),
            None,
        )
        .await;
    let e = expect_error(taken, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field").await;
    assert_eq!(e["field"], "email", "the .invalid domain is reserved");

    let asker = member(&server, "질문자").await;
    let (question_id, _, a) = asked(&server, &asker, &unique_hobby()).await;
    expect_json(
        ask_ai(&server, &asker.token, &question_id).await,
        StatusCode::CREATED,
    )
    .await;
    a.disconnect().await;
    let dir = server.stop().await;

    // restarted on the same data with another name: the account is renamed
    let data = dir.path().join("data");
    let configure = with_assistant(&provider, None);
    let server = TestServer::start_with(move |c| {
        configure(c);
        c.data_dir = data;
        c.assistant_name = "Tutti AI".into();
    })
    .await;
    let t = thread(&server, &asker.token, &question_id).await;
    assert_eq!(t["answers"][0]["author_name"], "Tutti AI");
    server.stop().await;
    drop(dir);
}

#[tokio::test]
async fn serve_refuses_half_an_assistant_config() {
    for (url, model, missing) in [
        (Some("http://127.0.0.1:9/v1"), None, "--assistant-model"),
        (None, Some("qwen"), "--assistant-url"),
        (Some("not a url"), Some("qwen"), "--assistant-url"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut config =
            crate::support::test_config(listener.local_addr().unwrap(), dir.path().join("data"));
        config.assistant_url = url.map(str::to_owned);
        config.assistant_model = model.map(str::to_owned);
        let err = tutti_sync_server::serve(config, listener, std::future::pending())
            .await
            .expect_err("a half-configured assistant does not start");
        assert!(
            err.to_string().contains(missing),
            "{url:?} {model:?}: {err}"
        );
    }
}

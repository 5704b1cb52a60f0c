//! Sign up, sign in, refresh, logout and `me`, with the error cases.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{PASSWORD, TestServer, expect_error, expect_json, unique_email};

/// The whole account lifecycle; run on SQLite here and on PostgreSQL in `postgres`.
pub async fn account_flow(server: &TestServer) {
    let email = unique_email("Minji");
    let signup = json!({"email": email, "password": PASSWORD, "name": "김민지",
                        "gender": "female", "birthdate": "1998-04-21"});
    let created = expect_json(
        server.post("/api/v1/accounts", &signup, None).await,
        StatusCode::CREATED,
    )
    .await;
    let user_id = created["user_id"].as_str().unwrap().to_owned();

    // The same email in other case is the same account.
    let mut again = signup.clone();
    again["email"] = json!(email.to_uppercase());
    let dup = expect_error(
        server.post("/api/v1/accounts", &again, None).await,
        StatusCode::CONFLICT,
        "email_taken",
    )
    .await;
    assert_eq!(dup["field"], "email");

    // Sign in (email case does not matter).
    let login = json!({"email": email.to_uppercase(), "password": PASSWORD});
    let tokens = expect_json(
        server.post("/api/v1/sessions", &login, None).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(tokens["user_id"], user_id.as_str());
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["expires_in"].as_u64().unwrap() > 0);
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(access, refresh);

    let me = expect_json(
        server.get("/api/v1/me", Some(&access)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["user_id"], user_id.as_str());
    assert_eq!(me["email"], email.as_str());
    assert_eq!(me["name"], "김민지");
    assert_eq!(me["birthdate"], "1998-04-21");
    assert!(me.get("password_hash").is_none());

    // Wrong password: 401, no tokens.
    let bad = json!({"email": email, "password": "not the password"});
    expect_error(
        server.post("/api/v1/sessions", &bad, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    // Unknown email: the same 401, so accounts cannot be probed.
    let unknown = json!({"email": unique_email("nobody"), "password": PASSWORD});
    expect_error(
        server.post("/api/v1/sessions", &unknown, None).await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    // Refresh rotates both tokens; the old access token stops working.
    let rotated = expect_json(
        server
            .post(
                "/api/v1/sessions/refresh",
                &json!({"refresh_token": refresh}),
                None,
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let access2 = rotated["access_token"].as_str().unwrap().to_owned();
    let refresh2 = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(access2, access);
    assert_ne!(refresh2, refresh);
    expect_error(
        server.get("/api/v1/me", Some(&access)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    expect_json(
        server.get("/api/v1/me", Some(&access2)).await,
        StatusCode::OK,
    )
    .await;

    // Replaying the used refresh token revokes the whole family.
    expect_error(
        server
            .post(
                "/api/v1/sessions/refresh",
                &json!({"refresh_token": refresh}),
                None,
            )
            .await,
        StatusCode::UNAUTHORIZED,
        "refresh_token_reused",
    )
    .await;
    expect_error(
        server.get("/api/v1/me", Some(&access2)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    expect_error(
        server
            .post(
                "/api/v1/sessions/refresh",
                &json!({"refresh_token": refresh2}),
                None,
            )
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    )
    .await;

    // A new login, then logout: the session's tokens stop working.
    let tokens = expect_json(
        server.post("/api/v1/sessions", &login, None).await,
        StatusCode::OK,
    )
    .await;
    let access3 = tokens["access_token"].as_str().unwrap();
    let refresh3 = tokens["refresh_token"].as_str().unwrap();
    let out = server
        .http
        .delete(server.url("/api/v1/sessions"))
        .bearer_auth(access3)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    expect_error(
        server.get("/api/v1/me", Some(access3)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    expect_error(
        server
            .post(
                "/api/v1/sessions/refresh",
                &json!({"refresh_token": refresh3}),
                None,
            )
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_refresh_token",
    )
    .await;
    let no_token = server
        .http
        .delete(server.url("/api/v1/sessions"))
        .send()
        .await
        .unwrap();
    let www = no_token.headers().get("www-authenticate").cloned();
    expect_error(no_token, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_eq!(www.unwrap(), "Bearer");
}

#[tokio::test]
async fn signup_login_refresh_logout_and_me() {
    let server = TestServer::start().await;
    account_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn invalid_fields_are_named() {
    let server = TestServer::start().await;
    let good = json!({"email": unique_email("a"), "password": PASSWORD, "name": "A",
                      "gender": "male", "birthdate": "2000-01-31"});
    let cases = [
        ("email", json!("not-an-email"), "invalid_field"),
        ("email", json!(42), "invalid_field"),
        ("password", json!("short"), "invalid_field"),
        ("name", json!("   "), "invalid_field"),
        ("name", json!("x".repeat(51)), "invalid_field"),
        ("gender", json!("robot"), "invalid_field"),
        ("birthdate", json!("2000-02-30"), "invalid_field"),
        ("birthdate", json!("3000-01-01"), "invalid_field"),
        ("birthdate", json!(null), "invalid_field"),
    ];
    for (field, value, code) in cases {
        let mut body = good.clone();
        body[field] = value.clone();
        let err = expect_error(
            server.post("/api/v1/accounts", &body, None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(err["field"], field, "{field} = {value}: {err}");
    }
    for field in ["email", "password", "name", "gender", "birthdate"] {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(field);
        let err = expect_error(
            server.post("/api/v1/accounts", &body, None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_field",
        )
        .await;
        assert_eq!(err["field"], field);
    }
    // Nothing was half-written: the good body still signs up.
    expect_json(
        server.post("/api/v1/accounts", &good, None).await,
        StatusCode::CREATED,
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn malformed_json_and_wrong_content_types_get_json_errors() {
    let server = TestServer::start().await;
    let raw = |body: &'static str, ct: Option<&'static str>| {
        let mut req = server.http.post(server.url("/api/v1/accounts")).body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        req.send()
    };
    for body in ["{", "{\"email\": }", "not json", "", "{\"email\":\"a\",}"] {
        expect_error(
            raw(body, Some("application/json")).await.unwrap(),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        )
        .await;
    }
    for body in ["[]", "\"text\"", "17", "null"] {
        expect_error(
            raw(body, Some("application/json")).await.unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        )
        .await;
    }
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        expect_error(
            raw("{}", ct).await.unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        )
        .await;
    }
    server.stop().await;
}

#[tokio::test]
async fn oversized_bodies_unknown_routes_and_methods_get_json_errors() {
    let server = TestServer::start().await;
    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(100 * 1024));
    let resp = server
        .http
        .post(server.url("/api/v1/accounts"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    expect_error(
        server.get("/api/v1/nothing-here", None).await,
        StatusCode::NOT_FOUND,
        "route_not_found",
    )
    .await;
    expect_error(
        server.get("/nope", None).await,
        StatusCode::NOT_FOUND,
        "route_not_found",
    )
    .await;
    let put = server
        .http
        .put(server.url("/api/v1/accounts"))
        .send()
        .await
        .unwrap();
    expect_error(put, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    for auth in [
        "Bearer",
        "Bearer not-a-token",
        "Basic dXNlcjpwdw==",
        "bearer x y",
    ] {
        let resp = server
            .http
            .get(server.url("/api/v1/me"))
            .header("authorization", auth)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{auth}");
        expect_json(resp, StatusCode::UNAUTHORIZED).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn odd_input_never_gets_a_5xx() {
    let server = TestServer::start().await;
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies = [
        nested,
        r#"{"email":"a@b.co","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000","name":"\u0000","gender":"female","birthdate":"1990-01-01"}"#.to_owned(),
        r#"{"email":"a@b.co","password":"pppppppp","name":"n","gender":"female","birthdate":"99999-01-01"}"#.to_owned(),
        r#"{"email":"😀@😀.😀","password":"pppppppp","name":"😀","gender":"female","birthdate":"1990-01-01"}"#.to_owned(),
        r#"{"email":"a@b.co","password":1e999,"name":"n","gender":"female","birthdate":"1990-01-01"}"#.to_owned(),
        "\u{feff}{}".to_owned(),
    ];
    for path in [
        "/api/v1/accounts",
        "/api/v1/sessions",
        "/api/v1/sessions/refresh",
    ] {
        for body in &bodies {
            let resp = server
                .http
                .post(server.url(path))
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let status = resp.status();
            assert!(
                status.is_client_error() || status.is_success(),
                "{path} {body:.60}: {status}"
            );
            let _: serde_json::Value = resp.json().await.expect("a JSON body");
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after() {
    let server = TestServer::start().await;
    let (_, email) = server.signup("Throttled", "male").await;
    let (_, other) = server.signup("Bystander", "female").await;
    let wrong = json!({"email": email, "password": "wrong password"});
    for attempt in 1..=5 {
        let resp = server.post("/api/v1/sessions", &wrong, None).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let resp = server.post("/api/v1/sessions", &wrong, None).await;
    let retry: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=15 * 60).contains(&retry),
        "within the 15 min window: {retry}"
    );
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts").await;
    // Even the right password waits out the window.
    let right = json!({"email": email, "password": PASSWORD});
    expect_error(
        server.post("/api/v1/sessions", &right, None).await,
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
    )
    .await;
    // Other accounts are not affected.
    server.login(&other).await;
    server.stop().await;
}

#[tokio::test]
async fn a_successful_login_clears_earlier_failures() {
    let server = TestServer::start().await;
    let (_, email) = server.signup("Forgetful", "other").await;
    let wrong = json!({"email": email, "password": "wrong password"});
    for _ in 0..4 {
        server.post("/api/v1/sessions", &wrong, None).await;
    }
    server.login(&email).await;
    for _ in 0..4 {
        let resp = server.post("/api/v1/sessions", &wrong, None).await;
        assert_eq!(
            resp.status(),
            StatusCode::UNAUTHORIZED,
            "the count restarted"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn an_expired_access_token_is_refused_but_refresh_works() {
    let server = TestServer::start_with(|c| c.access_token_ttl_secs = 0).await;
    let (_, email) = server.signup("Expired", "female").await;
    let tokens = server.login(&email).await;
    expect_error(
        server
            .get("/api/v1/me", tokens["access_token"].as_str())
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let body = json!({"refresh_token": tokens["refresh_token"]});
    expect_json(
        server.post("/api/v1/sessions/refresh", &body, None).await,
        StatusCode::OK,
    )
    .await;
    server.stop().await;
}

#[tokio::test]
async fn the_database_holds_argon2id_hashes_and_no_clear_tokens() {
    let server = TestServer::start().await;
    let (user_id, email) = server.signup("Stored", "female").await;
    let tokens = server.login(&email).await;
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let path = server.sqlite_path();
    let _dir = server.stop().await;

    let db = rusqlite::Connection::open(path).unwrap();
    let hash: String = db
        .query_row(
            "SELECT password_hash FROM users WHERE id = ?1",
            [&user_id],
            |r| r.get(0),
        )
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    // The tokens appear nowhere in the file's token tables, only their SHA-256.
    for table in ["refresh_tokens", "access_tokens"] {
        let stored: Vec<String> = db
            .prepare(&format!("SELECT token_hash FROM {table}"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(!stored.is_empty(), "{table}");
        for s in &stored {
            assert_ne!(s, &refresh);
            assert_ne!(s, &access);
            assert_eq!(s.len(), 64, "hex SHA-256");
        }
    }
    let refresh_hash: String = db
        .query_row("SELECT token_hash FROM refresh_tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(refresh_hash, sha256_hex(&refresh));
    let file = std::path::PathBuf::from(db.path().unwrap());
    drop(db);
    for path in [file.clone(), file.with_extension("sqlite3-wal")] {
        let raw = std::fs::read(&path).unwrap_or_default();
        assert!(
            !raw.windows(refresh.len()).any(|w| w == refresh.as_bytes()),
            "the refresh token is not in {}",
            path.display()
        );
    }
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

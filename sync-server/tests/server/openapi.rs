//! The OpenAPI document lists every route, and every listed route is served.

use reqwest::StatusCode;

use crate::support::{TestServer, expect_json};

/// Every implemented route, as (method, OpenAPI path).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/health"),
    ("post", "/api/v1/accounts"),
    ("post", "/api/v1/sessions"),
    ("delete", "/api/v1/sessions"),
    ("post", "/api/v1/sessions/refresh"),
    ("get", "/api/v1/me"),
    ("put", "/api/v1/survey"),
    ("get", "/api/v1/survey"),
    ("get", "/api/v1/mentors"),
    ("get", "/api/v1/matches/recommendations"),
    ("post", "/api/v1/matches"),
    ("get", "/api/v1/matches"),
    ("post", "/api/v1/matches/{id}/accept"),
    ("post", "/api/v1/matches/{id}/decline"),
    ("get", "/api/v1/community/questions"),
    ("get", "/api/v1/community/questions/{question_id}"),
    ("put", "/api/v1/community/answers/{answer_id}/vote"),
    ("put", "/api/v1/community/answers/{answer_id}/helpful"),
    (
        "post",
        "/api/v1/community/questions/{question_id}/ai-answer",
    ),
    ("get", "/api/v1/courses"),
    ("get", "/api/v1/courses/model"),
    ("post", "/api/v1/course-events"),
    ("delete", "/api/v1/course-events"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/sync"),
];

#[tokio::test]
async fn every_route_is_documented_with_schemas_and_the_error_shape() {
    let server = TestServer::start().await;
    let doc = expect_json(
        server.get("/api/v1/openapi.json", None).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in ROUTES {
        let op = &paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is not in the OpenAPI document"))[*method];
        assert!(op.is_object(), "{method} {path} is not documented");
        let responses = op["responses"].as_object().unwrap();
        assert!(!responses.is_empty(), "{method} {path} has no responses");
        if *path != "/health" && *path != "/api/v1/openapi.json" {
            let has_error = responses.iter().any(|(code, r)| {
                code.starts_with('4')
                    && r["content"]["application/json"]["schema"]["$ref"]
                        .as_str()
                        .is_some_and(|s| s.ends_with("/ErrorBody"))
            });
            assert!(has_error, "{method} {path} documents no ErrorBody response");
        }
        if matches!(*method, "post" | "put")
            && !path.ends_with("/accept")
            && !path.ends_with("/decline")
            && !path.ends_with("/ai-answer")
        {
            assert!(
                op["requestBody"].is_object(),
                "{method} {path} has no request body schema"
            );
        }
    }
    // Nothing documented that is not implemented.
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        ROUTES.len(),
        "{}",
        serde_json::to_string_pretty(paths).unwrap()
    );
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "ErrorBody",
        "SignupRequest",
        "TokenResponse",
        "SurveyRequest",
        "MatchView",
        "Reason",
        "QuestionList",
        "ThreadView",
        "AnswerView",
        "VoteRequest",
        "HelpfulRequest",
        "AnswerStatus",
    ] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    let error = &schemas["ErrorBody"]["properties"];
    for field in ["code", "message", "field"] {
        assert!(error[field].is_object(), "ErrorBody.{field}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    server.stop().await;
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let server = TestServer::start().await;
    let doc: serde_json::Value = server
        .get("/api/v1/openapi.json", None)
        .await
        .json()
        .await
        .unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let url = server.url(&path.replace("{id}", "some-id"));
            let req = match method.as_str() {
                "get" => server.http.get(url),
                "post" => server.http.post(url),
                "put" => server.http.put(url),
                "delete" => server.http.delete(url),
                other => panic!("unexpected method {other}"),
            };
            let resp = req
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body: serde_json::Value = resp.json().await.unwrap();
            assert!(
                body["code"] != "route_not_found" && status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not served: {status} {body}"
            );
            assert!(!status.is_server_error(), "{method} {path}: {status}");
        }
    }
    server.stop().await;
}

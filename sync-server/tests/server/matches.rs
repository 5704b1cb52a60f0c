//! Survey, mentor directory, recommendations, and the request / accept /
//! decline life of a match with capacity.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{TestServer, expect_error, expect_json, unique_hobby};

struct Person {
    id: String,
    token: String,
}

async fn person(server: &TestServer, name: &str, gender: &str) -> Person {
    let (id, token) = server.user(name, gender).await;
    Person { id, token }
}

#[allow(clippy::too_many_arguments)]
async fn mentor(
    server: &TestServer,
    name: &str,
    gender: &str,
    hobby: &str,
    level: u8,
    location: &str,
    age_group: &str,
    capacity: u32,
    preferred: Option<&str>,
) -> Person {
    let p = person(server, name, gender).await;
    let survey = json!({"role": "mentor", "hobby": hobby, "gender": gender, "age_group": age_group,
        "location": location, "activity_level": "medium", "level": level, "capacity": capacity,
        "preferred_mentee_gender": preferred});
    expect_json(
        server.put("/api/v1/survey", &survey, &p.token).await,
        StatusCode::OK,
    )
    .await;
    p
}

async fn mentee(server: &TestServer, name: &str, gender: &str, hobby: &str, level: u8) -> Person {
    let p = person(server, name, gender).await;
    let survey = json!({"role": "mentee", "hobby": hobby, "gender": gender, "age_group": "20s",
        "location": "서울", "activity_level": "medium", "level": level});
    expect_json(
        server.put("/api/v1/survey", &survey, &p.token).await,
        StatusCode::OK,
    )
    .await;
    p
}

async fn recommended(server: &TestServer, who: &Person) -> Vec<Value> {
    let body = expect_json(
        server
            .get("/api/v1/matches/recommendations", Some(&who.token))
            .await,
        StatusCode::OK,
    )
    .await;
    body["recommendations"].as_array().unwrap().clone()
}

fn ids(recs: &[Value]) -> Vec<&str> {
    recs.iter()
        .map(|r| r["mentor"]["user_id"].as_str().unwrap())
        .collect()
}

async fn request(server: &TestServer, who: &Person, mentor_id: &str) -> reqwest::Response {
    server
        .post(
            "/api/v1/matches",
            &json!({"mentor_id": mentor_id}),
            Some(&who.token),
        )
        .await
}

async fn decide(
    server: &TestServer,
    who: &Person,
    match_id: &str,
    verb: &str,
) -> reqwest::Response {
    server
        .post(
            &format!("/api/v1/matches/{match_id}/{verb}"),
            &json!({}),
            Some(&who.token),
        )
        .await
}

/// The whole matching story; run on SQLite here and on PostgreSQL in `postgres`.
pub async fn matching_flow(server: &TestServer) {
    let h = unique_hobby();
    let near = mentor(server, "Near", "female", &h, 3, "서울", "20s", 1, None).await;
    let far = mentor(server, "Far", "male", &h, 5, "부산", "50s", 2, None).await;
    let adjacent = mentor(
        server, "Adjacent", "female", &h, 2, " 서울 ", "30s", 2, None,
    )
    .await;
    let level_peer = mentor(server, "LevelPeer", "male", &h, 1, "서울", "20s", 2, None).await;
    let picky = mentor(
        server,
        "Picky",
        "female",
        &h,
        3,
        "서울",
        "20s",
        2,
        Some("male"),
    )
    .await;
    let minji = mentee(server, "Minji", "female", &h, 1).await;
    let junho = mentee(server, "Junho", "male", &h, 0).await;
    let nobody = person(server, "NoSurvey", "other").await;

    // The survey reads back as written.
    let survey = expect_json(
        server.get("/api/v1/survey", Some(&picky.token)).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(survey["role"], "mentor");
    assert_eq!(survey["preferred_mentee_gender"], "male");
    assert_eq!(survey["capacity"], 2);
    expect_error(
        server.get("/api/v1/survey", Some(&nobody.token)).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The directory lists the hobby's mentors by name, without emails.
    let dir = expect_json(
        server
            .get(&format!("/api/v1/mentors?hobby={h}"), Some(&minji.token))
            .await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<&str> = dir["mentors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Adjacent", "Far", "LevelPeer", "Near", "Picky"]);
    assert!(
        !dir.to_string().contains("@example.com"),
        "no emails in the directory: {dir}"
    );
    assert!(!dir.to_string().contains("birthdate"));

    // Recommendations: hobby and level above the mentee are required; Picky
    // prefers male mentees; the best fit (same area and age, 2 levels above) first.
    let recs = recommended(server, &minji).await;
    assert_eq!(
        ids(&recs),
        [near.id.as_str(), adjacent.id.as_str(), far.id.as_str()]
    );
    let codes: Vec<&str> = recs[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "same_hobby",
            "level_fit",
            "same_location",
            "same_age_group",
            "same_activity_level"
        ]
    );
    let location = &recs[0]["reasons"][2];
    assert_eq!(
        (location["ko"].as_str(), location["en"].as_str()),
        (Some("같은 지역"), Some("Same area"))
    );
    assert_eq!(recs[0]["score"], 90);
    assert!(recs[0]["score"].as_u64() > recs[1]["score"].as_u64());
    assert!(recs[1]["score"].as_u64() > recs[2]["score"].as_u64());
    let far_codes = recs[2]["reasons"].to_string();
    assert!(
        far_codes.contains("level_far_above") && !far_codes.contains("same_location"),
        "{far_codes}"
    );
    let junho_recs = recommended(server, &junho).await;
    assert!(
        ids(&junho_recs).contains(&picky.id.as_str()),
        "Picky takes male mentees"
    );
    assert!(
        junho_recs[0]["reasons"]
            .to_string()
            .contains("gender_preference_met")
            || ids(&junho_recs)[0] != picky.id
    );

    expect_error(
        server
            .get("/api/v1/matches/recommendations", Some(&near.token))
            .await,
        StatusCode::FORBIDDEN,
        "not_a_mentee",
    )
    .await;
    expect_error(
        server
            .get("/api/v1/matches/recommendations", Some(&nobody.token))
            .await,
        StatusCode::CONFLICT,
        "survey_required",
    )
    .await;

    // Minji requests Near: pending.
    let m1 = expect_json(request(server, &minji, &near.id).await, StatusCode::CREATED).await;
    assert_eq!(m1["status"], "pending");
    assert_eq!(m1["my_role"], "mentee");
    assert_eq!(m1["mentor_name"], "Near");
    let m1_id = m1["id"].as_str().unwrap().to_owned();
    expect_error(
        request(server, &minji, &near.id).await,
        StatusCode::CONFLICT,
        "match_exists",
    )
    .await;
    assert!(
        !ids(&recommended(server, &minji).await).contains(&near.id.as_str()),
        "already requested"
    );

    // Junho requests Near too (capacity 1, nobody accepted yet).
    let m2 = expect_json(request(server, &junho, &near.id).await, StatusCode::CREATED).await;
    let m2_id = m2["id"].as_str().unwrap().to_owned();

    // Only the mentor decides.
    expect_error(
        decide(server, &minji, &m1_id, "accept").await,
        StatusCode::FORBIDDEN,
        "not_match_mentor",
    )
    .await;
    expect_error(
        decide(server, &far, &m1_id, "accept").await,
        StatusCode::FORBIDDEN,
        "not_match_party",
    )
    .await;
    expect_error(
        decide(server, &far, &m1_id, "decline").await,
        StatusCode::FORBIDDEN,
        "not_match_party",
    )
    .await;
    expect_error(
        decide(server, &near, "no-such-match", "accept").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    let accepted = expect_json(
        decide(server, &near, &m1_id, "accept").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (accepted["status"].as_str(), accepted["my_role"].as_str()),
        (Some("accepted"), Some("mentor"))
    );
    // Capacity 1 is used up.
    expect_error(
        decide(server, &near, &m2_id, "accept").await,
        StatusCode::CONFLICT,
        "mentor_at_capacity",
    )
    .await;
    let declined = expect_json(
        decide(server, &near, &m2_id, "decline").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(declined["status"], "declined");
    expect_error(
        decide(server, &near, &m1_id, "decline").await,
        StatusCode::CONFLICT,
        "match_not_pending",
    )
    .await;
    expect_error(
        request(server, &junho, &near.id).await,
        StatusCode::CONFLICT,
        "mentor_at_capacity",
    )
    .await;

    // Request rules.
    expect_error(
        request(server, &minji, &level_peer.id).await,
        StatusCode::CONFLICT,
        "mentor_level_too_low",
    )
    .await;
    expect_error(
        request(server, &minji, &junho.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        request(server, &minji, "no-such-user").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let own = expect_error(
        request(server, &minji, &minji.id).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(own["field"], "mentor_id");
    expect_error(
        request(server, &far, &near.id).await,
        StatusCode::FORBIDDEN,
        "not_a_mentee",
    )
    .await;

    // Adjacent declines Minji; she can ask again later.
    let m3 = expect_json(
        request(server, &minji, &adjacent.id).await,
        StatusCode::CREATED,
    )
    .await;
    expect_json(
        decide(server, &adjacent, m3["id"].as_str().unwrap(), "decline").await,
        StatusCode::OK,
    )
    .await;
    expect_json(
        request(server, &minji, &adjacent.id).await,
        StatusCode::CREATED,
    )
    .await;

    // Both sides list their matches.
    let near_list = expect_json(
        server.get("/api/v1/matches", Some(&near.token)).await,
        StatusCode::OK,
    )
    .await;
    let near_matches = near_list["matches"].as_array().unwrap();
    assert_eq!(near_matches.len(), 2);
    assert!(near_matches.iter().all(|m| m["my_role"] == "mentor"));
    let minji_list = expect_json(
        server.get("/api/v1/matches", Some(&minji.token)).await,
        StatusCode::OK,
    )
    .await;
    let statuses: Vec<&str> = minji_list["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 3);
    assert!(
        statuses.contains(&"accepted")
            && statuses.contains(&"declined")
            && statuses.contains(&"pending")
    );

    // The directory shows Near as full.
    let dir = expect_json(
        server
            .get(&format!("/api/v1/mentors?hobby={h}"), Some(&minji.token))
            .await,
        StatusCode::OK,
    )
    .await;
    let near_entry = dir["mentors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == near.id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (
            near_entry["accepted_count"].as_u64(),
            near_entry["available"].as_bool()
        ),
        (Some(1), Some(false))
    );
    assert!(
        !ids(&recommended(server, &junho).await).contains(&near.id.as_str()),
        "full mentors are not recommended"
    );
}

#[tokio::test]
async fn survey_directory_recommendations_and_matches() {
    let server = TestServer::start().await;
    matching_flow(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn survey_fields_are_validated_by_name() {
    let server = TestServer::start().await;
    let p = person(&server, "Validator", "female").await;
    let good = json!({"role": "mentor", "hobby": "piano", "gender": "female", "age_group": "30s",
        "location": "Seoul", "activity_level": "high", "level": 4, "capacity": 3});
    let cases = [
        ("role", json!("teacher")),
        ("hobby", json!("Piano Lessons")),
        ("gender", json!(1)),
        ("age_group", json!("thirties")),
        ("location", json!("")),
        ("activity_level", json!("extreme")),
        ("level", json!(6)),
        ("level", json!(-1)),
        ("capacity", json!(0)),
        ("preferred_mentee_gender", json!("any")),
    ];
    for (field, value) in cases {
        let mut body = good.clone();
        body[field] = value.clone();
        let err = expect_error(
            server.put("/api/v1/survey", &body, &p.token).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
        )
        .await;
        assert_eq!(err["field"], field, "{field} = {value}");
    }
    let mut no_capacity = good.clone();
    no_capacity.as_object_mut().unwrap().remove("capacity");
    let err = expect_error(
        server.put("/api/v1/survey", &no_capacity, &p.token).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    assert_eq!(err["field"], "capacity");
    let resp = server
        .http
        .put(server.url("/api/v1/survey"))
        .json(&good)
        .send()
        .await
        .unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    expect_error(
        server
            .get("/api/v1/mentors?hobby=Not%20An%20Id", Some(&p.token))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
    )
    .await;
    // Re-submitting replaces the survey.
    expect_json(
        server.put("/api/v1/survey", &good, &p.token).await,
        StatusCode::OK,
    )
    .await;
    let mut changed = good.clone();
    changed["role"] = json!("mentee");
    changed.as_object_mut().unwrap().remove("capacity");
    let back = expect_json(
        server.put("/api/v1/survey", &changed, &p.token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(back["role"], "mentee");
    assert!(back["capacity"].is_null());
    server.stop().await;
}

//! Prints latency and throughput of the account and matching routes on the real
//! server over loopback, with production password-hash costs (OWASP argon2id
//! 19 MiB, t=2). SQLite always; PostgreSQL too when TUTTI_TEST_DATABASE_URL is set.
//!
//!   cargo bench -p tutti-sync-server --bench accounts
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tutti_sync_server::{Config, Secret, serve};

const PASSWORD: &str = "correct horse battery";

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

fn report(name: &str, samples: &mut [Duration]) {
    let p50 = percentile(samples, 0.5);
    let p99 = percentile(samples, 0.99);
    println!(
        "  {name:<34} n={:<5} p50 {:>8.2} ms  p99 {:>8.2} ms",
        samples.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );
}

fn unique(tag: &str) -> String {
    format!("{tag}-{}", uuid::Uuid::new_v4().simple())
}

async fn run(label: &str, database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = Config::new(addr, dir.path().join("data"));
    config.database_url = database_url.map(Secret::new);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(config, listener, async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::new();
    let url = |p: &str| format!("http://{addr}{p}");
    println!("{label}:");

    // Sign-ups and logins: dominated by argon2id.
    let mut signups = Vec::new();
    let mut emails = Vec::new();
    for _ in 0..20 {
        let email = format!("{}@example.com", unique("bench"));
        let body = json!({"email": email, "password": PASSWORD, "name": "Bench",
                          "gender": "other", "birthdate": "1990-01-01"});
        let t = Instant::now();
        let r = http
            .post(url("/api/v1/accounts"))
            .json(&body)
            .send()
            .await
            .unwrap();
        signups.push(t.elapsed());
        assert_eq!(r.status(), 201);
        emails.push(email);
    }
    report("POST /accounts (argon2id hash)", &mut signups);
    let mut logins = Vec::new();
    let mut token = String::new();
    for email in &emails {
        let t = Instant::now();
        let r: Value = http
            .post(url("/api/v1/sessions"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        logins.push(t.elapsed());
        token = r["access_token"].as_str().unwrap().to_owned();
    }
    report("POST /sessions (argon2id verify)", &mut logins);

    // Authenticated reads, 16 concurrent clients.
    let total = 4000;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (http, token, me) = (http.clone(), token.clone(), url("/api/v1/me"));
        tasks.push(tokio::spawn(async move {
            let mut s = Vec::new();
            for _ in 0..total / 16 {
                let t = Instant::now();
                let r = http.get(&me).bearer_auth(&token).send().await.unwrap();
                assert_eq!(r.status(), 200);
                s.push(t.elapsed());
            }
            s
        }));
    }
    let mut me = Vec::new();
    for t in tasks {
        me.extend(t.await.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    report("GET /me, 16 concurrent", &mut me);
    println!(
        "  {:<34} {:.0} req/s",
        "GET /me throughput",
        total as f64 / secs
    );

    // Recommendations among 200 mentors of one hobby.
    let hobby = unique("piano");
    let cheap_user = |i: usize| {
        json!({"email": format!("{}@example.com", unique(&format!("m{i}"))), "password": PASSWORD,
               "name": format!("Mentor {i}"), "gender": "female", "birthdate": "1980-01-01"})
    };
    let mut signup_tasks = Vec::new();
    for i in 0..200 {
        let (http, body, accounts, sessions, survey) = (
            http.clone(),
            cheap_user(i),
            url("/api/v1/accounts"),
            url("/api/v1/sessions"),
            url("/api/v1/survey"),
        );
        let hobby = hobby.clone();
        signup_tasks.push(async move {
            http.post(&accounts).json(&body).send().await.unwrap();
            let login: Value = http
                .post(&sessions)
                .json(&json!({"email": body["email"], "password": PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let age_group = ["20s", "30s", "40s"][i % 3];
            let location = ["서울", "부산"][i % 2];
            let survey_body = json!({"role": "mentor", "hobby": hobby, "gender": "female",
                "age_group": age_group, "location": location,
                "activity_level": "medium", "level": 2 + (i % 4), "capacity": 3});
            http.put(&survey)
                .bearer_auth(login["access_token"].as_str().unwrap())
                .json(&survey_body)
                .send()
                .await
                .unwrap();
        });
    }
    // Four at a time: argon2id at 19 MiB each.
    let mut pending = signup_tasks.into_iter();
    loop {
        let batch: Vec<_> = pending.by_ref().take(4).collect();
        if batch.is_empty() {
            break;
        }
        futures_util::future::join_all(batch).await;
    }
    let mentee = json!({"role": "mentee", "hobby": hobby, "gender": "male", "age_group": "20s",
        "location": "서울", "activity_level": "medium", "level": 1});
    http.put(url("/api/v1/survey"))
        .bearer_auth(&token)
        .json(&mentee)
        .send()
        .await
        .unwrap();
    let mut recs = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let r: Value = http
            .get(url("/api/v1/matches/recommendations"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        recs.push(t.elapsed());
        assert_eq!(r["recommendations"].as_array().unwrap().len(), 3);
    }
    report("GET recommendations (200 mentors)", &mut recs);

    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::main]
async fn main() {
    run("SQLite", None).await;
    if let Ok(url) = std::env::var("TUTTI_TEST_DATABASE_URL") {
        run("PostgreSQL", Some(url)).await;
    }
}

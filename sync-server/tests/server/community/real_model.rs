//! The community assistant against a real small model: a llama.cpp server
//! (PyPI `xllamacpp`) serving SmolLM2-135M-Instruct, which scripts/test.sh's
//! llm-real step starts (`crates/llm/scripts/serve-smollm2.sh`) and names in
//! `TUTTI_LLM_REAL_URL`. The assertions are about structure, never wording.

use reqwest::StatusCode;
use serde_json::Value;
use tutti_sync_server::ASSISTANT_USER_ID;

use super::assistant::{ask_ai, asked};
use super::posts::{member, thread};
use crate::support::{TestServer, unique_hobby};

#[tokio::test]
#[ignore = "needs a running llama.cpp server: set TUTTI_LLM_REAL_URL (scripts/test.sh, llm-real step)"]
async fn real_model_the_assistant_answers_a_question() {
    let url =
        std::env::var("TUTTI_LLM_REAL_URL").expect("TUTTI_LLM_REAL_URL names the llama.cpp server");
    let model = std::env::var("TUTTI_LLM_REAL_MODEL")
        .unwrap_or_else(|_| "smollm2-135m-instruct".to_owned());
    let server = TestServer::start_with(move |c| {
        c.assistant_url = Some(url);
        c.assistant_model = Some(model);
    })
    .await;
    let asker = member(&server, "질문자").await;
    let (question_id, _doc, _device) = asked(&server, &asker, &unique_hobby()).await;

    let resp = ask_ai(&server, &asker.token, &question_id).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let answer: Value = resp.json().await.unwrap();
    assert_eq!(answer["author_id"], ASSISTANT_USER_ID);
    let body = answer["body"].as_str().unwrap();
    assert!(!body.trim().is_empty(), "the model wrote an answer");
    let label = answer["ai"]["model"].as_str().unwrap();
    assert!(!label.is_empty(), "labelled with the model");

    let t = thread(&server, &asker.token, &question_id).await;
    let listed = t["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["answer_id"] == answer["answer_id"])
        .expect("the thread lists the assistant's answer");
    assert_eq!(listed["ai"]["model"], label);
    assert_eq!(listed["body"], body);
    server.stop().await;
}

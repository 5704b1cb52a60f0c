//! The server's community assistant: an asker without an AI provider of
//! their own gets the answer from the sync server, configured with a real
//! local HTTP server speaking the OpenAI protocol. The answer is the
//! assistant account's document, labelled with the model, syncs down to the
//! asker's device (so it reads offline) and cannot be accepted.

use tutti_core::community::dto::AiLabelView;
use tutti_sync::UserId;
use tutti_sync::community::answer_document_id;

use super::{asked_about, stored, stored_doc, synced, thread};
use crate::mentor::provider::{FakeProvider, MODEL, Reply};
use crate::sync::{Server, eventually, signed_in_core};

const REPLY: &str = "메트로놈을 60에 맞추고, 한 박에 한 음씩 천천히 올려 보세요.";
/// The assistant account's fixed id on every server.
const ASSISTANT: &str = "tutti-assistant";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_of_their_own_the_asker_gets_the_servers_assistant_answer() {
    let provider = FakeProvider::start(vec![Reply::Content(format!("\n{REPLY}  "))]).await;
    let server = Server::start_with(tempfile::tempdir().unwrap(), "127.0.0.1:0", |c| {
        c.assistant_url = Some(provider.base_url.clone());
        c.assistant_model = Some("server-model".into());
    })
    .await;
    let asker = signed_in_core(&server, "asker", "female").await;
    let helper = signed_in_core(&server, "helper", "male").await;
    let sync = asker.tutti.chat_sync_start().unwrap();
    synced(&sync).await;
    let qid = asker
        .tutti
        .community_ask(
            "piano",
            "스케일이 빨라지지 않아요",
            "C 메이저 스케일을 빠르게 치면 손가락이 꼬여요",
        )
        .unwrap()
        .summary
        .question_id;
    eventually("the question reaches the server", || async {
        thread(&helper, &qid).await.is_some()
    })
    .await;

    let ai = asker.tutti.community_answer_ai(&qid).await.unwrap();
    assert_eq!(
        ai.ai,
        Some(AiLabelView {
            model: MODEL.into()
        }),
        "labelled with the model the provider reported"
    );
    assert_eq!(ai.body, REPLY, "the reply, trimmed");
    assert_eq!(ai.author_id, ASSISTANT);
    assert_eq!(ai.author_name.as_deref(), Some("Tutti AI"));
    assert!(!ai.mine && !ai.accepted && !ai.pending);
    let requests = provider.requests();
    assert_eq!(requests.len(), 1, "the server asked the model once");
    asked_about(
        &requests[0],
        "piano",
        "스케일이 빨라지지 않아요\n\nC 메이저 스케일을 빠르게 치면 손가락이 꼬여요",
    );

    // Asking again (say, after a lost response) gives the same answer.
    let again = asker.tutti.community_answer_ai(&qid).await.unwrap();
    assert_eq!(again.answer_id, ai.answer_id);
    assert_eq!(provider.requests().len(), 1, "no second call to the model");

    // The answer's document syncs down to the asker's device.
    let doc_id = answer_document_id(&qid, &ai.answer_id, &UserId::new(ASSISTANT));
    eventually("the asker's device holds the answer document", || async {
        stored_doc(&asker, &doc_id).is_some()
    })
    .await;

    // Not acceptable: refused on the device, nothing written.
    let before = stored(&asker);
    let err = asker
        .tutti
        .community_accept(&qid, Some(&ai.answer_id))
        .unwrap_err();
    assert_eq!(err.code(), "ai_answer_not_acceptable", "{err}");
    assert_eq!(stored(&asker), before);

    // Every reader sees it labelled, under the assistant's name.
    let t = thread(&helper, &qid).await.unwrap();
    let shown = t
        .answers
        .iter()
        .find(|a| a.answer_id == ai.answer_id)
        .expect("the helper sees the assistant's answer");
    assert_eq!(shown.ai.as_ref().map(|l| l.model.as_str()), Some(MODEL));
    assert_eq!(shown.author_name.as_deref(), Some("Tutti AI"));

    // And it reads offline on the asker's device.
    sync.stop().await;
    let _data = server.stop().await;
    let offline = asker.tutti.community_thread(&qid).await.unwrap();
    assert!(offline.from_cache, "read from this device");
    let cached = offline
        .answers
        .iter()
        .find(|a| a.answer_id == ai.answer_id)
        .expect("the assistant's answer reads offline");
    assert_eq!(cached.body, REPLY);
    assert_eq!(cached.ai.as_ref().map(|l| l.model.as_str()), Some(MODEL));
}

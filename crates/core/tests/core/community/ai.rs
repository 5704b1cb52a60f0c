//! The AI answer, from a real local HTTP server speaking the OpenAI
//! protocol: stored as the asker's answer, labelled with the model for every
//! reader, markable helpful, never acceptable; a person's answer is.

use tutti_core::community::dto::AiLabelView;
use tutti_core::mentor::dto::LlmSettingsInput;

use super::{asked_about, stored, synced, thread};
use crate::mentor::provider::{FakeProvider, MODEL, Reply};
use crate::sync::{Server, eventually, signed_in_core};

const REPLY: &str = "검지를 줄에 가깝게 눕히고, 손목을 조금 앞으로 내밀어 보세요.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ai_answer_is_labelled_with_its_model_and_cannot_be_accepted() {
    let server = Server::start().await;
    let asker = signed_in_core(&server, "asker", "female").await;
    let helper = signed_in_core(&server, "helper", "male").await;
    let sa = asker.tutti.chat_sync_start().unwrap();
    synced(&sa).await;
    let qid = asker
        .tutti
        .community_ask(
            "guitar",
            "바레코드가 안 돼요",
            "F 코드에서 2번 줄 소리가 안 나요",
        )
        .unwrap()
        .summary
        .question_id;

    // No provider: a clear error, nothing stored.
    let before = stored(&asker);
    let err = asker.tutti.community_answer_ai(&qid).await.unwrap_err();
    assert_eq!(err.code(), "llm_not_configured", "{err}");
    assert_eq!(stored(&asker), before);

    let provider = FakeProvider::start(vec![Reply::Content(format!("  {REPLY}\n"))]).await;
    asker
        .tutti
        .llm_settings_set(LlmSettingsInput {
            base_url: provider.base_url.clone(),
            model: "configured-model".into(),
        })
        .unwrap();
    let ai = asker.tutti.community_answer_ai(&qid).await.unwrap();
    assert_eq!(
        ai.ai,
        Some(AiLabelView {
            model: MODEL.into()
        }),
        "labelled with the model the provider reported"
    );
    assert_eq!(ai.body, REPLY, "the reply, trimmed");
    assert!(ai.mine);
    let requests = provider.requests();
    assert_eq!(requests.len(), 1);
    asked_about(
        &requests[0],
        "guitar",
        "바레코드가 안 돼요\n\nF 코드에서 2번 줄 소리가 안 나요",
    );

    // Not acceptable, locally: refused and nothing written.
    let before = stored(&asker);
    let err = asker
        .tutti
        .community_accept(&qid, Some(&ai.answer_id))
        .unwrap_err();
    assert_eq!(err.code(), "ai_answer_not_acceptable", "{err}");
    assert_eq!(stored(&asker), before);

    // Every reader sees the label (the server indexed the synced document).
    eventually("the helper sees the AI answer, labelled", || async {
        thread(&helper, &qid).await.is_some_and(|t| {
            t.answers.iter().any(|a| {
                a.answer_id == ai.answer_id && a.ai.as_ref().is_some_and(|l| l.model == MODEL)
            })
        })
    })
    .await;
    let human = helper
        .tutti
        .community_answer(&qid, "엄지를 목 뒤로 내려 보세요")
        .unwrap();
    let sh = helper.tutti.chat_sync_start().unwrap();
    eventually("the asker sees the person's answer", || async {
        thread(&asker, &qid)
            .await
            .is_some_and(|t| t.answers.iter().any(|a| a.answer_id == human.answer_id))
    })
    .await;

    // Helpful: an AI answer may be; votes: one per user.
    let status = asker
        .tutti
        .community_helpful(&ai.answer_id, true)
        .await
        .unwrap();
    assert!(status.helpful);
    let err = helper
        .tutti
        .community_helpful(&ai.answer_id, true)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        "server_rejected",
        "only the asker marks helpful: {err}"
    );
    for _ in 0..2 {
        let status = helper.tutti.community_vote(&ai.answer_id, 1).await.unwrap();
        assert_eq!((status.score, status.my_vote), (1, 1), "one vote per user");
    }

    // The person's answer is accepted, and every reader sees that.
    let q = asker
        .tutti
        .community_accept(&qid, Some(&human.answer_id))
        .unwrap();
    assert_eq!(
        q.summary.accepted_answer_id.as_deref(),
        Some(human.answer_id.as_str())
    );
    eventually("the helper sees the acceptance", || async {
        thread(&helper, &qid).await.is_some_and(|t| {
            t.question.summary.accepted_answer_id.as_deref() == Some(human.answer_id.as_str())
                && t.answers[0].answer_id == human.answer_id
                && t.answers[0].accepted
        })
    })
    .await;
    let t = thread(&helper, &qid).await.unwrap();
    let shown = t
        .answers
        .iter()
        .find(|a| a.answer_id == ai.answer_id)
        .unwrap();
    assert!(shown.helpful && !shown.accepted && shown.ai.is_some());
    assert_eq!(shown.score, 1);
    sa.stop().await;
    sh.stop().await;
}

//! Full-text search finds a Korean word inside a sentence, on the server's
//! index and, offline, on this device's copies; hobby and sort filter.

use tutti_core::community::dto::{QuestionFilter, QuestionSort};

use super::{listed, synced};
use crate::sync::{Server, eventually, signed_in_core};

fn search(q: &str) -> QuestionFilter {
    QuestionFilter {
        q: Some(q.into()),
        ..QuestionFilter::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_a_korean_word_inside_a_body() {
    let server = Server::start().await;
    let asker = signed_in_core(&server, "asker", "female").await;
    let reader = signed_in_core(&server, "reader", "male").await;
    let sync = asker.tutti.chat_sync_start().unwrap();
    synced(&sync).await;
    let guitar = asker
        .tutti
        .community_ask(
            "guitar",
            "코드 전환 질문",
            "왼손 손가락이 아파서 바레코드를 오래 못 잡겠어요",
        )
        .unwrap()
        .summary
        .question_id;
    let piano = asker
        .tutti
        .community_ask("piano", "Scales", "How do I practise scales faster?")
        .unwrap()
        .summary
        .question_id;
    eventually("the reader finds the word inside the body", || async {
        listed(&reader, search("아파서")).await == (vec![guitar.clone()], false)
    })
    .await;
    assert_eq!(
        listed(&reader, search("바레코드")).await.0,
        std::slice::from_ref(&guitar),
        "a word glued to its particle (바레코드를)"
    );
    assert!(listed(&reader, search("피아노")).await.0.is_empty());
    eventually("both are indexed", || async {
        listed(&reader, QuestionFilter::default()).await.0.len() == 2
    })
    .await;
    let by_hobby = QuestionFilter {
        hobby: Some("piano".into()),
        ..QuestionFilter::default()
    };
    assert_eq!(
        listed(&reader, by_hobby.clone()).await.0,
        std::slice::from_ref(&piano)
    );
    let unanswered = QuestionFilter {
        sort: QuestionSort::Unanswered,
        ..QuestionFilter::default()
    };
    assert_eq!(
        listed(&reader, unanswered).await.0,
        [piano.clone(), guitar.clone()],
        "newest first, nobody answered yet"
    );

    // Offline, the asker's own questions are searched on this device.
    sync.stop().await;
    let _data = server.stop().await;
    assert_eq!(listed(&asker, search("아파서")).await, (vec![guitar], true));
    assert_eq!(listed(&asker, by_hobby).await, (vec![piano], true));
}

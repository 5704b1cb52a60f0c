//! A thread as the UI sees it: the server's view (fresh, or as last fetched)
//! merged with this device's documents. A post's text comes from whichever
//! copy is newer (this user's offline edits show at once); names, votes and
//! helpful marks come from the server; this user's own posts the server has
//! not acknowledged are marked `pending`.

use std::collections::BTreeMap;

use tutti_sync::community::{Answer, Question};

use super::document::{self, Post};
use super::dto::{AiLabelView, AnswerView, QuestionSummary, QuestionView, ThreadView};
use super::wire;
use crate::Result;
use crate::store::Store;
use crate::store::community::{CommunityDocRow, StoredCommunityDoc};

const PREVIEW_CHARS: usize = 200;

pub(crate) fn preview(body: &str) -> String {
    body.chars().take(PREVIEW_CHARS).collect()
}

/// Whether the local copy is at least as new as the server's.
fn local_is_newer(local: Option<i64>, server: Option<i64>) -> bool {
    local >= server
}

/// The documents to fetch for a thread the server described: only those whose
/// id is the one derived from the post's ids and owner.
pub(crate) fn wanted_rows(thread: &wire::Thread) -> Vec<CommunityDocRow> {
    let q = &thread.question.summary;
    let mut rows = vec![document::question_row(&q.question_id, &q.asker_id)];
    rows.extend(
        thread
            .answers
            .iter()
            .map(|a| document::answer_row(&q.question_id, &a.answer_id, &a.author_id)),
    );
    let derived: Vec<&str> = std::iter::once(q.document_id.as_str())
        .chain(thread.answers.iter().map(|a| a.document_id.as_str()))
        .collect();
    rows.into_iter()
        .zip(derived)
        .filter(|(row, claimed)| row.document_id == *claimed)
        .map(|(row, _)| row)
        .collect()
}

/// Keeps the server's view of a thread: the JSON, the names, and the
/// documents to fetch. Returns how many documents are newly wanted.
pub(crate) fn remember(store: &mut Store, thread: &wire::Thread) -> Result<usize> {
    let json = serde_json::to_string(thread).map_err(|e| crate::Error::CorruptRecord {
        what: "community thread",
        id: thread.question.summary.question_id.clone(),
        reason: e.to_string(),
    })?;
    store.set_community_thread(&thread.question.summary.question_id, &json)?;
    let mut names = vec![(
        thread.question.summary.asker_id.clone(),
        thread.question.summary.asker_name.clone(),
    )];
    names.extend(
        thread
            .answers
            .iter()
            .map(|a| (a.author_id.clone(), a.author_name.clone())),
    );
    store.set_community_names(&names)?;
    store.community_want(&wanted_rows(thread))
}

/// The server's view of a thread as last fetched.
pub(crate) fn cached(store: &Store, question_id: &str) -> Result<Option<wire::Thread>> {
    Ok(store
        .community_thread(question_id)?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

struct LocalAnswer {
    answer: Answer,
    pending: bool,
}

/// Merges `server` (fresh or cached) with the local documents of the
/// question. `None` when neither knows the question or it was deleted.
pub(crate) fn merge(
    store: &Store,
    me: &str,
    question_id: &str,
    server: Option<&wire::Thread>,
    from_cache: bool,
) -> Result<Option<ThreadView>> {
    let docs = store.community_documents_of(question_id)?;
    let (local_question, local_answers) = read_local(store, me, &docs)?;
    let sq = server.map(|t| &t.question);
    let Some(mut view) = question_view(store, me, sq, local_question)? else {
        return Ok(None);
    };
    let mut answers: BTreeMap<String, AnswerView> = BTreeMap::new();
    for a in server.map_or(&[][..], |t| &t.answers[..]) {
        answers.insert(a.answer_id.clone(), server_answer(a, question_id, me));
    }
    for (id, local) in local_answers {
        let a = local.answer;
        if let Some(existing) = answers.get_mut(&id) {
            if local_is_newer(a.edited_at, existing.edited_at) {
                existing.body = a.body.clone();
                existing.edited_at = a.edited_at;
                if a.deleted {
                    answers.remove(&id);
                    continue;
                }
            }
            if let Some(existing) = answers.get_mut(&id) {
                existing.pending = local.pending;
            }
        } else if !a.deleted {
            let author_name = store.community_name(a.author_id.as_str())?;
            answers.insert(id, local_answer(a, me, author_name, local.pending));
        }
    }
    let accepted = view.summary.accepted_answer_id.clone();
    let mut answers: Vec<AnswerView> = answers.into_values().collect();
    for a in &mut answers {
        a.accepted = a.ai.is_none() && accepted.as_deref() == Some(a.answer_id.as_str());
    }
    if !answers.iter().any(|a| a.accepted) {
        view.summary.accepted_answer_id = None;
    }
    answers.sort_by(|a, b| {
        (b.accepted, b.score, a.created_at, &a.answer_id).cmp(&(
            a.accepted,
            a.score,
            b.created_at,
            &b.answer_id,
        ))
    });
    view.summary.answer_count = u32::try_from(answers.len()).unwrap_or(u32::MAX);
    view.summary.human_answer_count =
        u32::try_from(answers.iter().filter(|a| a.ai.is_none()).count()).unwrap_or(u32::MAX);
    Ok(Some(ThreadView {
        question: view,
        answers,
        from_cache,
    }))
}

type LocalPosts = (Option<(Question, bool)>, BTreeMap<String, LocalAnswer>);

fn read_local(store: &Store, me: &str, docs: &[StoredCommunityDoc]) -> Result<LocalPosts> {
    let mut question = None;
    let mut answers = BTreeMap::new();
    for stored in docs {
        let mine = stored.0.owner_id == me;
        let Some(post) = document::read(stored) else {
            continue;
        };
        let pending = mine && !document::acknowledged(store, stored)?;
        match post {
            Post::Question(q) => {
                if question.is_none() || mine {
                    question = Some((q, pending));
                }
            }
            Post::Answer(a) => {
                answers.insert(a.answer_id.clone(), LocalAnswer { answer: a, pending });
            }
        }
    }
    Ok((question, answers))
}

fn question_view(
    store: &Store,
    me: &str,
    server: Option<&wire::Question>,
    local: Option<(Question, bool)>,
) -> Result<Option<QuestionView>> {
    let mut view = match server {
        Some(s) => {
            let q = &s.summary;
            QuestionView {
                summary: QuestionSummary {
                    question_id: q.question_id.clone(),
                    asker_id: q.asker_id.clone(),
                    asker_name: Some(q.asker_name.clone()),
                    hobby: q.hobby.clone(),
                    title: q.title.clone(),
                    body_preview: q.body_preview.clone(),
                    created_at: q.created_at_ms,
                    edited_at: q.edited_at_ms,
                    answer_count: 0,
                    human_answer_count: 0,
                    accepted_answer_id: q.accepted_answer_id.clone(),
                    mine: q.asker_id == me,
                    pending: false,
                },
                body: s.body.clone(),
            }
        }
        None => {
            let Some((q, _)) = &local else {
                return Ok(None);
            };
            QuestionView {
                summary: QuestionSummary {
                    question_id: q.question_id.clone(),
                    asker_id: q.asker_id.as_str().to_owned(),
                    asker_name: store.community_name(q.asker_id.as_str())?,
                    hobby: q.hobby.clone(),
                    title: q.title.clone(),
                    body_preview: preview(&q.body),
                    created_at: q.created_at,
                    edited_at: q.edited_at,
                    answer_count: 0,
                    human_answer_count: 0,
                    accepted_answer_id: q.accepted_answer.clone(),
                    mine: q.asker_id.as_str() == me,
                    pending: false,
                },
                body: q.body.clone(),
            }
        }
    };
    if let Some((q, pending)) = local {
        if local_is_newer(q.edited_at, view.summary.edited_at) {
            if q.deleted {
                return Ok(None);
            }
            view.summary.title = q.title;
            view.summary.body_preview = preview(&q.body);
            view.body = q.body;
            view.summary.edited_at = q.edited_at;
            view.summary.accepted_answer_id = q.accepted_answer;
        }
        view.summary.pending = pending;
    }
    Ok(Some(view))
}

pub(crate) fn server_answer(a: &wire::Answer, question_id: &str, me: &str) -> AnswerView {
    AnswerView {
        answer_id: a.answer_id.clone(),
        question_id: question_id.to_owned(),
        author_id: a.author_id.clone(),
        author_name: Some(a.author_name.clone()),
        body: a.body.clone(),
        created_at: a.created_at_ms,
        edited_at: a.edited_at_ms,
        ai: a.ai.as_ref().map(|ai| AiLabelView {
            model: ai.model.clone(),
        }),
        accepted: a.accepted,
        helpful: a.helpful,
        score: a.score,
        up_votes: a.up_votes,
        down_votes: a.down_votes,
        my_vote: wire::vote(a.my_vote),
        mine: a.author_id == me,
        pending: false,
    }
}

pub(crate) fn local_answer(
    a: Answer,
    me: &str,
    author_name: Option<String>,
    pending: bool,
) -> AnswerView {
    AnswerView {
        mine: a.author_id.as_str() == me,
        answer_id: a.answer_id,
        question_id: a.question_id,
        author_id: a.author_id.0,
        author_name,
        body: a.body,
        created_at: a.created_at,
        edited_at: a.edited_at,
        ai: a.ai.map(|ai| AiLabelView { model: ai.model }),
        accepted: false,
        helpful: false,
        score: 0,
        up_votes: 0,
        down_votes: 0,
        my_vote: 0,
        pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(question_id: &str, asker_id: &str, document_id: String) -> wire::QuestionSummary {
        wire::QuestionSummary {
            question_id: question_id.into(),
            document_id,
            asker_id: asker_id.into(),
            asker_name: "Asker".into(),
            hobby: "guitar".into(),
            title: "제목".into(),
            body_preview: "본문".into(),
            created_at_ms: 1,
            edited_at_ms: None,
            answer_count: 1,
            human_answer_count: 1,
            accepted_answer_id: None,
        }
    }

    fn answer(answer_id: &str, author_id: &str, document_id: String) -> wire::Answer {
        wire::Answer {
            answer_id: answer_id.into(),
            document_id,
            author_id: author_id.into(),
            author_name: "Helper".into(),
            body: "답".into(),
            created_at_ms: 2,
            edited_at_ms: None,
            ai: None,
            accepted: false,
            helpful: false,
            score: 0,
            up_votes: 0,
            down_votes: 0,
            my_vote: 0,
        }
    }

    #[test]
    fn only_documents_whose_id_matches_their_post_are_fetched() {
        let q = document::question_row("q1", "asker");
        let good = document::answer_row("q1", "a1", "helper");
        let thread = wire::Thread {
            question: wire::Question {
                summary: summary("q1", "asker", q.document_id.clone()),
                body: "본문".into(),
            },
            answers: vec![
                answer("a1", "helper", good.document_id.clone()),
                // A server (or a man in the middle) naming another document.
                answer("a2", "helper", q.document_id.clone()),
            ],
        };
        assert_eq!(wanted_rows(&thread), vec![q, good]);
    }

    #[test]
    fn a_cached_thread_reads_back_with_names_and_wanted_documents() {
        let mut store = Store::open_in_memory().unwrap();
        let q = document::question_row("q1", "asker");
        let a = document::answer_row("q1", "a1", "helper");
        let thread = wire::Thread {
            question: wire::Question {
                summary: summary("q1", "asker", q.document_id.clone()),
                body: "본문".into(),
            },
            answers: vec![answer("a1", "helper", a.document_id.clone())],
        };
        assert_eq!(remember(&mut store, &thread).unwrap(), 2);
        assert_eq!(remember(&mut store, &thread).unwrap(), 0, "already wanted");
        let cached = cached(&store, "q1").unwrap().expect("cached");
        let view = merge(&store, "helper", "q1", Some(&cached), true)
            .unwrap()
            .expect("a thread");
        assert_eq!(view.question.summary.asker_name.as_deref(), Some("Asker"));
        assert_eq!(view.answers.len(), 1);
        assert!(view.answers[0].mine && !view.answers[0].pending);
        assert_eq!(view.question.summary.answer_count, 1);
        assert_eq!(
            store.community_name("helper").unwrap().as_deref(),
            Some("Helper")
        );
    }
}

//! Reading the community: question lists and threads from the server's index
//! over HTTP, falling back to this device's copies when the server cannot be
//! reached (`fromCache`), "my questions" from local documents, and votes and
//! helpful marks (which only the server keeps).

use reqwest::Method;

use super::dto::{AnswerStatus, QuestionFilter, QuestionList, QuestionSummary, ThreadView};
use super::{answer_not_found, check_id, question_not_found, thread, wire};
use crate::account::{ServerClient, is_offline};
use crate::api::Tutti;
use crate::chat::notify_local_change;
use crate::store::Store;
use crate::{Error, Result};

/// How many recently opened threads the sync task keeps following.
const FOLLOWED_THREADS: u32 = 20;
const MAX_QUERY_CHARS: usize = 200;

/// Fetches a thread; `None` when the server does not have it (or it was deleted).
pub(crate) async fn fetch_thread(
    server: &ServerClient,
    question_id: &str,
) -> Result<Option<wire::Thread>> {
    match server
        .authed_json(
            Method::GET,
            &format!("/community/questions/{question_id}"),
            None,
        )
        .await
    {
        Ok(t) => Ok(Some(t)),
        Err(Error::ServerRejected { status: 404, .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Refreshes the threads the user opened lately, so the sync task learns of
/// new answers' documents. Called by the sync task when it connects.
pub(crate) async fn refresh_opened_threads(store: &mut Store, server: &ServerClient) -> Result<()> {
    for question_id in store.community_opened_threads(FOLLOWED_THREADS)? {
        if let Some(t) = fetch_thread(server, &question_id).await? {
            thread::remember(store, &t)?;
        }
    }
    Ok(())
}

fn matches(filter: &QuestionFilter, s: &QuestionSummary, body: &str) -> bool {
    let hobby = filter
        .hobby
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    if hobby.is_some_and(|h| h != s.hobby) {
        return false;
    }
    let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if let Some(q) = q {
        let q = q.to_lowercase();
        if !s.title.to_lowercase().contains(&q) && !body.to_lowercase().contains(&q) {
            return false;
        }
    }
    match filter.sort {
        super::dto::QuestionSort::Newest => true,
        super::dto::QuestionSort::Unanswered => s.human_answer_count == 0,
    }
}

fn summary_of(t: &wire::QuestionSummary, me: &str) -> QuestionSummary {
    QuestionSummary {
        question_id: t.question_id.clone(),
        asker_id: t.asker_id.clone(),
        asker_name: Some(t.asker_name.clone()),
        hobby: t.hobby.clone(),
        title: t.title.clone(),
        body_preview: t.body_preview.clone(),
        created_at: t.created_at_ms,
        edited_at: t.edited_at_ms,
        answer_count: u32::try_from(t.answer_count).unwrap_or(0),
        human_answer_count: u32::try_from(t.human_answer_count).unwrap_or(0),
        accepted_answer_id: t.accepted_answer_id.clone(),
        mine: t.asker_id == me,
        pending: false,
    }
}

impl Tutti {
    /// Questions known on this device (own and opened threads), filtered and
    /// ordered like the server's list; `mine_only` keeps the user's own.
    fn local_questions(
        &self,
        me: &str,
        filter: &QuestionFilter,
        mine_only: bool,
    ) -> Result<Vec<QuestionSummary>> {
        let store = self.store();
        let mut out = Vec::new();
        for (row, _) in store.community_question_documents()? {
            if mine_only && row.owner_id != me {
                continue;
            }
            let cached = thread::cached(&store, &row.question_id)?;
            if let Some(t) = thread::merge(&store, me, &row.question_id, cached.as_ref(), true)?
                && matches(filter, &t.question.summary, &t.question.body)
            {
                out.push(t.question.summary);
            }
        }
        out.sort_by(|a, b| (b.created_at, &b.question_id).cmp(&(a.created_at, &a.question_id)));
        out.dedup_by(|a, b| a.question_id == b.question_id);
        Ok(out)
    }

    /// This user's questions, newest first, from this device (works offline).
    pub fn community_my_questions(&self) -> Result<Vec<QuestionSummary>> {
        let me = self.signed_in()?.user_id;
        self.local_questions(&me, &QuestionFilter::default(), true)
    }

    /// A page of questions from the server's index (newest or unanswered, by
    /// hobby, with full-text search). Offline it lists the questions known on
    /// this device with `fromCache` set. This user's posts the server has not
    /// acknowledged yet lead the first page.
    pub async fn community_questions(&self, filter: QuestionFilter) -> Result<QuestionList> {
        if filter
            .q
            .as_deref()
            .is_some_and(|q| q.trim().chars().count() > MAX_QUERY_CHARS)
        {
            return Err(Error::invalid(
                "q",
                format!("must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        if let Some(hobby) = filter.hobby.as_deref()
            && hobby.trim().chars().count() > tutti_sync::community::MAX_ID_CHARS
        {
            return Err(Error::invalid(
                "hobby",
                "a hobby id is at most 64 characters",
            ));
        }
        let me = self.signed_in()?.user_id;
        let server = self.server_client()?;
        let mut query = format!("sort={}", filter.sort.as_str());
        for (key, value) in [
            ("hobby", &filter.hobby),
            ("q", &filter.q),
            ("cursor", &filter.cursor),
        ] {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                query.push_str(&format!("&{key}={}", wire::encode_query_value(v)));
            }
        }
        let page: wire::QuestionList = match server
            .authed_json(Method::GET, &format!("/community/questions?{query}"), None)
            .await
        {
            Ok(page) => page,
            Err(e) if is_offline(&e) => {
                tracing::info!(error = %e, "listing community questions from this device");
                return Ok(QuestionList {
                    questions: self.local_questions(&me, &filter, false)?,
                    next_cursor: None,
                    from_cache: true,
                });
            }
            Err(Error::ServerRejected {
                status: 422,
                field: Some(field),
                message,
                ..
            }) => {
                let field = match field.as_str() {
                    "sort" => "sort",
                    "hobby" => "hobby",
                    "q" => "q",
                    _ => "cursor",
                };
                return Err(Error::invalid(field, message));
            }
            Err(e) => return Err(e),
        };
        let names: Vec<(String, String)> = page
            .questions
            .iter()
            .map(|q| (q.asker_id.clone(), q.asker_name.clone()))
            .collect();
        self.store().set_community_names(&names)?;
        let mut questions: Vec<QuestionSummary> =
            page.questions.iter().map(|q| summary_of(q, &me)).collect();
        // This user's unacknowledged posts: edits show over the server's
        // copy, and questions the server does not have yet lead page one.
        let (listed, unlisted): (Vec<QuestionSummary>, Vec<QuestionSummary>) = self
            .local_questions(&me, &filter, true)?
            .into_iter()
            .filter(|q| q.pending)
            .partition(|q| questions.iter().any(|s| s.question_id == q.question_id));
        for own in &mut questions {
            if let Some(local) = listed.iter().find(|p| p.question_id == own.question_id) {
                *own = local.clone();
            }
        }
        if filter.cursor.is_none() {
            questions.splice(0..0, unlisted);
        }
        Ok(QuestionList {
            questions,
            next_cursor: page.next_cursor,
            from_cache: false,
        })
    }

    /// A question and its answers, from the server (and then followed by the
    /// sync task, so it reads offline later); offline, this device's copy
    /// with `fromCache` set. This user's unsent posts show at once.
    pub async fn community_thread(&self, question_id: &str) -> Result<ThreadView> {
        check_id("question_id", question_id)?;
        let me = self.signed_in()?.user_id;
        let server = self.server_client()?;
        match fetch_thread(&server, question_id).await {
            Ok(Some(t)) => {
                self.follow_thread(&t)?;
                let store = self.store();
                thread::merge(&store, &me, question_id, Some(&t), false)?
                    .ok_or_else(|| question_not_found(question_id))
            }
            // Not on the server: only this user's unsent question can be shown.
            Ok(None) => {
                let store = self.store();
                match thread::merge(&store, &me, question_id, None, false)? {
                    Some(t) if t.question.summary.mine && t.question.summary.pending => Ok(t),
                    _ => Err(question_not_found(question_id)),
                }
            }
            Err(e) if is_offline(&e) => {
                let store = self.store();
                let cached = thread::cached(&store, question_id)?;
                thread::merge(&store, &me, question_id, cached.as_ref(), true)?
                    .ok_or_else(|| question_not_found(question_id))
            }
            Err(e) => Err(e),
        }
    }

    /// Remembers a thread fetched from the server, so the sync task follows
    /// it; a thread with documents this device lacks wakes the sync task.
    pub(crate) fn follow_thread(&self, t: &wire::Thread) -> Result<()> {
        let added = thread::remember(&mut self.store(), t)?;
        if added > 0 {
            notify_local_change(self.data_dir());
        }
        Ok(())
    }

    /// Votes on another user's answer: 1 up, -1 down, 0 takes the vote back.
    /// One vote per user per answer (the server keeps them).
    pub async fn community_vote(&self, answer_id: &str, value: i8) -> Result<AnswerStatus> {
        check_id("answer_id", answer_id)?;
        if !(-1..=1).contains(&value) {
            return Err(Error::invalid(
                "value",
                "must be 1 (up), -1 (down) or 0 (take the vote back)",
            ));
        }
        let body = serde_json::json!({ "value": value });
        self.answer_put(answer_id, "vote", &body).await
    }

    /// The asker marks an answer (a person's or an AI's) helpful, or unmarks it.
    pub async fn community_helpful(&self, answer_id: &str, helpful: bool) -> Result<AnswerStatus> {
        check_id("answer_id", answer_id)?;
        let body = serde_json::json!({ "helpful": helpful });
        self.answer_put(answer_id, "helpful", &body).await
    }

    async fn answer_put(
        &self,
        answer_id: &str,
        what: &str,
        body: &serde_json::Value,
    ) -> Result<AnswerStatus> {
        self.signed_in()?;
        let server = self.server_client()?;
        let status: wire::AnswerStatus = server
            .authed_json(
                Method::PUT,
                &format!("/community/answers/{answer_id}/{what}"),
                Some(body),
            )
            .await
            .map_err(|e| match e {
                Error::ServerRejected { status: 404, .. } => answer_not_found(answer_id),
                other => other,
            })?;
        Ok(status.into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::document;
    use super::*;

    /// The shell runs these as async Tauri commands, which need `Send` futures
    /// (no store lock held across an `.await`). Checked at compile time.
    #[test]
    fn the_async_api_futures_are_send() {
        fn send<T: Send>(_: &T) {}
        let dir = tempfile::tempdir().unwrap();
        let app = Tutti::open(dir.path()).unwrap();
        send(&app.community_questions(QuestionFilter::default()));
        send(&app.community_thread("q"));
        send(&app.community_vote("a", 1));
        send(&app.community_helpful("a", true));
        send(&app.community_answer_ai("q"));
    }

    fn summary(title: &str, hobby: &str, human: u32) -> QuestionSummary {
        QuestionSummary {
            question_id: "q".into(),
            asker_id: "a".into(),
            asker_name: None,
            hobby: hobby.into(),
            title: title.into(),
            body_preview: String::new(),
            created_at: 0,
            edited_at: None,
            answer_count: human,
            human_answer_count: human,
            accepted_answer_id: None,
            mine: false,
            pending: false,
        }
    }

    #[test]
    fn the_offline_filter_finds_words_inside_korean_text_and_filters_hobby_and_sort() {
        let s = summary("Barre chords", "guitar", 0);
        let body = "검지로 바레코드를 잡으면 손가락이 아파요";
        let filter = |q: Option<&str>, hobby: Option<&str>| QuestionFilter {
            q: q.map(str::to_owned),
            hobby: hobby.map(str::to_owned),
            ..QuestionFilter::default()
        };
        assert!(
            matches(&filter(Some("바레코드"), None), &s, body),
            "inside a word"
        );
        assert!(
            matches(&filter(Some("barre"), Some("guitar")), &s, body),
            "any case"
        );
        assert!(!matches(&filter(Some("피아노"), None), &s, body));
        assert!(!matches(&filter(None, Some("piano")), &s, body));
        let unanswered = QuestionFilter {
            sort: super::super::dto::QuestionSort::Unanswered,
            ..QuestionFilter::default()
        };
        assert!(matches(&unanswered, &s, body));
        assert!(!matches(&unanswered, &summary("t", "guitar", 1), body));
    }

    #[test]
    fn a_local_question_is_listed_with_its_thread_counts() {
        let mut store = Store::open_in_memory().unwrap();
        let doc = tutti_sync::community::create_question(&tutti_sync::community::NewQuestion {
            question_id: "q1".into(),
            asker_id: tutti_sync::UserId::new("me"),
            hobby: "guitar".into(),
            title: "제목".into(),
            body: "본문".into(),
            created_at: 1,
        })
        .unwrap();
        document::create(&mut store, &document::question_row("q1", "me"), doc).unwrap();
        let t = thread::merge(&store, "me", "q1", None, true)
            .unwrap()
            .unwrap();
        assert!(t.question.summary.mine && t.question.summary.pending);
        assert_eq!(t.question.summary.answer_count, 0);
        assert!(
            thread::merge(&store, "me", "q2", None, true)
                .unwrap()
                .is_none()
        );
    }
}

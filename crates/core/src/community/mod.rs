//! Community Q&A, local first. A question is its asker's Automerge document,
//! each answer its author's (`tutti_sync::community`); the bytes live in
//! SQLite, so asking, answering, editing, deleting and accepting are stored at
//! once, online or not, and the sync task ([`crate::chat::sync::ChatSync`],
//! which syncs chat and community documents) uploads them when the server is
//! reachable. Threads the user opens are fetched over HTTP from the server's
//! index and their documents are kept in step by the same task, so they read
//! offline too.
//!
//! - this module: posting (`community_ask`, `_answer`, `_edit_*`, `_delete_*`,
//!   `_accept`); `ai`: the AI answer; `read`: lists, threads, votes.
//! - `document`: the Automerge side; `thread`: merging the server's view
//!   with local documents; `wire`: the server's JSON; [`dto`]: IPC types.
//!
//! Only the owner changes a post: this core refuses (`not_owner`) before
//! anything is written, and the server refuses a forged change anyway.

mod ai;
mod document;
pub mod dto;
mod read;
mod thread;
mod wire;

pub(crate) use read::refresh_opened_threads;

use tutti_sync::ProtocolError;
use tutti_sync::community::{
    Answer, NewAnswer, NewQuestion, Question, QuestionEdit, create_answer, create_question,
    delete_answer, delete_question, edit_answer, edit_question, new_post_id, set_accepted_answer,
    validate_body, validate_hobby, validate_post_id, validate_title,
};

use crate::api::Tutti;
use crate::chat::document::now_ms;
use crate::chat::notify_local_change;
use crate::store::community::CommunityDocRow;
use crate::{Error, Result};
use dto::{AnswerView, QuestionEditInput, QuestionView};

/// `e` (a schema check of `field`) as the core's invalid-input error.
fn field_error(field: &'static str, e: ProtocolError) -> Error {
    let reason = match e {
        ProtocolError::Schema { reason, .. } => reason,
        other => other.to_string(),
    };
    Error::invalid(field, reason)
}

fn check_id(field: &'static str, id: &str) -> Result<()> {
    validate_post_id(field, id).map_err(|e| field_error(field, e))
}

fn check_body(body: &str) -> Result<String> {
    let body = body.trim();
    validate_body(body).map_err(|e| field_error("body", e))?;
    Ok(body.to_owned())
}

fn check_title(title: &str) -> Result<String> {
    let title = title.trim();
    validate_title(title).map_err(|e| field_error("title", e))?;
    Ok(title.to_owned())
}

fn question_not_found(question_id: &str) -> Error {
    Error::NotFound {
        what: "question",
        field: "question_id",
        id: question_id.to_owned(),
    }
}

fn answer_not_found(answer_id: &str) -> Error {
    Error::NotFound {
        what: "answer",
        field: "answer_id",
        id: answer_id.to_owned(),
    }
}

impl Tutti {
    /// The question as stored on this device (any asker), not deleted.
    fn local_question(&self, question_id: &str) -> Result<(CommunityDocRow, Question)> {
        let docs = self.store().community_documents_of(question_id)?;
        let found = docs
            .iter()
            .filter(|(row, _)| row.answer_id.is_none())
            .find_map(|stored| Some((stored.0.clone(), document::read_question(stored)?)));
        match found {
            Some((_, q)) if q.deleted => Err(question_not_found(question_id)),
            Some(found) => Ok(found),
            None => Err(question_not_found(question_id)),
        }
    }

    /// The answer as stored on this device (any author), not deleted. An
    /// answer known only from the server's view is `not_owner` for another
    /// author (it cannot be changed here anyway).
    fn local_answer(&self, answer_id: &str, me: &str) -> Result<(CommunityDocRow, Answer)> {
        let docs = self.store().community_answer_documents(answer_id)?;
        let found = docs
            .iter()
            .find_map(|stored| Some((stored.0.clone(), document::read_answer(stored)?)));
        match found {
            Some((_, a)) if a.deleted => Err(answer_not_found(answer_id)),
            Some(found) => Ok(found),
            None => match docs.first() {
                Some((row, _)) if row.owner_id != me => Err(Error::NotOwner {
                    what: "answer",
                    id: answer_id.to_owned(),
                }),
                _ => Err(answer_not_found(answer_id)),
            },
        }
    }

    /// The thread of a question as this device knows it (cache + documents).
    fn local_thread(&self, question_id: &str, me: &str) -> Result<dto::ThreadView> {
        let store = self.store();
        let cached = thread::cached(&store, question_id)?;
        thread::merge(&store, me, question_id, cached.as_ref(), true)?
            .ok_or_else(|| question_not_found(question_id))
    }

    fn local_question_view(&self, question_id: &str, me: &str) -> Result<QuestionView> {
        Ok(self.local_thread(question_id, me)?.question)
    }

    fn local_answer_view(
        &self,
        question_id: &str,
        answer_id: &str,
        me: &str,
    ) -> Result<AnswerView> {
        self.local_thread(question_id, me)?
            .answers
            .into_iter()
            .find(|a| a.answer_id == answer_id)
            .ok_or_else(|| answer_not_found(answer_id))
    }

    /// Asks a question: stored in this user's new document at once (online or
    /// not) and uploaded by the sync task. Title 1–200 characters, body 1–20 000,
    /// a hobby id; a bad one is `invalid_input` naming the field.
    pub fn community_ask(&self, hobby: &str, title: &str, body: &str) -> Result<QuestionView> {
        let hobby = hobby.trim();
        validate_hobby(hobby).map_err(|e| field_error("hobby", e))?;
        let title = check_title(title)?;
        let body = check_body(body)?;
        let me = self.signed_in()?.user_id;
        let new = NewQuestion {
            question_id: new_post_id(),
            asker_id: tutti_sync::UserId::new(&me),
            hobby: hobby.to_owned(),
            title,
            body,
            created_at: now_ms(),
        };
        let doc = create_question(&new)?;
        let row = document::question_row(&new.question_id, &me);
        document::create(&mut self.store(), &row, doc)?;
        notify_local_change(self.data_dir());
        tracing::info!(question_id = %new.question_id, "asked a community question");
        self.local_question_view(&new.question_id, &me)
    }

    /// Answers a question known on this device (own, or its thread opened).
    pub fn community_answer(&self, question_id: &str, body: &str) -> Result<AnswerView> {
        check_id("question_id", question_id)?;
        let body = check_body(body)?;
        let me = self.signed_in()?.user_id;
        // Known from its document, or from the thread as the server showed it.
        if let Err(e) = self.local_question(question_id) {
            let store = self.store();
            let docs = store.community_documents_of(question_id)?;
            let deleted_here = docs
                .iter()
                .filter_map(document::read_question)
                .any(|q| q.deleted);
            if deleted_here || thread::cached(&store, question_id)?.is_none() {
                return Err(e);
            }
        }
        self.write_answer(question_id, &me, body, None)
    }

    /// Stores a new answer of `me` (an AI one when `ai` is set).
    fn write_answer(
        &self,
        question_id: &str,
        me: &str,
        body: String,
        ai: Option<tutti_sync::community::AiLabel>,
    ) -> Result<AnswerView> {
        let new = NewAnswer {
            question_id: question_id.to_owned(),
            answer_id: new_post_id(),
            author_id: tutti_sync::UserId::new(me),
            body,
            created_at: now_ms(),
            ai,
        };
        let doc = create_answer(&new)?;
        let row = document::answer_row(question_id, &new.answer_id, me);
        document::create(&mut self.store(), &row, doc)?;
        notify_local_change(self.data_dir());
        tracing::info!(%question_id, answer_id = %new.answer_id, ai = new.ai.is_some(), "answered a community question");
        self.local_answer_view(question_id, &new.answer_id, me)
    }

    /// This user's question, or `not_owner` / `not_found`.
    fn own_question(&self, question_id: &str, me: &str) -> Result<(CommunityDocRow, Question)> {
        check_id("question_id", question_id)?;
        let (row, q) = self.local_question(question_id)?;
        if q.asker_id.as_str() != me {
            return Err(Error::NotOwner {
                what: "question",
                id: question_id.to_owned(),
            });
        }
        Ok((row, q))
    }

    fn own_answer(&self, answer_id: &str, me: &str) -> Result<(CommunityDocRow, Answer)> {
        check_id("answer_id", answer_id)?;
        let (row, a) = self.local_answer(answer_id, me)?;
        if a.author_id.as_str() != me {
            return Err(Error::NotOwner {
                what: "answer",
                id: answer_id.to_owned(),
            });
        }
        Ok((row, a))
    }

    /// Edits this user's question (title and/or body).
    pub fn community_edit_question(
        &self,
        question_id: &str,
        edit: QuestionEditInput,
    ) -> Result<QuestionView> {
        let edit = QuestionEdit {
            title: edit.title.as_deref().map(check_title).transpose()?,
            body: edit.body.as_deref().map(check_body).transpose()?,
        };
        if edit.title.is_none() && edit.body.is_none() {
            return Err(Error::invalid("title", "give a new title or body"));
        }
        let me = self.signed_in()?.user_id;
        let (row, _) = self.own_question(question_id, &me)?;
        document::change(&mut self.store(), &row, |doc| {
            Ok(edit_question(doc, &edit, now_ms())?)
        })?;
        notify_local_change(self.data_dir());
        self.local_question_view(question_id, &me)
    }

    /// Deletes this user's question (the thread disappears from lists).
    pub fn community_delete_question(&self, question_id: &str) -> Result<()> {
        let me = self.signed_in()?.user_id;
        let (row, _) = self.own_question(question_id, &me)?;
        document::change(&mut self.store(), &row, |doc| {
            Ok(delete_question(doc, now_ms())?)
        })?;
        notify_local_change(self.data_dir());
        Ok(())
    }

    /// Edits this user's answer.
    pub fn community_edit_answer(&self, answer_id: &str, body: &str) -> Result<AnswerView> {
        let body = check_body(body)?;
        let me = self.signed_in()?.user_id;
        let (row, a) = self.own_answer(answer_id, &me)?;
        document::change(&mut self.store(), &row, |doc| {
            Ok(edit_answer(doc, &body, now_ms())?)
        })?;
        notify_local_change(self.data_dir());
        self.local_answer_view(&a.question_id, answer_id, &me)
    }

    /// Deletes this user's answer.
    pub fn community_delete_answer(&self, answer_id: &str) -> Result<()> {
        let me = self.signed_in()?.user_id;
        let (row, _) = self.own_answer(answer_id, &me)?;
        document::change(&mut self.store(), &row, |doc| {
            Ok(delete_answer(doc, now_ms())?)
        })?;
        notify_local_change(self.data_dir());
        Ok(())
    }

    /// The asker accepts a person's answer to their question (`None` takes
    /// the acceptance back). An AI answer is `ai_answer_not_acceptable`.
    pub fn community_accept(
        &self,
        question_id: &str,
        answer_id: Option<&str>,
    ) -> Result<QuestionView> {
        let me = self.signed_in()?.user_id;
        let (row, _) = self.own_question(question_id, &me)?;
        if let Some(answer_id) = answer_id {
            check_id("answer_id", answer_id)?;
            let answer = self
                .local_thread(question_id, &me)?
                .answers
                .into_iter()
                .find(|a| a.answer_id == answer_id)
                .ok_or_else(|| answer_not_found(answer_id))?;
            if let Some(ai) = answer.ai {
                return Err(Error::AiAnswerNotAcceptable {
                    answer_id: answer_id.to_owned(),
                    model: ai.model,
                });
            }
        }
        document::change(&mut self.store(), &row, |doc| {
            Ok(set_accepted_answer(doc, answer_id)?)
        })?;
        notify_local_change(self.data_dir());
        self.local_question_view(question_id, &me)
    }
}

//! Community Q&A over sync: who may create a question or answer document, the
//! checks a change must pass before it is stored, and the thread index
//! rewritten from a document's content after each store.
//!
//! # Where the rules are checked
//! The write rule (only the owner writes) is checked by the session before
//! anything is applied, like every document's. The content rules need the
//! document *after* the change, and one of them needs other documents: so the
//! connection checks the applied in-memory copy between the session's
//! `StoreChanges`/`CreateDocument` and the store ([`vet`]):
//! - [`tutti_sync::community::check_document`]: the post is still what it was
//!   created as (ids, owner, hobby, AI label) and its fields are valid;
//! - a question's `acceptedAnswer` must name a known answer to this question
//!   that is not deleted and not written by AI (from the index).
//!
//! A refused change is not stored: the in-memory copy is dropped (reloaded
//! from storage without it), the writer gets an `error` naming the rule and
//! is disconnected, as for a failed store (a well-behaved client never writes
//! such a change: the schema helpers validate, and the thread says which
//! answers are AI).
//!
//! # Posts the server writes itself
//! The community assistant's answers are not uploaded by a connection:
//! [`create_post`] takes them through the same claim, ACL decision, checks,
//! store and index, then tells other instances and this instance's
//! subscribers, as a stored upload would.

use tutti_sync::automerge::{Automerge, ReadDoc};
use tutti_sync::community::{CommunityDoc, check_document};
use tutti_sync::{DocAcl, DocClaim, DocKind, DocumentId, UserId};

use super::{SyncHub, persistence, relay};
use crate::Error;
use crate::accounts::now;
use crate::storage::{AnswerRow, QuestionRow, Storage};

/// A community document's ACL and checked content, as it is in memory now.
#[derive(Debug, Clone)]
pub struct Post {
    pub acl: DocAcl,
    pub content: CommunityDoc,
}

/// The current content of a loaded community document: `None` when the
/// document is not loaded or not a community post; `Err` when its content
/// breaks a rule of [`check_document`].
pub fn current(hub: &SyncHub, document_id: &DocumentId) -> Option<Result<Post, String>> {
    let table = hub.lock();
    let acl = table.docs.acl(document_id)?;
    if !acl.kind.is_public() {
        return None;
    }
    let doc = table.docs.document(document_id)?;
    Some(post_of(doc, acl.clone()))
}

/// A community document's content checked against its ACL
/// ([`check_document`]); `Err` names the broken rule.
fn post_of<D: ReadDoc>(doc: &D, acl: DocAcl) -> Result<Post, String> {
    check_document(doc, &acl.owner, &acl.kind)
        .map(|content| Post { acl, content })
        .map_err(|e| e.to_string())
}

/// Creates a community document the server writes itself (the community
/// assistant's answer), through what a connection's upload of it would pass:
/// its claim read from the content and checked against `document_id`, the
/// ACL decision ([`persistence::decide_new_document`]), the content checks
/// ([`check_document`], [`vet`]), the store and the index. Then other
/// instances hear of it ([`Storage::notify_change`]) and so do this
/// instance's connections subscribed to it (one that asked for it before it
/// existed loads it now). `Ok(Err(reason))`: refused, nothing stored.
pub async fn create_post(
    hub: &SyncHub,
    storage: &dyn Storage,
    document_id: DocumentId,
    doc: &Automerge,
) -> Result<Result<Post, String>, Error> {
    let claim = match DocClaim::read(&document_id, doc) {
        Ok(claim) => claim,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let acl = match persistence::decide_new_document(storage, &document_id, &claim).await? {
        Ok(acl) => acl,
        Err(reason) => return Ok(Err(reason)),
    };
    let post = match post_of(doc, acl) {
        Ok(post) => post,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Err(reason) = vet(storage, &post).await? {
        return Ok(Err(reason));
    }
    persistence::create(storage, &document_id, &post.acl, &doc.save()).await?;
    index(storage, &document_id, &post).await?;
    if let Err(e) = storage.notify_change(&document_id.to_string()).await {
        // other instances catch up at their next load or notification
        tracing::warn!(%document_id, error = %e, "notifying other instances failed");
    }
    relay::changed_elsewhere(hub, storage, document_id).await;
    Ok(Ok(post))
}

/// The checks that need the index: the accepted answer of a question.
/// `Ok(Err(reason))` refuses the change.
pub async fn vet(storage: &dyn Storage, post: &Post) -> Result<Result<(), String>, Error> {
    let CommunityDoc::Question(question) = &post.content else {
        return Ok(Ok(()));
    };
    let Some(answer_id) = &question.accepted_answer else {
        return Ok(Ok(()));
    };
    let Some(answer) = storage.community_answer(answer_id).await? else {
        return Ok(Err(format!(
            "acceptedAnswer: there is no answer {answer_id}"
        )));
    };
    if answer.question_id != question.question_id {
        return Ok(Err(format!(
            "acceptedAnswer: answer {answer_id} answers another question"
        )));
    }
    if answer.deleted {
        return Ok(Err(format!(
            "acceptedAnswer: answer {answer_id} was deleted"
        )));
    }
    if let Some(model) = answer.ai_model {
        return Ok(Err(format!(
            "acceptedAnswer: answer {answer_id} was written by AI ({model}); \
             only a person's answer can be accepted"
        )));
    }
    Ok(Ok(()))
}

/// Rewrites the index rows of a stored post from its content.
pub async fn index(
    storage: &dyn Storage,
    document_id: &DocumentId,
    post: &Post,
) -> Result<(), Error> {
    match &post.content {
        CommunityDoc::Question(q) => {
            let row = QuestionRow {
                question_id: q.question_id.clone(),
                doc_id: document_id.to_string(),
                asker_id: post.acl.owner.as_str().to_owned(),
                hobby: q.hobby.clone(),
                title: q.title.clone(),
                body: q.body.clone(),
                created_at_ms: q.created_at,
                edited_at_ms: q.edited_at,
                deleted: q.deleted,
                accepted_answer_id: q.accepted_answer.clone(),
            };
            storage.index_question(&row, now()).await
        }
        CommunityDoc::Answer(a) => {
            let row = AnswerRow {
                answer_id: a.answer_id.clone(),
                question_id: a.question_id.clone(),
                doc_id: document_id.to_string(),
                author_id: post.acl.owner.as_str().to_owned(),
                body: a.body.clone(),
                created_at_ms: a.created_at,
                edited_at_ms: a.edited_at,
                deleted: a.deleted,
                ai_model: a.ai.as_ref().map(|ai| ai.model.clone()),
            };
            storage.index_answer(&row, now()).await
        }
    }
}

/// Decides the ACL of a new community document (already checked against its
/// id and the connection's user): public, owned by its writer. A question id
/// must be new; an answer must answer a question the server knows that is
/// not deleted, under an answer id that is new.
pub async fn decide(
    storage: &dyn Storage,
    document_id: &DocumentId,
    claim: &DocClaim,
) -> Result<Result<DocAcl, String>, Error> {
    let doc_id = document_id.to_string();
    match &claim.kind {
        DocKind::CommunityQuestion { question_id, .. } => {
            if let Some(existing) = storage.community_question(question_id).await?
                && existing.doc_id != doc_id
            {
                return Ok(Err(format!("question id {question_id} is taken")));
            }
        }
        DocKind::CommunityAnswer {
            question_id,
            answer_id,
            ..
        } => {
            match storage.community_question(question_id).await? {
                None => return Ok(Err(format!("there is no question {question_id}"))),
                Some(q) if q.deleted => {
                    return Ok(Err(format!("question {question_id} was deleted")));
                }
                Some(_) => {}
            }
            if let Some(existing) = storage.community_answer(answer_id).await?
                && existing.doc_id != doc_id
            {
                return Ok(Err(format!("answer id {answer_id} is taken")));
            }
        }
        other => {
            return Ok(Err(format!("{other:?} is not a community document")));
        }
    }
    Ok(Ok(DocAcl {
        owner: claim.owner.clone(),
        readers: Vec::<UserId>::new(),
        kind: claim.kind.clone(),
    }))
}

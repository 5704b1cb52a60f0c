//! The Automerge side of community Q&A: where each post's document is stored,
//! creating and changing this user's own documents through the store (one
//! transaction each), and reading stored documents back as posts.

use tutti_sync::automerge::{AutoCommit, Automerge};
use tutti_sync::community::{
    Answer, Question, answer_document_id, question_document_id, verify_answer_document,
    verify_question_document,
};
use tutti_sync::{DocumentId, ProtocolError, UserId};

use crate::store::Store;
use crate::store::community::{CommunityDocRow, StoredCommunityDoc};
use crate::{Error, Result};

/// Where `asker`'s document of question `question_id` is stored.
pub(crate) fn question_row(question_id: &str, asker_id: &str) -> CommunityDocRow {
    let id = question_document_id(question_id, &UserId::new(asker_id));
    CommunityDocRow {
        document_id: id.encode(),
        question_id: question_id.to_owned(),
        answer_id: None,
        owner_id: asker_id.to_owned(),
    }
}

/// Where `author`'s document of answer `answer_id` is stored.
pub(crate) fn answer_row(question_id: &str, answer_id: &str, author_id: &str) -> CommunityDocRow {
    let id = answer_document_id(question_id, answer_id, &UserId::new(author_id));
    CommunityDocRow {
        document_id: id.encode(),
        question_id: question_id.to_owned(),
        answer_id: Some(answer_id.to_owned()),
        owner_id: author_id.to_owned(),
    }
}

/// A stored post, read and checked against where it is stored.
#[derive(Debug, Clone)]
pub(crate) enum Post {
    Question(Question),
    Answer(Answer),
}

/// The stored document's bytes as Automerge.
pub(crate) fn load(row: &CommunityDocRow, bytes: &[u8]) -> Result<Automerge> {
    Automerge::load(bytes).map_err(|e| Error::CorruptRecord {
        what: "community document",
        id: row.document_id.clone(),
        reason: e.to_string(),
    })
}

/// Reads a stored document as a post. A document that is not fetched yet,
/// or whose content does not match its id and owner, is skipped (`None`).
pub(crate) fn read(stored: &StoredCommunityDoc) -> Option<Post> {
    let (row, Some(bytes)) = stored else {
        return None;
    };
    let checked = (|| -> Result<Post> {
        let doc = load(row, bytes)?;
        let id = DocumentId::parse(&row.document_id)?;
        let post = match &row.answer_id {
            None => {
                let q = verify_question_document(&doc, &id)?;
                (q.asker_id.as_str() == row.owner_id && q.question_id == row.question_id)
                    .then_some(Post::Question(q))
            }
            Some(answer_id) => {
                let a = verify_answer_document(&doc, &id)?;
                (a.author_id.as_str() == row.owner_id
                    && a.question_id == row.question_id
                    && a.answer_id == *answer_id)
                    .then_some(Post::Answer(a))
            }
        };
        post.ok_or_else(|| Error::CorruptRecord {
            what: "community document",
            id: row.document_id.clone(),
            reason: "its content names another post or owner".into(),
        })
    })();
    match checked {
        Ok(post) => Some(post),
        Err(e) => {
            // A document synced half-way has no content yet; say so quietly.
            tracing::debug!(document = %row.document_id, error = %e, "skipping a community document");
            None
        }
    }
}

/// The question stored under `row`, if fetched and valid.
pub(crate) fn read_question(stored: &StoredCommunityDoc) -> Option<Question> {
    match read(stored)? {
        Post::Question(q) => Some(q),
        Post::Answer(_) => None,
    }
}

/// The answer stored under `row`, if fetched and valid.
pub(crate) fn read_answer(stored: &StoredCommunityDoc) -> Option<Answer> {
    match read(stored)? {
        Post::Answer(a) => Some(a),
        Post::Question(_) => None,
    }
}

/// Stores a new document of this user.
pub(crate) fn create(store: &mut Store, row: &CommunityDocRow, mut doc: AutoCommit) -> Result<()> {
    store.community_document_update(row, |old| match old {
        // Ids are 128 random bits: a clash means the same post twice.
        Some(_) => Err(Error::invalid("id", "a post with this id already exists")),
        None => Ok(doc.save()),
    })?;
    Ok(())
}

/// Changes one of this user's stored documents with `change`, in one transaction.
pub(crate) fn change(
    store: &mut Store,
    row: &CommunityDocRow,
    change: impl FnOnce(&mut AutoCommit) -> Result<()>,
) -> Result<()> {
    store.community_document_update(row, |old| {
        let bytes = old.ok_or_else(|| Error::NotFound {
            what: "post",
            field: "id",
            id: row.document_id.clone(),
        })?;
        let mut doc = AutoCommit::load(bytes).map_err(ProtocolError::from)?;
        change(&mut doc)?;
        Ok(doc.save())
    })?;
    Ok(())
}

/// Whether the server has acknowledged every change of this stored document:
/// a persisted sync state (any server) shares all its heads.
pub(crate) fn acknowledged(store: &Store, stored: &StoredCommunityDoc) -> Result<bool> {
    let (row, Some(bytes)) = stored else {
        return Ok(false);
    };
    let heads = load(row, bytes)?.get_heads();
    for state in store.sync_states_of(&row.document_id)? {
        if let Ok(state) = tutti_sync::automerge::sync::State::decode(&state)
            && heads.iter().all(|h| state.shared_heads.contains(h))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use tutti_sync::community::{NewQuestion, QuestionEdit, create_question, edit_question};

    use super::*;

    fn question(asker: &str) -> AutoCommit {
        create_question(&NewQuestion {
            question_id: "q1".into(),
            asker_id: UserId::new(asker),
            hobby: "guitar".into(),
            title: "바레코드".into(),
            body: "어떻게 잡나요?".into(),
            created_at: 1,
        })
        .unwrap()
    }

    #[test]
    fn own_documents_are_created_changed_and_read_back() {
        let mut store = Store::open_in_memory().unwrap();
        let row = question_row("q1", "alice");
        create(&mut store, &row, question("alice")).unwrap();
        assert_eq!(
            create(&mut store, &row, question("alice"))
                .unwrap_err()
                .code(),
            "invalid_input",
            "a second creation is refused"
        );
        change(&mut store, &row, |doc| {
            let edit = QuestionEdit {
                title: Some("새 제목".into()),
                body: None,
            };
            Ok(edit_question(doc, &edit, 5)?)
        })
        .unwrap();
        let stored = store.community_document(&row.document_id).unwrap().unwrap();
        let q = read_question(&stored).expect("a valid question");
        assert_eq!((q.title.as_str(), q.edited_at), ("새 제목", Some(5)));
        assert!(
            !acknowledged(&store, &stored).unwrap(),
            "never synced, so not acknowledged"
        );
    }

    #[test]
    fn a_document_stored_under_another_owner_is_skipped() {
        let mut store = Store::open_in_memory().unwrap();
        // Alice's question stored where Mallory's would be.
        let row = question_row("q1", "mallory");
        create(&mut store, &row, question("alice")).unwrap();
        let stored = store.community_document(&row.document_id).unwrap().unwrap();
        assert!(read(&stored).is_none(), "its id does not match its content");
    }
}

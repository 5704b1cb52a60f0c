//! Which documents the sync task syncs and where they are stored: every
//! participant's monthly document of every chat room, and the community
//! documents in `community_document` (this user's posts, and the posts of
//! threads the user opened). Community questions are offered before
//! everything else, so the server knows a question before an answer to it
//! arrives; an answer the server still refused (its question was not stored
//! yet) is offered again a little later.

use std::time::Duration;

use tokio::time::Instant;
use tutti_sync::automerge::Automerge;
use tutti_sync::{ClientSession, DocumentId};

use super::Worker;
use crate::Error;
use crate::Result;
use crate::account::dto::{Account, Match};
use crate::chat::document::{room_months, row};
use crate::chat::rooms_of;
use crate::store::chat::ChatDocumentRow;
use crate::store::community::CommunityDocRow;

/// How often a refused creation is offered again on one connection.
const MAX_RETRIES: u32 = 3;
const FIRST_RETRY: Duration = Duration::from_millis(500);

/// Where an open document is stored.
#[derive(Debug, Clone)]
pub(super) enum DocRow {
    Chat(ChatDocumentRow),
    Community(CommunityDocRow),
}

impl DocRow {
    fn document_id(&self) -> &str {
        match self {
            DocRow::Chat(r) => &r.document_id,
            DocRow::Community(r) => &r.document_id,
        }
    }

    /// Sync order: community questions first.
    fn rank(&self) -> u8 {
        match self {
            DocRow::Community(r) if r.answer_id.is_none() => 0,
            _ => 1,
        }
    }
}

/// Refused creations to offer again on this connection.
#[derive(Debug, Default)]
pub(super) struct Retry {
    pub at: Option<Instant>,
    count: u32,
}

impl Worker {
    fn rooms(&self) -> Result<Vec<Match>> {
        let matches: Vec<Match> = self
            .store
            .account_state(crate::account::MATCHES)?
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        Ok(rooms_of(&matches).cloned().collect())
    }

    /// Opens every document to sync and merges what the app stored since.
    pub(super) fn load_local(
        &mut self,
        session: &mut ClientSession,
        account: &Account,
        server_key: &str,
    ) -> Result<()> {
        self.load_chat(session, account, server_key)?;
        self.load_community(session, server_key)
    }

    /// Every room's documents: mine when stored, the other participant's always.
    fn load_chat(
        &mut self,
        session: &mut ClientSession,
        account: &Account,
        server_key: &str,
    ) -> Result<()> {
        for room in self.rooms()? {
            for owner in [&room.mentor_id, &room.mentee_id] {
                for month in room_months(&room) {
                    let (id, row) = row(&room.id, owner, &month);
                    let stored = self.store.chat_document(&row.document_id)?;
                    if stored.is_none() && *owner == account.user_id {
                        // My document is created by my first message.
                        continue;
                    }
                    self.open(session, id, DocRow::Chat(row), stored, server_key)?;
                }
            }
        }
        Ok(())
    }

    /// Every community document, fetched or wanted.
    fn load_community(&mut self, session: &mut ClientSession, server_key: &str) -> Result<()> {
        for (row, bytes) in self.store.community_documents()? {
            let Ok(id) = DocumentId::parse(&row.document_id) else {
                tracing::warn!(document = %row.document_id, "skipping a community row with a bad id");
                continue;
            };
            if let Err(e) = self.open(session, id, DocRow::Community(row), bytes, server_key) {
                // One bad copy must not stop every other document syncing.
                tracing::warn!(document = %id, error = %e, "skipping a community document");
            }
        }
        Ok(())
    }

    /// Opens a document in the session (stored bytes, or requested from the
    /// server) with its persisted sync state, or merges newer stored bytes
    /// into the open copy.
    fn open(
        &mut self,
        session: &mut ClientSession,
        id: DocumentId,
        row: DocRow,
        stored: Option<Vec<u8>>,
        server_key: &str,
    ) -> Result<()> {
        if session.document(&id).is_none() {
            match &stored {
                Some(bytes) => session.open_document(id, load(row.document_id(), bytes)?),
                None => session.request_document(id),
            }
            if let Some(state) = self.store.chat_sync_state(row.document_id(), server_key)? {
                let _ = session.import_sync_state(&id, &state);
            }
            self.rows.insert(id, row);
        } else if let (Some(bytes), Some(doc)) = (&stored, session.document_mut(&id)) {
            doc.merge(&mut load(row.document_id(), bytes)?)
                .map_err(tutti_sync::ProtocolError::from)?;
        }
        Ok(())
    }

    /// The frames announcing every open document, community questions first.
    pub(super) fn sync_frames(&self, session: &mut ClientSession) -> Vec<Vec<u8>> {
        let mut ids: Vec<(u8, DocumentId)> = session
            .document_ids()
            .map(|id| (self.rows.get(id).map_or(1, DocRow::rank), *id))
            .collect();
        ids.sort();
        ids.iter()
            .filter_map(|(_, id)| session.sync_document(id))
            .collect()
    }

    /// The server refused to create one of our documents (`document <id>:
    /// creation refused: …`): an answer may have raced its question. Close
    /// it and offer it again shortly (a few times per connection).
    pub(super) fn creation_refused(&mut self, session: &mut ClientSession, message: &str) {
        let Some(id) = refused_creation(message) else {
            return;
        };
        if !matches!(self.rows.get(&id), Some(DocRow::Community(_)))
            || self.retry.count >= MAX_RETRIES
        {
            return;
        }
        session.close_document(&id);
        self.rows.remove(&id);
        let wait = FIRST_RETRY * 2u32.pow(self.retry.count);
        self.retry.count += 1;
        self.retry.at = Some(Instant::now() + wait);
        tracing::info!(document = %id, retry_in = ?wait, "the server refused a new community document; offering it again");
    }

    /// Stores a document the server changed, merged with what is stored.
    pub(super) fn persist(&mut self, session: &ClientSession, id: &DocumentId) -> Result<()> {
        let (Some(row), Some(doc)) = (self.rows.get(id), session.document(id)) else {
            return Ok(());
        };
        let mut merged = doc.clone();
        let mut merge = |old: Option<&[u8]>| -> Result<Vec<u8>> {
            if let Some(old) = old {
                merged
                    .merge(&mut load(row.document_id(), old)?)
                    .map_err(tutti_sync::ProtocolError::from)?;
            }
            Ok(merged.save())
        };
        match row {
            DocRow::Chat(r) => self.store.chat_document_update(r, &mut merge)?,
            DocRow::Community(r) => self.store.community_document_update(r, &mut merge)?,
        };
        Ok(())
    }

    pub(super) fn save_states(&self, session: &ClientSession, server_key: &str) {
        for id in session.document_ids() {
            if let Some(state) = session.export_sync_state(id)
                && let Err(e) = self
                    .store
                    .set_chat_sync_state(&id.encode(), server_key, &state)
            {
                tracing::warn!(error = %e, "could not save a sync state");
            }
        }
    }
}

/// The document a server error says it refused to create, if it says so
/// (`document <id>: creation refused: <reason>`).
fn refused_creation(message: &str) -> Option<DocumentId> {
    message
        .strip_prefix("document ")
        .and_then(|rest| rest.split_once(": creation refused"))
        .and_then(|(id, _)| DocumentId::parse(id).ok())
}

fn load(document_id: &str, bytes: &[u8]) -> Result<Automerge> {
    Automerge::load(bytes).map_err(|e| Error::CorruptRecord {
        what: "synced document",
        id: document_id.to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_creation_names_its_document() {
        let id = DocumentId::random();
        let message = format!("document {id}: creation refused: there is no question q1");
        assert_eq!(refused_creation(&message), Some(id));
        for other in [
            format!("document {id}: change refused: not the owner"),
            "document nonsense: creation refused: x".to_owned(),
            "too many documents".to_owned(),
        ] {
            assert_eq!(refused_creation(&other), None, "{other}");
        }
    }
}

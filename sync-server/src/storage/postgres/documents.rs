//! Documents, their members, changes, snapshots and peer sync states in PostgreSQL.

use deadpool_postgres::Object;
use tokio_postgres::GenericClient;
use tokio_postgres::error::SqlState;

use crate::Error;
use crate::storage::{DocumentRecord, Snapshot, StoredChange};

fn fk_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&SqlState::FOREIGN_KEY_VIOLATION)
}

async fn insert_members<C: GenericClient>(
    c: &C,
    doc_id: &str,
    members: &[String],
) -> Result<(), Error> {
    for m in members {
        let result = c
            .execute(
                "INSERT INTO document_members (document_id, user_id) VALUES ($1, $2)
                 ON CONFLICT DO NOTHING",
                &[&doc_id, m],
            )
            .await;
        match result {
            Ok(_) => {}
            Err(e) if fk_violation(&e) => return Err(Error::NotFound { what: "user" }),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

pub(super) async fn create_document(c: &mut Object, doc: &DocumentRecord) -> Result<(), Error> {
    let tx = c.transaction().await?;
    let inserted = tx
        .execute(
            "INSERT INTO documents (id, owner_id, kind, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO NOTHING",
            &[&doc.id, &doc.owner_id, &doc.kind, &doc.created_at],
        )
        .await;
    match inserted {
        Ok(0) => return Err(Error::DocumentExists),
        Ok(_) => {}
        Err(e) if fk_violation(&e) => return Err(Error::NotFound { what: "user" }),
        Err(e) => return Err(e.into()),
    }
    insert_members(&*tx, &doc.id, &doc.members).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn document(c: &Object, id: &str) -> Result<Option<DocumentRecord>, Error> {
    let Some(row) = c
        .query_opt(
            "SELECT id, owner_id, kind, created_at FROM documents WHERE id = $1",
            &[&id],
        )
        .await?
    else {
        return Ok(None);
    };
    let members = c
        .query(
            "SELECT user_id FROM document_members WHERE document_id = $1 ORDER BY user_id",
            &[&id],
        )
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    Ok(Some(DocumentRecord {
        id: row.try_get(0)?,
        owner_id: row.try_get(1)?,
        kind: row.try_get(2)?,
        members,
        created_at: row.try_get(3)?,
    }))
}

pub(super) async fn set_members(c: &mut Object, id: &str, members: &[String]) -> Result<(), Error> {
    let tx = c.transaction().await?;
    let locked = tx
        .query_opt("SELECT 1 FROM documents WHERE id = $1 FOR UPDATE", &[&id])
        .await?;
    if locked.is_none() {
        return Err(Error::NotFound { what: "document" });
    }
    tx.execute(
        "DELETE FROM document_members WHERE document_id = $1",
        &[&id],
    )
    .await?;
    insert_members(&*tx, id, members).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn visible_to(c: &Object, user_id: &str) -> Result<Vec<String>, Error> {
    c.query(
        "SELECT id FROM documents WHERE owner_id = $1
         UNION SELECT document_id FROM document_members WHERE user_id = $1
         ORDER BY 1",
        &[&user_id],
    )
    .await?
    .iter()
    .map(|r| Ok(r.try_get(0)?))
    .collect()
}

pub(super) async fn append_change(
    c: &mut Object,
    doc_id: &str,
    hash: &str,
    author: &str,
    bytes: &[u8],
    now: i64,
) -> Result<Option<i64>, Error> {
    let tx = c.transaction().await?;
    // Bumping last_seq locks the document row: appends to one document are
    // serialised across instances, and the dedupe check below is exact.
    let Some(row) = tx
        .query_opt(
            "UPDATE documents SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
            &[&doc_id],
        )
        .await?
    else {
        return Err(Error::NotFound { what: "document" });
    };
    let seq: i64 = row.try_get(0)?;
    let known = tx
        .query_opt(
            "SELECT 1 FROM document_changes WHERE document_id = $1 AND change_hash = $2",
            &[&doc_id, &hash],
        )
        .await?;
    if known.is_some() {
        // Rolls back the last_seq bump.
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO document_changes (document_id, seq, change_hash, author_id, bytes, stored_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[&doc_id, &seq, &hash, &author, &bytes, &now],
    )
    .await?;
    tx.commit().await?;
    Ok(Some(seq))
}

pub(super) async fn changes_since(
    c: &Object,
    doc_id: &str,
    after: i64,
) -> Result<Vec<StoredChange>, Error> {
    c.query(
        "SELECT seq, change_hash, author_id, bytes, stored_at FROM document_changes
         WHERE document_id = $1 AND seq > $2 ORDER BY seq",
        &[&doc_id, &after],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(StoredChange {
            seq: r.try_get(0)?,
            change_hash: r.try_get(1)?,
            author_id: r.try_get(2)?,
            bytes: r.try_get(3)?,
            stored_at: r.try_get(4)?,
        })
    })
    .collect()
}

pub(super) async fn compact(
    c: &mut Object,
    doc_id: &str,
    bytes: &[u8],
    up_to: i64,
    now: i64,
) -> Result<(), Error> {
    let tx = c.transaction().await?;
    let last: i64 = tx
        .query_opt(
            "SELECT last_seq FROM documents WHERE id = $1 FOR UPDATE",
            &[&doc_id],
        )
        .await?
        .ok_or(Error::NotFound { what: "document" })?
        .try_get(0)?;
    if up_to > last {
        return Err(Error::SnapshotAhead { up_to, last });
    }
    tx.execute(
        "INSERT INTO document_snapshots (document_id, bytes, up_to_seq, stored_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (document_id) DO UPDATE SET
             bytes = excluded.bytes, up_to_seq = excluded.up_to_seq, stored_at = excluded.stored_at",
        &[&doc_id, &bytes, &up_to, &now],
    )
    .await?;
    tx.execute(
        "DELETE FROM document_changes WHERE document_id = $1 AND seq <= $2",
        &[&doc_id, &up_to],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn snapshot(c: &Object, doc_id: &str) -> Result<Option<Snapshot>, Error> {
    c.query_opt(
        "SELECT bytes, up_to_seq, stored_at FROM document_snapshots WHERE document_id = $1",
        &[&doc_id],
    )
    .await?
    .map(|r| {
        Ok(Snapshot {
            bytes: r.try_get(0)?,
            up_to_seq: r.try_get(1)?,
            stored_at: r.try_get(2)?,
        })
    })
    .transpose()
}

pub(super) async fn save_peer_state(
    c: &Object,
    user: &str,
    peer: &str,
    doc: &str,
    state: &[u8],
    now: i64,
) -> Result<(), Error> {
    let result = c
        .execute(
            "INSERT INTO peer_sync_states (user_id, peer_id, document_id, state, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, peer_id, document_id) DO UPDATE SET
                 state = excluded.state, updated_at = excluded.updated_at",
            &[&user, &peer, &doc, &state, &now],
        )
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if fk_violation(&e) => Err(Error::NotFound {
            what: "document or user",
        }),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn peer_state(
    c: &Object,
    user: &str,
    peer: &str,
    doc: &str,
) -> Result<Option<Vec<u8>>, Error> {
    c.query_opt(
        "SELECT state FROM peer_sync_states
         WHERE user_id = $1 AND peer_id = $2 AND document_id = $3",
        &[&user, &peer, &doc],
    )
    .await?
    .map(|r| Ok(r.try_get(0)?))
    .transpose()
}

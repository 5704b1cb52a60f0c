//! Documents, their members, changes, snapshots and peer sync states in SQLite.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::Error;
use crate::storage::{DocumentRecord, Snapshot, StoredChange};

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

fn insert_members(c: &Connection, doc_id: &str, members: &[String]) -> Result<(), Error> {
    let mut stmt = c.prepare(
        "INSERT INTO document_members (document_id, user_id) VALUES (?1, ?2)
         ON CONFLICT DO NOTHING",
    )?;
    for m in members {
        stmt.execute(params![doc_id, m])?;
    }
    Ok(())
}

pub(super) fn create_document(c: &mut Connection, doc: &DocumentRecord) -> Result<(), Error> {
    let tx = c.transaction()?;
    let inserted = tx.execute(
        "INSERT INTO documents (id, owner_id, kind, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO NOTHING",
        params![doc.id, doc.owner_id, doc.kind, doc.created_at],
    );
    match inserted {
        Ok(0) => return Err(Error::DocumentExists),
        Ok(_) => {}
        Err(e) if is_constraint(&e) => return Err(Error::NotFound { what: "user" }),
        Err(e) => return Err(e.into()),
    }
    match insert_members(&tx, &doc.id, &doc.members) {
        Err(Error::Sqlite(e)) if is_constraint(&e) => return Err(Error::NotFound { what: "user" }),
        other => other?,
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn document(c: &mut Connection, id: &str) -> Result<Option<DocumentRecord>, Error> {
    let Some(mut doc) = c
        .query_row(
            "SELECT id, owner_id, kind, created_at FROM documents WHERE id = ?1",
            [id],
            |r| {
                Ok(DocumentRecord {
                    id: r.get(0)?,
                    owner_id: r.get(1)?,
                    kind: r.get(2)?,
                    members: Vec::new(),
                    created_at: r.get(3)?,
                })
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt =
        c.prepare("SELECT user_id FROM document_members WHERE document_id = ?1 ORDER BY user_id")?;
    doc.members = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(doc))
}

pub(super) fn set_members(c: &mut Connection, id: &str, members: &[String]) -> Result<(), Error> {
    let tx = c.transaction()?;
    let exists: i64 = tx.query_row("SELECT COUNT(*) FROM documents WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    if exists == 0 {
        return Err(Error::NotFound { what: "document" });
    }
    tx.execute("DELETE FROM document_members WHERE document_id = ?1", [id])?;
    match insert_members(&tx, id, members) {
        Err(Error::Sqlite(e)) if is_constraint(&e) => return Err(Error::NotFound { what: "user" }),
        other => other?,
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn visible_to(c: &mut Connection, user_id: &str) -> Result<Vec<String>, Error> {
    let mut stmt = c.prepare(
        "SELECT id FROM documents WHERE owner_id = ?1
         UNION SELECT document_id FROM document_members WHERE user_id = ?1
         ORDER BY 1",
    )?;
    let ids = stmt
        .query_map([user_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub(super) fn append_change(
    c: &mut Connection,
    doc_id: &str,
    hash: &str,
    author: &str,
    bytes: &[u8],
    now: i64,
) -> Result<Option<i64>, Error> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let known: i64 = tx.query_row(
        "SELECT COUNT(*) FROM document_changes WHERE document_id = ?1 AND change_hash = ?2",
        params![doc_id, hash],
        |r| r.get(0),
    )?;
    if known > 0 {
        return Ok(None);
    }
    let seq: i64 = tx
        .query_row(
            "UPDATE documents SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq",
            [doc_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound { what: "document" })?;
    tx.execute(
        "INSERT INTO document_changes (document_id, seq, change_hash, author_id, bytes, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![doc_id, seq, hash, author, bytes, now],
    )?;
    tx.commit()?;
    Ok(Some(seq))
}

pub(super) fn changes_since(
    c: &mut Connection,
    doc_id: &str,
    after: i64,
) -> Result<Vec<StoredChange>, Error> {
    let mut stmt = c.prepare(
        "SELECT seq, change_hash, author_id, bytes, stored_at FROM document_changes
         WHERE document_id = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![doc_id, after], |r| {
        Ok(StoredChange {
            seq: r.get(0)?,
            change_hash: r.get(1)?,
            author_id: r.get(2)?,
            bytes: r.get(3)?,
            stored_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn compact(
    c: &mut Connection,
    doc_id: &str,
    bytes: &[u8],
    up_to: i64,
    now: i64,
) -> Result<(), Error> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let last: i64 = tx
        .query_row(
            "SELECT last_seq FROM documents WHERE id = ?1",
            [doc_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound { what: "document" })?;
    if up_to > last {
        return Err(Error::SnapshotAhead { up_to, last });
    }
    tx.execute(
        "INSERT INTO document_snapshots (document_id, bytes, up_to_seq, stored_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (document_id) DO UPDATE SET
             bytes = excluded.bytes, up_to_seq = excluded.up_to_seq, stored_at = excluded.stored_at",
        params![doc_id, bytes, up_to, now],
    )?;
    tx.execute(
        "DELETE FROM document_changes WHERE document_id = ?1 AND seq <= ?2",
        params![doc_id, up_to],
    )?;
    tx.commit()?;
    Ok(())
}

pub(super) fn snapshot(c: &mut Connection, doc_id: &str) -> Result<Option<Snapshot>, Error> {
    Ok(c.query_row(
        "SELECT bytes, up_to_seq, stored_at FROM document_snapshots WHERE document_id = ?1",
        [doc_id],
        |r| {
            Ok(Snapshot {
                bytes: r.get(0)?,
                up_to_seq: r.get(1)?,
                stored_at: r.get(2)?,
            })
        },
    )
    .optional()?)
}

pub(super) fn save_peer_state(
    c: &mut Connection,
    user: &str,
    peer: &str,
    doc: &str,
    state: &[u8],
    now: i64,
) -> Result<(), Error> {
    let result = c.execute(
        "INSERT INTO peer_sync_states (user_id, peer_id, document_id, state, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id, peer_id, document_id) DO UPDATE SET
             state = excluded.state, updated_at = excluded.updated_at",
        params![user, peer, doc, state, now],
    );
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_constraint(&e) => Err(Error::NotFound {
            what: "document or user",
        }),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn peer_state(
    c: &mut Connection,
    user: &str,
    peer: &str,
    doc: &str,
) -> Result<Option<Vec<u8>>, Error> {
    Ok(c.query_row(
        "SELECT state FROM peer_sync_states
         WHERE user_id = ?1 AND peer_id = ?2 AND document_id = ?3",
        params![user, peer, doc],
        |r| r.get(0),
    )
    .optional()?)
}

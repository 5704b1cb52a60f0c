//! Accounts, sessions, tokens and login throttling in SQLite.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::Error;
use crate::storage::{
    IssuedTokens, LoginFailures, NewSession, NewUser, RefreshOutcome, SessionRecord, UserRecord,
};

pub(super) fn create_user(c: &mut Connection, u: &NewUser) -> Result<(), Error> {
    insert_user(c, u, "")
}

/// Inserts the account, or (for an account the server runs) rewrites the
/// fields of the one with its id.
pub(super) fn put_service_user(c: &mut Connection, u: &NewUser) -> Result<(), Error> {
    insert_user(
        c,
        u,
        " ON CONFLICT (id) DO UPDATE SET email = excluded.email,
            email_normalized = excluded.email_normalized,
            password_hash = excluded.password_hash, name = excluded.name",
    )
}

/// `on_conflict` is one of the fixed clauses above, never input.
fn insert_user(c: &mut Connection, u: &NewUser, on_conflict: &'static str) -> Result<(), Error> {
    let sql = format!(
        "INSERT INTO users (id, email, email_normalized, password_hash, name, gender, birthdate, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8){on_conflict}"
    );
    let result = c.execute(
        &sql,
        params![
            u.id,
            u.email,
            u.email_normalized,
            u.password_hash,
            u.name,
            u.gender,
            u.birthdate,
            u.created_at
        ],
    );
    match result {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(Error::EmailTaken)
        }
        Err(e) => Err(e.into()),
    }
}

/// `column` is one of the fixed names `id` / `email_normalized`, never input.
pub(super) fn user_by(
    c: &mut Connection,
    column: &'static str,
    value: &str,
) -> Result<Option<UserRecord>, Error> {
    let sql = format!(
        "SELECT id, email, password_hash, name, gender, birthdate, created_at
         FROM users WHERE {column} = ?1"
    );
    Ok(c.query_row(&sql, [value], |r| {
        Ok(UserRecord {
            id: r.get(0)?,
            email: r.get(1)?,
            password_hash: r.get(2)?,
            name: r.get(3)?,
            gender: r.get(4)?,
            birthdate: r.get(5)?,
            created_at: r.get(6)?,
        })
    })
    .optional()?)
}

fn insert_tokens(c: &Connection, session_id: &str, t: &IssuedTokens) -> Result<(), Error> {
    c.execute(
        "INSERT INTO access_tokens (token_hash, session_id, expires_at) VALUES (?1, ?2, ?3)",
        params![t.access_hash, session_id, t.access_expires_at],
    )?;
    c.execute(
        "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES (?1, ?2, ?3)",
        params![t.refresh_hash, session_id, t.refresh_expires_at],
    )?;
    Ok(())
}

pub(super) fn create_session(c: &mut Connection, s: &NewSession) -> Result<(), Error> {
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO sessions (id, user_id, created_at) VALUES (?1, ?2, ?3)",
        params![s.id, s.user_id, s.created_at],
    )?;
    insert_tokens(&tx, &s.id, &s.tokens)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn session_by_access_token(
    c: &mut Connection,
    hash: &str,
    now: i64,
) -> Result<Option<SessionRecord>, Error> {
    Ok(c.query_row(
        "SELECT s.id, s.user_id, a.expires_at
         FROM access_tokens a JOIN sessions s ON s.id = a.session_id
         WHERE a.token_hash = ?1 AND a.expires_at > ?2 AND s.revoked_at IS NULL",
        params![hash, now],
        |r| {
            Ok(SessionRecord {
                session_id: r.get(0)?,
                user_id: r.get(1)?,
                access_expires_at: r.get(2)?,
            })
        },
    )
    .optional()?)
}

fn revoke(c: &Connection, session_id: &str, now: i64) -> Result<(), Error> {
    c.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![session_id, now],
    )?;
    c.execute(
        "DELETE FROM access_tokens WHERE session_id = ?1",
        [session_id],
    )?;
    // Used refresh tokens stay (marked used) so a replay is still recognised.
    c.execute(
        "UPDATE refresh_tokens SET used_at = ?2 WHERE session_id = ?1 AND used_at IS NULL",
        params![session_id, now],
    )?;
    Ok(())
}

pub(super) fn rotate_refresh_token(
    c: &mut Connection,
    hash: &str,
    replacement: &IssuedTokens,
    now: i64,
) -> Result<RefreshOutcome, Error> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = tx
        .query_row(
            "SELECT r.session_id, r.expires_at, r.used_at, s.user_id, s.revoked_at
             FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
             WHERE r.token_hash = ?1",
            [hash],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((session_id, expires_at, used_at, user_id, revoked_at)) = found else {
        return Ok(RefreshOutcome::Invalid);
    };
    if revoked_at.is_some() {
        return Ok(RefreshOutcome::Invalid);
    }
    if used_at.is_some() {
        revoke(&tx, &session_id, now)?;
        tx.commit()?;
        return Ok(RefreshOutcome::Reused);
    }
    if expires_at <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    tx.execute(
        "UPDATE refresh_tokens SET used_at = ?2 WHERE token_hash = ?1",
        params![hash, now],
    )?;
    // The new pair replaces the session's earlier access tokens.
    tx.execute(
        "DELETE FROM access_tokens WHERE session_id = ?1",
        [&session_id],
    )?;
    insert_tokens(&tx, &session_id, replacement)?;
    tx.commit()?;
    Ok(RefreshOutcome::Rotated {
        user_id,
        session_id,
    })
}

pub(super) fn revoke_session(c: &mut Connection, session_id: &str, now: i64) -> Result<(), Error> {
    let tx = c.transaction()?;
    revoke(&tx, session_id, now)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn login_failures(
    c: &mut Connection,
    key: &str,
    since: i64,
) -> Result<LoginFailures, Error> {
    let (count, oldest) = c.query_row(
        "SELECT COUNT(*), MIN(failed_at) FROM login_failures
         WHERE throttle_key = ?1 AND failed_at > ?2",
        params![key, since],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)),
    )?;
    Ok(LoginFailures {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        oldest,
    })
}

pub(super) fn record_login_failure(
    c: &mut Connection,
    key: &str,
    at: i64,
    forget_before: i64,
) -> Result<(), Error> {
    let tx = c.transaction()?;
    tx.execute(
        "DELETE FROM login_failures WHERE failed_at <= ?1",
        [forget_before],
    )?;
    tx.execute(
        "INSERT INTO login_failures (throttle_key, failed_at) VALUES (?1, ?2)",
        params![key, at],
    )?;
    tx.commit()?;
    Ok(())
}

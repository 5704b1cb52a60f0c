//! Accounts, sessions, tokens and login throttling in PostgreSQL.

use deadpool_postgres::Object;
use tokio_postgres::error::SqlState;
use tokio_postgres::{GenericClient, Row};

use crate::Error;
use crate::storage::{
    IssuedTokens, LoginFailures, NewSession, NewUser, RefreshOutcome, SessionRecord, UserRecord,
};

pub(super) async fn create_user(c: &Object, u: &NewUser) -> Result<(), Error> {
    insert_user(c, u, "").await
}

/// Inserts the account, or (for an account the server runs) rewrites the
/// fields of the one with its id.
pub(super) async fn put_service_user(c: &Object, u: &NewUser) -> Result<(), Error> {
    insert_user(
        c,
        u,
        " ON CONFLICT (id) DO UPDATE SET email = excluded.email,
            email_normalized = excluded.email_normalized,
            password_hash = excluded.password_hash, name = excluded.name",
    )
    .await
}

/// `on_conflict` is one of the fixed clauses above, never input.
async fn insert_user(c: &Object, u: &NewUser, on_conflict: &'static str) -> Result<(), Error> {
    let sql = format!(
        "INSERT INTO users (id, email, email_normalized, password_hash, name, gender, birthdate, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8){on_conflict}"
    );
    let result = c
        .execute(
            &sql,
            &[
                &u.id,
                &u.email,
                &u.email_normalized,
                &u.password_hash,
                &u.name,
                &u.gender,
                &u.birthdate,
                &u.created_at,
            ],
        )
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => Err(Error::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

fn user_from_row(r: &Row) -> Result<UserRecord, Error> {
    Ok(UserRecord {
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        password_hash: r.try_get(2)?,
        name: r.try_get(3)?,
        gender: r.try_get(4)?,
        birthdate: r.try_get(5)?,
        created_at: r.try_get(6)?,
    })
}

/// `column` is one of the fixed names `id` / `email_normalized`, never input.
pub(super) async fn user_by(
    c: &Object,
    column: &'static str,
    value: &str,
) -> Result<Option<UserRecord>, Error> {
    let sql = format!(
        "SELECT id, email, password_hash, name, gender, birthdate, created_at
         FROM users WHERE {column} = $1"
    );
    c.query_opt(&sql, &[&value])
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
}

async fn insert_tokens<C: GenericClient>(
    c: &C,
    session_id: &str,
    t: &IssuedTokens,
) -> Result<(), Error> {
    c.execute(
        "INSERT INTO access_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)",
        &[&t.access_hash, &session_id, &t.access_expires_at],
    )
    .await?;
    c.execute(
        "INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)",
        &[&t.refresh_hash, &session_id, &t.refresh_expires_at],
    )
    .await?;
    Ok(())
}

pub(super) async fn create_session(c: &mut Object, s: &NewSession) -> Result<(), Error> {
    let tx = c.transaction().await?;
    tx.execute(
        "INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $2, $3)",
        &[&s.id, &s.user_id, &s.created_at],
    )
    .await?;
    insert_tokens(&*tx, &s.id, &s.tokens).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn session_by_access_token(
    c: &Object,
    hash: &str,
    now: i64,
) -> Result<Option<SessionRecord>, Error> {
    let row = c
        .query_opt(
            "SELECT s.id, s.user_id, a.expires_at
             FROM access_tokens a JOIN sessions s ON s.id = a.session_id
             WHERE a.token_hash = $1 AND a.expires_at > $2 AND s.revoked_at IS NULL",
            &[&hash, &now],
        )
        .await?;
    row.map(|r| {
        Ok(SessionRecord {
            session_id: r.try_get(0)?,
            user_id: r.try_get(1)?,
            access_expires_at: r.try_get(2)?,
        })
    })
    .transpose()
}

async fn revoke<C: GenericClient>(c: &C, session_id: &str, now: i64) -> Result<(), Error> {
    c.execute(
        "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        &[&session_id, &now],
    )
    .await?;
    c.execute(
        "DELETE FROM access_tokens WHERE session_id = $1",
        &[&session_id],
    )
    .await?;
    c.execute(
        "UPDATE refresh_tokens SET used_at = $2 WHERE session_id = $1 AND used_at IS NULL",
        &[&session_id, &now],
    )
    .await?;
    Ok(())
}

pub(super) async fn rotate_refresh_token(
    c: &mut Object,
    hash: &str,
    replacement: &IssuedTokens,
    now: i64,
) -> Result<RefreshOutcome, Error> {
    let tx = c.transaction().await?;
    // FOR UPDATE: two concurrent refreshes with one token serialise, and the
    // second sees it used (a replay).
    let Some(row) = tx
        .query_opt(
            "SELECT r.session_id, r.expires_at, r.used_at, s.user_id, s.revoked_at
             FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
             WHERE r.token_hash = $1 FOR UPDATE",
            &[&hash],
        )
        .await?
    else {
        return Ok(RefreshOutcome::Invalid);
    };
    let session_id: String = row.try_get(0)?;
    let expires_at: i64 = row.try_get(1)?;
    let used_at: Option<i64> = row.try_get(2)?;
    let user_id: String = row.try_get(3)?;
    let revoked_at: Option<i64> = row.try_get(4)?;
    if revoked_at.is_some() {
        return Ok(RefreshOutcome::Invalid);
    }
    if used_at.is_some() {
        revoke(&*tx, &session_id, now).await?;
        tx.commit().await?;
        return Ok(RefreshOutcome::Reused);
    }
    if expires_at <= now {
        return Ok(RefreshOutcome::Invalid);
    }
    tx.execute(
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1",
        &[&hash, &now],
    )
    .await?;
    tx.execute(
        "DELETE FROM access_tokens WHERE session_id = $1",
        &[&session_id],
    )
    .await?;
    insert_tokens(&*tx, &session_id, replacement).await?;
    tx.commit().await?;
    Ok(RefreshOutcome::Rotated {
        user_id,
        session_id,
    })
}

pub(super) async fn revoke_session(
    c: &mut Object,
    session_id: &str,
    now: i64,
) -> Result<(), Error> {
    let tx = c.transaction().await?;
    revoke(&*tx, session_id, now).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn login_failures(
    c: &Object,
    key: &str,
    since: i64,
) -> Result<LoginFailures, Error> {
    let row = c
        .query_one(
            "SELECT COUNT(*), MIN(failed_at) FROM login_failures
             WHERE throttle_key = $1 AND failed_at > $2",
            &[&key, &since],
        )
        .await?;
    let count: i64 = row.try_get(0)?;
    Ok(LoginFailures {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        oldest: row.try_get(1)?,
    })
}

pub(super) async fn record_login_failure(
    c: &mut Object,
    key: &str,
    at: i64,
    forget_before: i64,
) -> Result<(), Error> {
    let tx = c.transaction().await?;
    tx.execute(
        "DELETE FROM login_failures WHERE failed_at <= $1",
        &[&forget_before],
    )
    .await?;
    tx.execute(
        "INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)",
        &[&key, &at],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

//! How long a sync connection lives. It was opened with a session's access
//! token ([`Grant`]: the token's hash and expiry, taken at the upgrade); it
//! ends at the token's expiry, and every `--session-check-interval-secs` it
//! asks the store whether the session still holds, so a logout or a revoked
//! session stops syncing too (close 4001). It also ends when the server shuts
//! down (close 1001).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::ws::CloseFrame;
use tokio::sync::watch;
use tutti_sync::{ConnectionId, UserId};

use crate::storage::{SessionRecord, Storage};

/// Close code (application range 4000–4999) of a connection whose access
/// token expired or whose session was revoked: the client refreshes its
/// tokens (or signs in again) and reconnects.
pub const CLOSE_SESSION_ENDED: u16 = 4001;
/// Close reason when the access token reached its expiry.
pub const REASON_TOKEN_EXPIRED: &str = "access token expired";
/// Close reason when a re-check found the session gone (logout, revocation,
/// or a refresh that replaced the connection's access token).
pub const REASON_SESSION_REVOKED: &str = "session revoked";

/// Close reason (code 1001, going away) when the server shuts down.
pub const REASON_SHUTDOWN: &str = "server shutting down";

/// The signed-in session behind one connection.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) user: UserId,
    /// The stored form (SHA-256 hex) of the access token the upgrade presented.
    pub(crate) access_hash: String,
    /// When that token expires, in Unix seconds (it is valid while now < this).
    pub(crate) access_expires_at: i64,
}

/// Why a grant no longer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    TokenExpired,
    SessionRevoked,
}

impl Ended {
    /// The close frame's reason.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            Ended::TokenExpired => REASON_TOKEN_EXPIRED,
            Ended::SessionRevoked => REASON_SESSION_REVOKED,
        }
    }

    /// The sync protocol's `error` message sent before the close.
    pub(crate) fn message(self) -> &'static str {
        match self {
            Ended::TokenExpired => "the access token expired: refresh the tokens and reconnect",
            Ended::SessionRevoked => {
                "the session was revoked (signed out or replaced): sign in again and reconnect"
            }
        }
    }
}

impl Grant {
    pub(crate) fn new(record: SessionRecord, access_hash: String) -> Self {
        Grant {
            user: UserId::new(record.user_id),
            access_hash,
            access_expires_at: record.access_expires_at,
        }
    }

    /// The monotonic instant at which the access token expires (now, when it
    /// already has).
    pub(crate) fn expiry(&self) -> tokio::time::Instant {
        let at =
            UNIX_EPOCH + Duration::from_secs(u64::try_from(self.access_expires_at).unwrap_or(0));
        let left = at
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO);
        tokio::time::Instant::now() + left
    }

    /// Asks the store whether the session still holds. `Ok(None)`: it does.
    pub(crate) async fn check(
        &self,
        storage: &dyn Storage,
        now: i64,
    ) -> Result<Option<Ended>, crate::Error> {
        if now >= self.access_expires_at {
            return Ok(Some(Ended::TokenExpired));
        }
        let found = storage
            .session_by_access_token(&self.access_hash, now)
            .await?;
        Ok(found.is_none().then_some(Ended::SessionRevoked))
    }

    /// [`Self::check`] with the current time, for the periodic re-check.
    /// `Some`: end the connection.
    pub(crate) async fn recheck(
        &self,
        storage: &dyn Storage,
        connection: ConnectionId,
    ) -> Option<Ended> {
        match self.check(storage, crate::accounts::now()).await {
            Ok(ended) => ended,
            // Fail open, for availability, on storage errors only: an outage
            // of the store must not drop every device. The token's expiry
            // still ends the connection on time, and the next check that
            // reaches the store applies a logout.
            Err(e) => {
                tracing::warn!(
                    connection = connection.0, error = %e,
                    "re-checking a sync connection's session failed; it stays open"
                );
                None
            }
        }
    }
}

/// A close frame; the reason cut to fit (a close reason is at most 123 bytes).
pub(crate) fn close_frame(code: u16, reason: &str) -> CloseFrame {
    let mut end = reason.len().min(120);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame {
        code,
        reason: reason[..end].into(),
    }
}

/// Resolves once the hub tells its connections to close.
pub(crate) async fn shutting_down(signal: &mut watch::Receiver<bool>) {
    if signal.wait_for(|closing| *closing).await.is_err() {
        // the hub is gone: nothing will ever signal
        std::future::pending::<()>().await;
    }
}

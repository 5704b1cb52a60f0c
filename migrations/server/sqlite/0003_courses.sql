-- Tutti sync server, SQLite schema v3: course view/click events for the
-- recommender, and server-held secrets.
--
-- Events are pseudonymous at rest: `pseudonym` is the lower-case hex
-- HMAC-SHA256 of the user id under the server's pseudonym secret; the user id
-- itself is never stored with an event. at_ms is the app's clock in
-- milliseconds; received_at is Unix seconds. `id` is arrival order: the
-- trainer retrains when COUNT(*) or MAX(id) moved.

CREATE TABLE course_events (
    id          INTEGER PRIMARY KEY,
    pseudonym   TEXT NOT NULL,
    course_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('view', 'click')),
    at_ms       INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    -- An app that re-uploads after a lost response sends the same events again.
    UNIQUE (pseudonym, course_id, kind, at_ms)
) STRICT;

-- Secrets the server generates once and keeps (e.g. `pseudonym`), so every
-- restart and every instance sharing the store uses the same value.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      BLOB NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

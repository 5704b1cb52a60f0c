-- Tutti sync server, PostgreSQL schema v3: course view/click events for the
-- recommender, and server-held secrets.
--
-- Events are pseudonymous at rest: `pseudonym` is the lower-case hex
-- HMAC-SHA256 of the user id under the server's pseudonym secret; the user id
-- itself is never stored with an event. at_ms is the app's clock in
-- milliseconds; received_at is Unix seconds. `id` is arrival order: the
-- trainer retrains when COUNT(*) or MAX(id) moved (identity values can commit
-- out of order, so the count is part of the watermark).

CREATE TABLE course_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pseudonym   TEXT NOT NULL,
    course_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('view', 'click')),
    at_ms       BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    -- An app that re-uploads after a lost response sends the same events again.
    UNIQUE (pseudonym, course_id, kind, at_ms)
);

-- Secrets the server generates once and keeps (e.g. `pseudonym`), so every
-- restart and every instance sharing the store uses the same value.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    value      BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- Tutti sync server, SQLite schema v1: accounts, sessions, login throttling,
-- surveys (the mentor directory), matches, and the document store that the
-- Automerge sync (tutti-sync) writes into. Timestamps are Unix seconds.

CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    name             TEXT NOT NULL,
    gender           TEXT NOT NULL,
    birthdate        TEXT NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;

-- A session is one login; its refresh tokens form one rotation family.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Only SHA-256 hashes of tokens are stored.
CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX access_tokens_session ON access_tokens(session_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

CREATE TABLE login_failures (
    id           INTEGER PRIMARY KEY,
    throttle_key TEXT NOT NULL,
    failed_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_key ON login_failures(throttle_key, failed_at);

CREATE TABLE surveys (
    user_id                 TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    role                    TEXT NOT NULL CHECK (role IN ('mentor', 'mentee')),
    hobby                   TEXT NOT NULL,
    gender                  TEXT NOT NULL,
    age_group               TEXT NOT NULL,
    location                TEXT NOT NULL,
    activity_level          TEXT NOT NULL,
    level                   INTEGER NOT NULL CHECK (level BETWEEN 0 AND 5),
    capacity                INTEGER,
    preferred_mentee_gender TEXT,
    updated_at              INTEGER NOT NULL
) STRICT;
CREATE INDEX surveys_role_hobby ON surveys(role, hobby);

CREATE TABLE matches (
    id         TEXT PRIMARY KEY,
    mentor_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mentee_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hobby      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
-- At most one open (pending or accepted) match per mentor–mentee pair.
CREATE UNIQUE INDEX matches_open_pair ON matches(mentor_id, mentee_id)
    WHERE status IN ('pending', 'accepted');
CREATE INDEX matches_mentor ON matches(mentor_id, status);
CREATE INDEX matches_mentee ON matches(mentee_id);

-- Automerge documents: the owner writes, members read.
CREATE TABLE documents (
    id         TEXT PRIMARY KEY,
    owner_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX documents_owner ON documents(owner_id);

CREATE TABLE document_members (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, user_id)
) STRICT;
CREATE INDEX document_members_user ON document_members(user_id);

CREATE TABLE document_changes (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    change_hash TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    stored_at   INTEGER NOT NULL,
    PRIMARY KEY (document_id, seq),
    UNIQUE (document_id, change_hash)
) STRICT;

-- A compacted document: everything up to up_to_seq, as one saved Automerge doc.
CREATE TABLE document_snapshots (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    bytes       BLOB NOT NULL,
    up_to_seq   INTEGER NOT NULL,
    stored_at   INTEGER NOT NULL
) STRICT;

-- Automerge sync state per (user, peer, document), kept between connections.
CREATE TABLE peer_sync_states (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    peer_id     TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    state       BLOB NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, peer_id, document_id)
) STRICT;

-- Local database, version 5: the sync-server account (never its tokens, which
-- live in the OS keyring), the last fetched survey / recommendations / matches
-- (so they show offline), and the mentor–mentee chat documents.

-- Key/value: `server_url`, `account` (JSON), `survey`, `recommendations`,
-- `matches` (JSON as last fetched from the server).
CREATE TABLE account_state (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- One Automerge document per (room, owner, month): the saved bytes.
CREATE TABLE chat_document (
    document_id TEXT PRIMARY KEY NOT NULL,
    room_id     TEXT NOT NULL,
    owner_id    TEXT NOT NULL,
    month       TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX chat_document_room ON chat_document (room_id);

-- Automerge sync state per document and server (keyed by the server's
-- storage id), so a reconnect sends only what changed.
CREATE TABLE chat_sync_state (
    document_id TEXT NOT NULL,
    server_id   TEXT NOT NULL,
    state       BLOB NOT NULL,
    PRIMARY KEY (document_id, server_id)
) STRICT;

-- The last message the user has read in each room (its merge-order key).
CREATE TABLE chat_read (
    room_id    TEXT PRIMARY KEY NOT NULL,
    sent_at    INTEGER NOT NULL,
    author_id  TEXT NOT NULL,
    message_id TEXT NOT NULL
) STRICT;

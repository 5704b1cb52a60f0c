-- Local database, version 7: community Q&A. Questions and answers are
-- Automerge documents (`tutti_sync::community`): this user's own posts, and
-- the posts of threads the user opened (cached, kept in step by the sync task).
-- Their per-server sync state lives in `chat_sync_state` (keyed by document id,
-- which is unique across kinds).

-- One community document: `answer_id` is NULL for a question. `bytes` is NULL
-- while the document is wanted (a thread was opened) but not fetched yet.
CREATE TABLE community_document (
    document_id TEXT PRIMARY KEY NOT NULL,
    question_id TEXT NOT NULL,
    answer_id   TEXT,
    owner_id    TEXT NOT NULL,
    bytes       BLOB,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX community_document_question ON community_document (question_id);

-- The server's view of a thread as last fetched (JSON: names, votes, helpful
-- marks), shown offline; `opened_at` orders the threads the sync task follows.
CREATE TABLE community_thread (
    question_id TEXT PRIMARY KEY NOT NULL,
    json        TEXT NOT NULL,
    opened_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Display names of askers and authors as the server last reported them.
CREATE TABLE community_name (
    user_id TEXT PRIMARY KEY NOT NULL,
    name    TEXT NOT NULL
) STRICT;

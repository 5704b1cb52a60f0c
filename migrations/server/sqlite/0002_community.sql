-- Tutti sync server, SQLite schema v2: the community Q&A thread index.
-- Questions and answers are Automerge documents (`documents`); these tables are
-- the server's index of their current content, rewritten after every stored
-- change, plus what lives only on the server (votes, "helpful" marks).
-- *_ms columns are the writer's clock in milliseconds; indexed_at is Unix seconds.

CREATE TABLE community_questions (
    question_id        TEXT PRIMARY KEY,
    doc_id             TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    asker_id           TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hobby              TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    created_at_ms      INTEGER NOT NULL,
    edited_at_ms       INTEGER,
    deleted            INTEGER NOT NULL DEFAULT 0,
    accepted_answer_id TEXT,
    indexed_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX community_questions_newest ON community_questions(created_at_ms DESC, question_id DESC);
CREATE INDEX community_questions_hobby ON community_questions(hobby, created_at_ms DESC);

CREATE TABLE community_answers (
    answer_id     TEXT PRIMARY KEY,
    question_id   TEXT NOT NULL REFERENCES community_questions(question_id) ON DELETE CASCADE,
    doc_id        TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    author_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    edited_at_ms  INTEGER,
    deleted       INTEGER NOT NULL DEFAULT 0,
    ai_model      TEXT,
    helpful       INTEGER NOT NULL DEFAULT 0,
    indexed_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX community_answers_question ON community_answers(question_id, deleted);

-- One vote per user per answer: +1 or -1 (clearing deletes the row).
CREATE TABLE community_votes (
    answer_id TEXT NOT NULL REFERENCES community_answers(answer_id) ON DELETE CASCADE,
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    value     INTEGER NOT NULL CHECK (value IN (-1, 1)),
    voted_at  INTEGER NOT NULL,
    PRIMARY KEY (answer_id, user_id)
) STRICT;

-- Full-text search over titles and bodies. The trigram tokenizer matches any
-- substring of 3+ characters, so a Korean word inside a sentence is found
-- (Korean attaches particles to words: 바레코드가). Shorter queries use LIKE.
CREATE VIRTUAL TABLE community_search USING fts5(
    question_id UNINDEXED,
    title,
    body,
    tokenize = 'trigram'
);

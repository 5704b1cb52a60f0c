-- Version 3: AI mentor rooms, their messages, level tests and challenge progress.

-- One conversation with the AI mentor. `stage` is the persisted state of the
-- mentor flow (tutti-core's `mentor::flow`), so a restart resumes where the
-- learner left off.
CREATE TABLE ai_rooms (
    id            TEXT PRIMARY KEY NOT NULL,
    title         TEXT NOT NULL,
    stage         TEXT NOT NULL
                  CHECK (stage IN ('awaiting_hobby', 'level_test', 'awaiting_challenge_count', 'free_conversation')),
    -- A taxonomy hobby id or 'other' (then `hobby_mention` names it).
    hobby         TEXT,
    hobby_mention TEXT,
    level         TEXT CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX ai_rooms_recent ON ai_rooms (updated_at);

CREATE TABLE ai_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id    TEXT NOT NULL REFERENCES ai_rooms (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('mentor', 'learner')),
    -- 'text', or the kind of structured card the UI renders (level test offer,
    -- level result, challenge count prompt, challenges ready).
    kind       TEXT NOT NULL DEFAULT 'text',
    -- What the message says, as plain text (also what the LLM sees as history).
    body       TEXT NOT NULL,
    -- The card's data as JSON, for structured kinds.
    card       TEXT,
    -- The model that wrote it, for replies from an LLM.
    model      TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX ai_messages_room ON ai_messages (room_id, id);

-- A level test drawn for a room (answer key included, so grading never depends
-- on a later version of the question bank); answers and result once submitted.
CREATE TABLE level_tests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id      TEXT NOT NULL REFERENCES ai_rooms (id) ON DELETE CASCADE,
    hobby        TEXT NOT NULL,
    seed         INTEGER NOT NULL,
    test_json    TEXT NOT NULL,
    answers_json TEXT,
    score        INTEGER CHECK (score BETWEEN 0 AND 5),
    level        TEXT CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    submitted_at TEXT
) STRICT;
CREATE INDEX level_tests_room ON level_tests (room_id, id);
-- At most one test awaiting answers per room.
CREATE UNIQUE INDEX level_tests_open ON level_tests (room_id) WHERE submitted_at IS NULL;

-- Challenges given to a room, in order, with the learner's progress.
CREATE TABLE room_challenges (
    room_id        TEXT NOT NULL REFERENCES ai_rooms (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL CHECK (position >= 0),
    challenge_id   TEXT NOT NULL,
    -- 'curated' (shipped with the app) or 'generated' (by the LLM, validated).
    source         TEXT NOT NULL CHECK (source IN ('curated', 'generated')),
    challenge_json TEXT NOT NULL,
    -- One JSON boolean per step of the challenge.
    steps_done     TEXT NOT NULL DEFAULT '[]',
    done_at        TEXT,
    PRIMARY KEY (room_id, position),
    UNIQUE (room_id, challenge_id)
) STRICT;

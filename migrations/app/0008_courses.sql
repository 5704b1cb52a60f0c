-- Local database, version 8: courses. The catalogue as last fetched from the
-- sync server (the bundled copy is used until then), each hobby's
-- recommendation model as last fetched, the learner's consent to share, and
-- the learner's own course views and clicks (ranked on the device).

-- Key/value: `catalogue` (JSON, as the server sent it), `sharing_consent`
-- ('1' once the learner agreed).
CREATE TABLE course_state (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- One hobby's item-to-item model (the server's JSON, with its item ids).
CREATE TABLE course_models (
    hobby      TEXT PRIMARY KEY NOT NULL,
    json       TEXT NOT NULL,
    fetched_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- A view (the learner opened a course) or click (they chose to take it).
-- `sharing`: 0 = recorded without consent (never leaves the device),
-- 1 = to upload, 2 = uploaded.
CREATE TABLE course_events (
    id        INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('view', 'click')),
    at_ms     INTEGER NOT NULL,
    sharing   INTEGER NOT NULL CHECK (sharing IN (0, 1, 2))
) STRICT;

CREATE INDEX course_events_by_course ON course_events (course_id);
CREATE INDEX course_events_to_upload ON course_events (sharing, id);

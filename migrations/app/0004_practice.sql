-- Practice: target melodies and the recordings library (issue 4).
-- A take's audio is a WAV file `recordings/<id>.wav` under the data directory;
-- the row holds its metadata, transcription and latest grade.

CREATE TABLE practice_targets (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    -- Where it came from: 'musicxml', 'midi', 'csv' or 'level_test'.
    source      TEXT NOT NULL CHECK (source IN ('musicxml', 'midi', 'csv', 'level_test')),
    -- tutti_score::Melody as JSON (notes in beats and seconds, tempo, metre).
    melody_json TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE practice_takes (
    id            TEXT PRIMARY KEY,
    title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
    -- File name inside `recordings/`.
    file_name     TEXT NOT NULL UNIQUE,
    duration_s    REAL NOT NULL,
    sample_rate   INTEGER NOT NULL,
    -- The transcription: tutti_score::Note list as JSON, and the tuning in cents.
    notes_json    TEXT NOT NULL,
    tuning_cents  REAL NOT NULL,
    -- The target of the latest grade; the grade survives a deleted target.
    target_id     TEXT REFERENCES practice_targets (id) ON DELETE SET NULL,
    target_title  TEXT,
    -- tutti_score::Grade as JSON, and the target melody it was graded against.
    grade_json    TEXT,
    target_json   TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX practice_takes_recent ON practice_takes (created_at);

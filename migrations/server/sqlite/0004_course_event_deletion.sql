-- Tutti sync server, SQLite schema v4: learners delete the course events
-- they shared, and events expire after --course-event-retention-days.
--
-- `generation` counts the transactions that deleted course events (a
-- learner's delete, a retention prune). It is part of the trainer's
-- watermark: COUNT(*) and MAX(id) alone can come back to earlier values after
-- a delete (SQLite reuses the largest rowid once its row is gone), which
-- would leave a model trained on deleted events in service.

CREATE TABLE course_events_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
) STRICT;
INSERT INTO course_events_generation (id, generation) VALUES (1, 0);

-- The retention prune deletes by receive time (Unix seconds). A learner's
-- delete by pseudonym uses UNIQUE (pseudonym, course_id, kind, at_ms).
CREATE INDEX course_events_received_at ON course_events (received_at);

-- Tutti sync server, PostgreSQL schema v4: learners delete the course events
-- they shared, and events expire after --course-event-retention-days.
--
-- `generation` counts the transactions that deleted course events (a
-- learner's delete, a retention prune). It is part of the trainer's
-- watermark: COUNT(*) and MAX(id) alone can come back to earlier values after
-- a delete (identity values commit out of order, so a delete and a late
-- commit can cancel out), which would leave a model trained on deleted
-- events in service. The row is updated inside each deleting transaction, so
-- the watermark never shows the new generation without the deletion.

CREATE TABLE course_events_generation (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO course_events_generation (id, generation) VALUES (1, 0);

-- The retention prune deletes by receive time (Unix seconds). A learner's
-- delete by pseudonym uses UNIQUE (pseudonym, course_id, kind, at_ms).
CREATE INDEX course_events_received_at ON course_events (received_at);

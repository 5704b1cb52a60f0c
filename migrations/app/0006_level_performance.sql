-- Version 6: the performance part of a level test (issue 3 item 4, graded by
-- practice, issue 4). A practice target made from a level test remembers which
-- test it came from; a take graded against it can then be attached to that
-- test, which keeps the take's accuracy (0.0 ..= 1.0). The level stays the
-- written part's; the UI shows both.

ALTER TABLE practice_targets
    ADD COLUMN level_test_id INTEGER REFERENCES level_tests (id) ON DELETE SET NULL;

ALTER TABLE level_tests
    ADD COLUMN performance_accuracy REAL
    CHECK (performance_accuracy IS NULL OR performance_accuracy BETWEEN 0.0 AND 1.0);
-- The take the accuracy came from (the accuracy stays if the take is deleted).
ALTER TABLE level_tests
    ADD COLUMN performance_take_id TEXT REFERENCES practice_takes (id) ON DELETE SET NULL;

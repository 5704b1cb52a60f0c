-- Local database, version 9: the first-run screen. Its completion is the
-- setting `first_run_done` ('1'). An installation used before this version
-- (a saved setting, a profile, an AI mentor room, a practice target or take,
-- an account) has met Tutti already and does not see the screen.
INSERT INTO settings (key, value)
SELECT 'first_run_done', '1'
WHERE EXISTS (SELECT 1 FROM settings)
   OR EXISTS (SELECT 1 FROM profile)
   OR EXISTS (SELECT 1 FROM ai_rooms)
   OR EXISTS (SELECT 1 FROM practice_targets)
   OR EXISTS (SELECT 1 FROM practice_takes)
   OR EXISTS (SELECT 1 FROM account_state);

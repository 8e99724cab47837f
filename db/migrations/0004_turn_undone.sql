-- When the user undid a turn's file changes (POST /api/sessions/:id/turns/:turnId/undo); NULL while not
-- undone. The chat hides a turn's Undo button once it has been used, also after a reload.
ALTER TABLE turns ADD COLUMN undone_at INTEGER;

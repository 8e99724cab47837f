-- Flat cost as a user's history grows (issue 19, a year of use: scripts/bench/year-of-use.ts).
-- The sidebar's page (pinned first, then newest first, keyset-paged by (pinned, updated_at, id)) read in
-- index order: without it every page sorted all of a user's sessions.
CREATE INDEX sessions_sidebar ON sessions (user_id, deleted_at, pinned DESC, updated_at DESC, id DESC);
DROP INDEX sessions_by_user_updated;
-- Start-up looks for turns a crash left running or queued: without it, it read every turn ever run.
CREATE INDEX turns_unfinished ON turns (session_id) WHERE status IN ('running', 'queued');
-- Start-up removes chats that were opened and never used: only those are in this index.
CREATE INDEX sessions_untouched ON sessions (user_id) WHERE title_set = 0 AND title = '' AND pinned = 0;
-- Search's title matches (LIKE '%…%', newest first) read this small index instead of every session row.
CREATE INDEX sessions_titles ON sessions (user_id, deleted_at, updated_at DESC, title);

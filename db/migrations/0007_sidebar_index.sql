-- The sidebar's page (pinned first, then newest first, keyset-paged by (pinned, updated_at, id)) read in
-- index order: without it every page sorted all of a user's sessions (issue 19: a year of use).
CREATE INDEX sessions_sidebar ON sessions (user_id, deleted_at, pinned DESC, updated_at DESC, id DESC);
DROP INDEX sessions_by_user_updated;

-- Automatic retries of a model step are one message in the transcript (issue 11, part 4).
-- A failed attempt that a retry replaced keeps its row and parts for the record, with superseded_by
-- naming the retry (which takes its place under the same parent, so it leaves the active branch);
-- the retry lists the failed attempts in attempts. Rows from before this migration have neither.
ALTER TABLE messages ADD COLUMN superseded_by TEXT;
ALTER TABLE messages ADD COLUMN attempts TEXT; -- JSON: [{messageId?, code, message, at}]

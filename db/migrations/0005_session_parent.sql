-- Sub-agents (the delegate tool): a child session links to the session (and tool call) that started
-- it. parent_id: the parent session (NULL for the user's own chats, which alone the sidebar lists);
-- delegation: JSON SessionDelegation (src/shared/delegation.ts) with the call, depth, workspace and,
-- for a sub-agent defined on the spot, its name, instructions and tools.
ALTER TABLE sessions ADD COLUMN parent_id TEXT;
ALTER TABLE sessions ADD COLUMN delegation TEXT;
CREATE INDEX sessions_by_parent ON sessions (parent_id) WHERE parent_id IS NOT NULL;

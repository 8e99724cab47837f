-- Sage schema, version 1.
-- Every user-owned table carries user_id (single local user today, room for more without a rewrite).

CREATE TABLE users (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

-- Key/value settings per user (language, theme, browser mode, environment variables ...).
CREATE TABLE settings (
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key         TEXT NOT NULL,
  value       TEXT NOT NULL, -- JSON
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);

-- Model providers. The API key is never stored here: key_ref names it in the keychain or the
-- encrypted fallback store.
CREATE TABLE providers (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL, -- openai-compatible | openai | anthropic | google
  preset        TEXT,          -- openai | deepseek | ollama | ... (for the UI)
  base_url      TEXT NOT NULL,
  key_ref       TEXT,
  models        TEXT NOT NULL DEFAULT '[]', -- JSON: [{id, contextWindow?, vision?, tools?, reasoning?}]
  default_model TEXT,
  fast_model    TEXT,
  is_default    INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (user_id, name)
);

CREATE TABLE agents (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  config      TEXT NOT NULL, -- JSON: AgentConfig (prompt, models, tools, skills, policy, limits ...)
  is_default  INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (user_id, name)
);

CREATE TABLE sessions (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  agent_id    TEXT NOT NULL,
  title       TEXT NOT NULL DEFAULT '',
  title_set   INTEGER NOT NULL DEFAULT 0, -- 1 once generated or edited by the user
  pinned      INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL DEFAULT 'idle', -- idle | running | waiting | interrupted
  head_id     TEXT,                         -- last message of the active branch
  last_seq    INTEGER NOT NULL DEFAULT 0,
  message_count INTEGER NOT NULL DEFAULT 0,
  todos       TEXT NOT NULL DEFAULT '[]',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER                       -- soft delete (undo); purged later
);
CREATE INDEX sessions_by_user_updated ON sessions (user_id, deleted_at, updated_at DESC);

-- Messages form a tree per session: parent_id links a message to the one before it on its branch;
-- siblings are alternative versions (edit / regenerate). sessions.head_id selects the active branch.
CREATE TABLE messages (
  id          TEXT PRIMARY KEY,
  session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  user_id     TEXT NOT NULL,
  parent_id   TEXT,
  depth       INTEGER NOT NULL,
  role        TEXT NOT NULL,   -- user | assistant
  kind        TEXT NOT NULL DEFAULT 'normal', -- normal | guidance | summary
  turn_id     TEXT,
  status      TEXT NOT NULL,
  model       TEXT,
  usage       TEXT,            -- JSON Usage
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX messages_by_session ON messages (session_id, depth);
CREATE INDEX messages_by_parent ON messages (parent_id);

CREATE TABLE parts (
  id          TEXT PRIMARY KEY,
  message_id  TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  session_id  TEXT NOT NULL,
  idx         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,   -- JSON Part
  text        TEXT NOT NULL DEFAULT '', -- searchable text of the part (text, reasoning, tool output)
  updated_at  INTEGER NOT NULL
);
CREATE INDEX parts_by_message ON parts (message_id, idx);

-- Full-text search over titles and message text.
CREATE VIRTUAL TABLE parts_fts USING fts5 (text, content = 'parts', content_rowid = 'rowid', tokenize = 'unicode61');
CREATE TRIGGER parts_fts_insert AFTER INSERT ON parts BEGIN
  INSERT INTO parts_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER parts_fts_delete AFTER DELETE ON parts BEGIN
  INSERT INTO parts_fts (parts_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER parts_fts_update AFTER UPDATE OF text ON parts BEGIN
  INSERT INTO parts_fts (parts_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  INSERT INTO parts_fts (rowid, text) VALUES (new.rowid, new.text);
END;

-- The durable event log: what every subscriber saw, in order. Resume reads from here.
CREATE TABLE events (
  session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,   -- JSON of the whole event
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE turns (
  id              TEXT PRIMARY KEY,
  session_id      TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  client_turn_id  TEXT NOT NULL,
  status          TEXT NOT NULL, -- queued | running | completed | stopped | error | interrupted
  user_message_id TEXT,
  usage           TEXT,
  started_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  UNIQUE (session_id, client_turn_id)
);

-- Remembered approvals ("always for this agent"); session-scoped ones live in memory.
CREATE TABLE approvals (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  agent_id    TEXT NOT NULL,
  tool        TEXT NOT NULL,
  pattern     TEXT NOT NULL,   -- what the approval covers (a command prefix, a host, '*')
  created_at  INTEGER NOT NULL
);

-- Every tool run, for the audit log.
CREATE TABLE tool_runs (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  session_id  TEXT NOT NULL,
  agent_id    TEXT NOT NULL,
  turn_id     TEXT,
  call_id     TEXT NOT NULL,
  tool        TEXT NOT NULL,
  input       TEXT NOT NULL,
  decision    TEXT NOT NULL,   -- allowed | approved-once | approved-session | approved-always | denied | policy-denied
  status      TEXT NOT NULL,   -- completed | error | denied | stopped
  summary     TEXT NOT NULL DEFAULT '',
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER
);
CREATE INDEX tool_runs_by_time ON tool_runs (user_id, started_at DESC);

-- Files as they were before a turn first changed them (undo a turn's file changes).
CREATE TABLE file_snapshots (
  turn_id     TEXT NOT NULL,
  session_id  TEXT NOT NULL,
  path        TEXT NOT NULL,   -- absolute
  existed     INTEGER NOT NULL,
  content     BLOB,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (turn_id, path)
);

-- Scheduled tasks (src/schedule/): a prompt an agent runs at a time or on a cron pattern, and the
-- history of its runs. A run row is written before its turn starts, so a crash leaves it "running" and the
-- next start marks it interrupted instead of losing it.
CREATE TABLE scheduled_tasks (
  id            TEXT PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  prompt        TEXT NOT NULL,
  kind          TEXT NOT NULL,            -- once | cron
  run_at        INTEGER,                  -- once: ms since the epoch
  cron          TEXT,                     -- cron: the pattern
  timezone      TEXT,                     -- cron: IANA zone; NULL = the computer's
  session_mode  TEXT NOT NULL DEFAULT 'new',   -- new | same
  session_id    TEXT,                     -- same: the chat runs append to
  missed_policy TEXT NOT NULL DEFAULT 'skip',  -- skip | run-once
  enabled       INTEGER NOT NULL DEFAULT 1,
  next_run_at   INTEGER,                  -- NULL: nothing due
  created_by    TEXT NOT NULL DEFAULT 'user', -- user | agent
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX scheduled_tasks_due ON scheduled_tasks (user_id, enabled, next_run_at);

CREATE TABLE scheduled_runs (
  id            TEXT PRIMARY KEY,
  task_id       TEXT NOT NULL REFERENCES scheduled_tasks(id) ON DELETE CASCADE,
  trigger       TEXT NOT NULL,            -- schedule | missed | manual
  scheduled_for INTEGER,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  status        TEXT NOT NULL,            -- running | waiting | completed | error | stopped | interrupted | skipped
  detail        TEXT,
  session_id    TEXT
);
CREATE INDEX scheduled_runs_by_task ON scheduled_runs (task_id, started_at DESC);
CREATE INDEX scheduled_runs_open ON scheduled_runs (status) WHERE status IN ('running', 'waiting');

-- Whether the user paused scheduled work (tray, Tasks page); survives a restart.
CREATE TABLE scheduler_state (
  user_id       TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  paused        INTEGER NOT NULL DEFAULT 0,
  updated_at    INTEGER NOT NULL
);

/**
 * The schema migrations, in order, embedded as text (they live in db/migrations/NNNN_name.sql).
 * Adding a migration: create the file and add one line here; test/unit/migrations.test.ts fails when a
 * file in db/migrations is missing from this list.
 */
import m0001 from "../../db/migrations/0001_init.sql" with { type: "text" };
import m0002 from "../../db/migrations/0002_session_model.sql" with { type: "text" };
import m0003 from "../../db/migrations/0003_retry_attempts.sql" with { type: "text" };
import m0004 from "../../db/migrations/0004_turn_undone.sql" with { type: "text" };
import m0005 from "../../db/migrations/0005_session_parent.sql" with { type: "text" };
import m0006 from "../../db/migrations/0006_scheduled_tasks.sql" with { type: "text" };
import m0007 from "../../db/migrations/0007_history_indexes.sql" with { type: "text" };
import m0008 from "../../db/migrations/0008_message_plan_mode.sql" with { type: "text" };
import type { Migration } from "./migrations.ts";

export const MIGRATIONS: Migration[] = [
  { version: 1, name: "0001_init", sql: m0001 },
  { version: 2, name: "0002_session_model", sql: m0002 },
  { version: 3, name: "0003_retry_attempts", sql: m0003 },
  { version: 4, name: "0004_turn_undone", sql: m0004 },
  { version: 5, name: "0005_session_parent", sql: m0005 },
  { version: 6, name: "0006_scheduled_tasks", sql: m0006 },
  { version: 7, name: "0007_history_indexes", sql: m0007 },
  { version: 8, name: "0008_message_plan_mode", sql: m0008 },
];

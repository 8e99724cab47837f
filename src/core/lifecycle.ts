/**
 * Start-up and shut-down of the backend, in a fixed order:
 *   data dirs -> SQLite (WAL, busy_timeout, foreign keys) -> migrations -> local user
 *   -> built-in skills sync -> tool registry -> session manager
 * `shutdown()` undoes them in reverse and checkpoints the WAL, so a clean exit leaves no -wal file.
 */

import type { SessionCommands } from "../server/ws-hub.ts";
import { closeDatabase, openDatabase } from "../store/database.ts";
import { EventLog } from "../store/event-log.ts";
import type { AppContext, RunMode } from "./context.ts";
import type { Logger } from "./logger.ts";
import { ensurePaths, type Paths } from "./paths.ts";
import { ensureLocalUser } from "./user.ts";
import { VERSION } from "./version.ts";

export interface InitializeOptions {
  paths: Paths;
  logger: Logger;
  mode: RunMode;
  compiled: boolean;
}

export interface Backend {
  context: AppContext;
  /** What WebSocket clients may ask of the sessions (submit, stop, approve ...). */
  commands: SessionCommands;
  shutdown(): Promise<void>;
}

export async function initialize(options: InitializeOptions): Promise<Backend> {
  const { paths, logger } = options;
  const started = performance.now();
  ensurePaths(paths);
  const { db, migration } = openDatabase(paths.database);
  if (migration.applied.length > 0) {
    logger.info(`database schema ${migration.from} -> ${migration.to}`, { applied: migration.applied });
  }
  const undo: (() => void | Promise<void>)[] = [() => closeDatabase(db)];
  try {
    const user = ensureLocalUser(db);
    const events = new EventLog(db);
    undo.push(() => events.flush());
    const context: AppContext = {
      version: VERSION,
      mode: options.mode,
      compiled: options.compiled,
      startedAt: Date.now(),
      paths,
      logger,
      db,
      user,
      events,
    };
    logger.info(`backend ready in ${(performance.now() - started).toFixed(1)} ms`, { data: paths.home });
    let stopped = false;
    const commands: SessionCommands = {
      canSubscribe: () => false,
      submit: notYet,
      stop: notYet,
      inject: notYet,
      approve: notYet,
      answer: notYet,
    };
    return {
      context,
      commands,
      async shutdown() {
        if (stopped) return;
        stopped = true;
        for (const step of undo.reverse()) {
          try {
            await step();
          } catch (error) {
            logger.error("shutdown step failed", error);
          }
        }
        logger.info("backend stopped");
      },
    };
  } catch (error) {
    for (const step of undo.reverse()) await step();
    throw error;
  }
}

function notYet(): never {
  throw new Error("Sessions are not available yet.");
}

/**
 * The application context: everything the backend needs, built once by `initialize()` and passed
 * explicitly (no globals, no DI framework). Routes read from it; nothing below src/server imports it.
 */
import type { Database } from "bun:sqlite";
import type { EventLog } from "../store/event-log.ts";
import type { Logger } from "./logger.ts";
import type { Paths } from "./paths.ts";
import type { LocalUser } from "./user.ts";

export type RunMode = "window" | "serve" | "dev";

export interface AppContext {
  version: string;
  mode: RunMode;
  /** True when running from the `bun build --compile` executable. */
  compiled: boolean;
  startedAt: number;
  paths: Paths;
  logger: Logger;
  db: Database;
  user: LocalUser;
  events: EventLog;
}

export function isCompiled(): boolean {
  return Bun.isStandaloneExecutable;
}

/**
 * The idle collector (src/app/idle-collector.ts): a collection runs once Sage has been idle for a
 * while after the last turn (the app's delay is 0: the next tick; the tests use a longer one); never while a turn runs (in any session); a new turn cancels a pending
 * round; a failing collector is logged, not thrown; stop() leaves nothing scheduled.
 */

import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IdleCollector } from "../../src/app/idle-collector.ts";
import { Logger } from "../../src/core/logger.ts";
import { ensureLocalUser } from "../../src/core/user.ts";
import { SessionRepository } from "../../src/sessions/repository.ts";
import { openDatabase } from "../../src/store/database.ts";
import { EventLog } from "../../src/store/event-log.ts";

let dir: string;
let db: Database;
let events: EventLog;
let sessions: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-idle-"));
  db = openDatabase(join(dir, "sage.db")).db;
  const user = ensureLocalUser(db);
  const repo = new SessionRepository(db, user.id);
  sessions = ["ses_a", "ses_b"];
  for (const id of sessions) repo.createSession(id, "agent", "t");
  events = new EventLog(db);
});
afterEach(() => {
  events.flush();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function turn(type: "turn.started" | "turn.ended", sessionId: string): void {
  if (type === "turn.started")
    events.append({ type, sessionId, turnId: `trn_${sessionId}`, clientTurnId: "c", userMessageId: "m" });
  else events.append({ type, sessionId, turnId: `trn_${sessionId}`, status: "completed" });
  events.flush();
}

function housekeeping(collected: { n: number }) {
  return new IdleCollector({
    events,
    logger: new Logger({ level: "error", console: false }),
    idleDelayMs: 40,
    collect: () => {
      collected.n++;
    },
  });
}

describe("IdleCollector", () => {
  test("collects once, a while after the last of several running turns ended", async () => {
    const collected = { n: 0 };
    const keeper = housekeeping(collected);
    turn("turn.started", "ses_a");
    turn("turn.started", "ses_b");
    turn("turn.ended", "ses_a");
    await Bun.sleep(80);
    expect(collected.n).toBe(0); // ses_b still runs
    turn("turn.ended", "ses_b");
    await Bun.sleep(15);
    expect(collected.n).toBe(0); // not idle long enough yet
    await Bun.sleep(80);
    expect(collected.n).toBe(1);
    await Bun.sleep(80);
    expect(collected.n).toBe(1); // once per idle period
    keeper.stop();
  });

  test("a turn starting during the idle delay cancels the round; stop() leaves nothing scheduled", async () => {
    const collected = { n: 0 };
    const keeper = housekeeping(collected);
    turn("turn.started", "ses_a");
    turn("turn.ended", "ses_a");
    await Bun.sleep(10);
    turn("turn.started", "ses_a");
    await Bun.sleep(80);
    expect(collected.n).toBe(0);
    turn("turn.ended", "ses_a");
    keeper.stop();
    await Bun.sleep(80);
    expect(collected.n).toBe(0);
  });

  test("a failing collector is logged, not thrown, and the next idle moment tries again", async () => {
    const keeper = new IdleCollector({
      events,
      logger: new Logger({ level: "error", console: false }),
      idleDelayMs: 20,
      collect: () => {
        throw new Error("collector broke");
      },
    });
    for (let round = 0; round < 2; round++) {
      turn("turn.started", "ses_a");
      turn("turn.ended", "ses_a");
      await Bun.sleep(60);
    }
    expect(keeper.rounds).toBe(2);
    keeper.stop();
  });

  test("idleForMs: infinite before any turn, 0 while one runs, then the time since the last ended", async () => {
    const keeper = housekeeping({ n: 0 });
    expect(keeper.idleForMs()).toBe(Number.POSITIVE_INFINITY);
    turn("turn.started", "ses_a");
    turn("turn.started", "ses_b");
    turn("turn.ended", "ses_a");
    expect(keeper.idleForMs()).toBe(0); // ses_b still runs
    turn("turn.ended", "ses_b");
    const ended = Date.now();
    expect(keeper.idleForMs(ended + 90_000)).toBeGreaterThanOrEqual(89_900);
    expect(keeper.idleForMs(ended + 90_000)).toBeLessThanOrEqual(90_100);
    keeper.stop();
  });
});

/**
 * Queries that must stay flat as a user's history grows (issue 19, scripts/bench/year-of-use.ts): the
 * sidebar page is read in index order (no sort of every session), and search walks the full-text index
 * newest first and stops at a page of hits — yet still finds rare words however old, and hides deleted
 * sessions.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedYearOfUse } from "../../scripts/bench/year-of-use-seed.ts";
import { ftsQuery, searchSessions } from "../../src/sessions/search.ts";
import { openDatabase } from "../../src/store/database.ts";

const dir = mkdtempSync(join(tmpdir(), "sage-history-"));
seedYearOfUse(dir, { sessions: 150, skills: 0, agents: 2, workspaceBytes: 0, longSession: 0 });
const { db } = openDatabase(join(dir, "sage.db"));
afterAll(() => {
  db.close(); // a plain close: this test needs no WAL checkpoint
  rmSync(dir, { recursive: true, force: true });
});
const userId = (db.query("SELECT id FROM users").get() as { id: string }).id;

function plan(sql: string, ...params: (string | number)[]): string {
  return (db.query(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
    .map((row) => row.detail)
    .join("\n");
}

describe("the sidebar page", () => {
  test("first and next pages are read in index order, without sorting every session", () => {
    const order = "ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?";
    const first = plan(
      `SELECT * FROM sessions WHERE user_id = ? AND deleted_at IS NULL AND parent_id IS NULL ${order}`,
      userId,
      50,
    );
    const next = plan(
      `SELECT * FROM sessions WHERE user_id = ? AND deleted_at IS NULL AND parent_id IS NULL AND (pinned, updated_at, id) < (?, ?, ?) ${order}`,
      userId,
      0,
      Date.now(),
      "ses_x",
      50,
    );
    for (const text of [first, next]) {
      expect(text).toContain("USING INDEX sessions_sidebar");
      expect(text).not.toContain("TEMP B-TREE");
    }
  });
});

describe("start-up", () => {
  test("finding unfinished turns and untouched chats reads only those, not the whole history", () => {
    const unfinished = plan(
      "SELECT t.* FROM turns t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = ? AND t.status IN ('running', 'queued')",
      userId,
    );
    expect(unfinished).toContain("INDEX turns_unfinished");
    expect(unfinished).not.toContain("SCAN t");
    const untouched = plan(
      "SELECT 1 FROM sessions AS s WHERE s.user_id = ? AND s.title_set = 0 AND s.title = '' AND s.pinned = 0 AND s.status = 'idle'",
      userId,
    );
    expect(untouched).toContain("INDEX sessions_untouched");
  });
});

describe("search over a long history", () => {
  test("a word in most parts returns a full page, newest first, with the match marked", () => {
    const matches = (
      db.query(`SELECT count(*) AS n FROM parts_fts WHERE parts_fts MATCH '"the"'`).get() as {
        n: number;
      }
    ).n;
    expect(matches).toBeGreaterThan(1000);
    // A page larger than the sessions whose title has the word, so text hits follow the title hits.
    const hits = searchSessions(db, userId, "the", 200);
    expect(hits).toHaveLength(200);
    // Text hits (title hits, without a message, come first) are newest first.
    const order = hits
      .filter((hit) => hit.messageId !== null)
      .map(
        (hit) =>
          (db.query("SELECT rowid FROM messages WHERE id = ?").get(hit.messageId) as { rowid: number }).rowid,
      );
    expect(order.length).toBeGreaterThan(0);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    for (const hit of hits) expect(hit.snippet.toLowerCase()).toContain("«the");
  });

  test("a rare word of the oldest session is found; a deleted session's is not", () => {
    const sessions = db.query("SELECT id, deleted_at FROM sessions ORDER BY rowid").all() as {
      id: string;
      deleted_at: number | null;
    }[];
    const live = sessions.findIndex((session) => session.deleted_at === null);
    const hits = searchSessions(db, userId, `quokka${live}`, 30);
    expect(hits.map((hit) => hit.sessionId)).toContain(sessions[live]?.id as string);
    db.query("UPDATE sessions SET deleted_at = 1 WHERE id = ?").run(sessions[live]?.id as string);
    expect(searchSessions(db, userId, `quokka${live}`, 30).map((hit) => hit.sessionId)).not.toContain(
      sessions[live]?.id as string,
    );
  });

  test("the last word matches longer words from three letters on; shorter ones match whole words", () => {
    expect(ftsQuery("deploy conf")).toBe('"deploy" "conf"*');
    expect(ftsQuery("deploy conf", false)).toBe('"deploy" "conf"');
    expect(ftsQuery("to", true)).toBeUndefined();
    const hits = searchSessions(db, userId, "conf", 200).filter((hit) => hit.messageId !== null);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.snippet.toLowerCase()).toMatch(/«conf[a-z]*»/);
    const whole = searchSessions(db, userId, "to", 200).filter((hit) => hit.messageId !== null);
    expect(whole.length).toBeGreaterThan(0);
    for (const hit of whole) expect(hit.snippet).toContain("«to»");
  });

  test("input with no words finds nothing; quotes and operators are taken literally", () => {
    expect(searchSessions(db, userId, "  ¿? ", 30)).toEqual([]);
    expect(() => searchSessions(db, userId, 'the" OR NEAR(', 30)).not.toThrow();
  });
});

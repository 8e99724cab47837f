/**
 * GET /api/sessions over real HTTP: pinned first, then newest first, paged with an opaque cursor that
 * neither skips nor repeats sessions — with equal timestamps, and while sessions change between pages.
 * A cursor that is not one of ours is a 400.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import type { SessionSummary } from "../../src/shared/session.ts";
import { useBackend } from "../support/backend.ts";
import { newSession } from "../support/session-steps.ts";

interface Page {
  sessions: SessionSummary[];
  nextCursor?: string;
}

const ids: string[] = [];

const app = useBackend();
beforeAll(async () => {
  for (let i = 0; i < 9; i++) ids.push(await newSession(app()));
  // Known order: ids[i] updated at 1000 + i, except three sharing one timestamp (ties broken by id).
  const db = app().running.backend.context.db;
  ids.forEach((id, i) => {
    db.query("UPDATE sessions SET updated_at = ? WHERE id = ?").run(i >= 3 && i <= 5 ? 5000 : 1000 + i, id);
  });
  for (const pinned of [ids[0], ids[7]])
    await app().api(`/api/sessions/${pinned}`, { method: "PATCH", json: { pinned: true } });
  db.query("UPDATE sessions SET updated_at = ? WHERE id IN (?, ?)").run(1, ids[0] ?? "", ids[7] ?? "");
});

async function page(limit: number, cursor?: string): Promise<{ status: number; body: Page }> {
  const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
  return app().api<Page>(`/api/sessions?${query}`);
}

async function all(limit: number, between?: (pageIndex: number) => void): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let index = 0; index < 50; index++) {
    const { status, body } = await page(limit, cursor);
    expect(status).toBe(200);
    seen.push(...body.sessions.map((s) => s.id));
    if (!body.nextCursor) return seen;
    expect(body.sessions).toHaveLength(limit);
    cursor = body.nextCursor;
    between?.(index);
  }
  throw new Error("paging never ended");
}

describe("listing sessions", () => {
  test("pinned first, then newest first; ties by id", async () => {
    const { body } = await page(50);
    const tied = [ids[3], ids[4], ids[5]].sort().reverse();
    expect(body.sessions.map((s) => s.id)).toEqual([
      // Pinned (both updated at 1): newer id first.
      ...[ids[0], ids[7]].sort().reverse(),
      ...tied,
      ids[8],
      ids[6],
      ids[2],
      ids[1],
    ] as string[]);
    expect(body.nextCursor).toBeUndefined();
  });

  test.each([1, 2, 3, 4])("pages of %i cover every session exactly once, in the same order", async (size) => {
    const whole = (await page(50)).body.sessions.map((s) => s.id);
    expect(await all(size)).toEqual(whole);
  });

  test("a session that changes between pages moves to the top without hiding any other", async () => {
    const db = app().running.backend.context.db;
    const whole = (await page(50)).body.sessions.map((s) => s.id);
    const moved = whole.at(-1) as string;
    const seen = await all(3, (index) => {
      if (index === 0) db.query("UPDATE sessions SET updated_at = ? WHERE id = ?").run(Date.now(), moved);
    });
    for (const id of whole.filter((id) => id !== moved)) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  test.each(["nonsense", "2:5:x", "1:abc:ses_1"])("the cursor %p is refused clearly", async (cursor) => {
    const response = await app().api<{ error?: { message: string } }>(
      `/api/sessions?cursor=${encodeURIComponent(cursor)}&limit=2`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error?.message).toContain("cursor");
  });
});

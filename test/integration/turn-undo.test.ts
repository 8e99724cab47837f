/**
 * Undo a turn's file changes, end to end: real turns through the fake model and the real file tools
 * (each write approved with an `approve` frame), then POST /api/sessions/:id/turns/:turnId/undo, and
 * the files compared with what they were before the turn.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TurnFileChanges, UndoReport } from "../../src/shared/tools-api.ts";
import { useBackend } from "../support/backend.ts";
import { ended, openSession, type Subscribed, submit, workspaceRoot } from "../support/session-steps.ts";

type ErrorBody = { error: { code: string; message: string } };
type ToolCall = { id: string; name: string; arguments: Record<string, unknown> };

let root: string;
const app = useBackend();
beforeAll(async () => {
  root = workspaceRoot(app());
  mkdirSync(root, { recursive: true });
});

function put(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function read(path: string): string | null {
  return existsSync(join(root, path)) ? readFileSync(join(root, path), "utf8") : null;
}

/** Run one turn whose single step makes `calls`, approving every write prompt once. */
async function turnWith(session: Subscribed, calls: ToolCall[]): Promise<string> {
  app().fake.enqueue({ toolCalls: calls }, { text: "Done." });
  const started = await submit(session, `Change files (${calls.map((call) => call.id).join(", ")})`);
  const answered = new Set(session.socket.ofType("approval.requested").map((event) => event.approvalId));
  for (let count = 0; count < calls.length; count++) {
    const request = await session.socket.waitFor(
      "approval.requested",
      (event) => !answered.has(event.approvalId),
    );
    answered.add(request.approvalId);
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: request.approvalId,
      decision: "once",
    });
  }
  const end = await ended(session, started.turnId);
  expect(end.status).toBe("completed");
  return started.turnId;
}

function undo(sessionId: string, turnId: string, force?: boolean) {
  return app().api<UndoReport & ErrorBody>(`/api/sessions/${sessionId}/turns/${turnId}/undo`, {
    json: force === undefined ? {} : { force },
  });
}

function fileChanges(sessionId: string) {
  return app().api<{ turns: TurnFileChanges[] } & ErrorBody>(`/api/sessions/${sessionId}/file-changes`);
}

describe("undo a turn", () => {
  test("files written, edited, created and deleted by the turn are put back; an event names them", async () => {
    put("u1/edit.txt", "line one\nline two\n");
    put("u1/over.txt", "original content\n");
    put("u1/gone.txt", "to be deleted\n");
    const session = await openSession(app());
    const turnId = await turnWith(session, [
      { id: "u1_new", name: "write_file", arguments: { path: "u1/new/created.txt", content: "brand new\n" } },
      { id: "u1_over", name: "write_file", arguments: { path: "u1/over.txt", content: "replaced\n" } },
      {
        id: "u1_edit",
        name: "edit_file",
        arguments: { path: "u1/edit.txt", old_string: "line two", new_string: "line 2, edited" },
      },
      {
        id: "u1_delete",
        name: "apply_patch",
        arguments: { patch: "--- a/u1/gone.txt\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-to be deleted\n" },
      },
    ]);
    // The turn really changed them.
    expect(read("u1/new/created.txt")).toBe("brand new\n");
    expect(read("u1/over.txt")).toBe("replaced\n");
    expect(read("u1/edit.txt")).toBe("line one\nline 2, edited\n");
    expect(read("u1/gone.txt")).toBeNull();

    // What Undo will do, before it is used.
    const offered = await fileChanges(session.sessionId);
    expect(offered.status).toBe(200);
    expect(offered.body.turns).toEqual([
      {
        turnId,
        undoneAt: null,
        files: [
          { path: "u1/edit.txt", created: false },
          { path: "u1/gone.txt", created: false },
          { path: "u1/new/created.txt", created: true },
          { path: "u1/over.txt", created: false },
        ],
      },
    ]);

    const { status, body } = await undo(session.sessionId, turnId);
    expect(status).toBe(200);
    expect(body.turnId).toBe(turnId);
    expect(body.undoneAt).toBeNumber();
    // Marked undone in the database: the chat no longer offers it, also after a reload.
    expect((await fileChanges(session.sessionId)).body.turns).toEqual([
      { ...offered.body.turns[0], undoneAt: body.undoneAt } as TurnFileChanges,
    ]);
    expect(body.restored.sort()).toEqual(["u1/edit.txt", "u1/gone.txt", "u1/over.txt"]);
    expect(body.deleted).toEqual(["u1/new/created.txt"]);
    expect(body.notRestorable).toEqual([]);
    expect(read("u1/new/created.txt")).toBeNull();
    expect(read("u1/over.txt")).toBe("original content\n");
    expect(read("u1/edit.txt")).toBe("line one\nline two\n");
    expect(read("u1/gone.txt")).toBe("to be deleted\n");

    const changed = await session.socket.waitFor("workspace.changed");
    expect(changed.agentId).toBe(app().running.backend.context.agents.defaultAgent().id);
    expect([...changed.paths].sort()).toEqual([
      "u1/edit.txt",
      "u1/gone.txt",
      "u1/new/created.txt",
      "u1/over.txt",
    ]);

    // Again: everything is already as before the turn.
    const again = await undo(session.sessionId, turnId);
    expect(again.body.unchanged.sort()).toEqual([
      "u1/edit.txt",
      "u1/gone.txt",
      "u1/new/created.txt",
      "u1/over.txt",
    ]);
    expect(again.body.restored).toEqual([]);
    session.socket.close();
  });

  test("a V4A patch (add, update, delete, move across files) is undone as a whole", async () => {
    put("v4a/keep.txt", "alpha\nbeta\ngamma\n");
    put("v4a/old.txt", "to be deleted\n");
    put("v4a/src/mod.py", "def f():\n    return 1\n");
    const session = await openSession(app());
    const turnId = await turnWith(session, [
      {
        id: "v4a_patch",
        name: "apply_patch",
        arguments: {
          patch: [
            "*** Begin Patch",
            "*** Add File: v4a/new/added.md",
            "+fresh",
            "*** Update File: v4a/keep.txt",
            "@@",
            " alpha",
            "-beta",
            "+BETA",
            " gamma",
            "*** Delete File: v4a/old.txt",
            "*** Update File: v4a/src/mod.py",
            "*** Move to: v4a/lib/mod.py",
            "@@ def f():",
            "-    return 1",
            "+    return 2",
            "*** End Patch",
          ].join("\n"),
        },
      },
    ]);
    expect(read("v4a/new/added.md")).toBe("fresh\n");
    expect(read("v4a/keep.txt")).toBe("alpha\nBETA\ngamma\n");
    expect(read("v4a/old.txt")).toBeNull();
    expect(read("v4a/src/mod.py")).toBeNull();
    expect(read("v4a/lib/mod.py")).toBe("def f():\n    return 2\n");

    const offered = await fileChanges(session.sessionId);
    expect(offered.body.turns.find((turn) => turn.turnId === turnId)?.files).toEqual([
      { path: "v4a/keep.txt", created: false },
      { path: "v4a/lib/mod.py", created: true },
      { path: "v4a/new/added.md", created: true },
      { path: "v4a/old.txt", created: false },
      { path: "v4a/src/mod.py", created: false },
    ]);
    const { status, body } = await undo(session.sessionId, turnId);
    expect(status).toBe(200);
    expect(body.restored.sort()).toEqual(["v4a/keep.txt", "v4a/old.txt", "v4a/src/mod.py"]);
    expect(body.deleted.sort()).toEqual(["v4a/lib/mod.py", "v4a/new/added.md"]);
    expect(body.notRestorable).toEqual([]);
    expect(read("v4a/keep.txt")).toBe("alpha\nbeta\ngamma\n");
    expect(read("v4a/old.txt")).toBe("to be deleted\n");
    expect(read("v4a/src/mod.py")).toBe("def f():\n    return 1\n");
    expect(read("v4a/lib/mod.py")).toBeNull();
    expect(read("v4a/new/added.md")).toBeNull();
  });

  test("refused when a newer turn changed the same file, unless forced; newest-first works", async () => {
    put("u2/shared.txt", "v0\n");
    const session = await openSession(app());
    const first = await turnWith(session, [
      { id: "u2_a", name: "write_file", arguments: { path: "u2/shared.txt", content: "v1\n" } },
    ]);
    const second = await turnWith(session, [
      { id: "u2_b", name: "write_file", arguments: { path: "u2/shared.txt", content: "v2\n" } },
    ]);
    const refused = await undo(session.sessionId, first);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("conflict");
    expect(refused.body.error.message).toContain("u2/shared.txt");
    expect(refused.body.error.message).toContain("force");
    expect(read("u2/shared.txt")).toBe("v2\n");

    // Undo the newer turn first, then the older one is no conflict any more.
    expect((await undo(session.sessionId, second)).body.restored).toEqual(["u2/shared.txt"]);
    expect(read("u2/shared.txt")).toBe("v1\n");
    const older = await undo(session.sessionId, first);
    expect(older.status).toBe(200);
    expect(older.body.restored).toEqual(["u2/shared.txt"]);
    expect(read("u2/shared.txt")).toBe("v0\n");

    // Force throws the newer change away.
    const third = await turnWith(session, [
      { id: "u2_c", name: "write_file", arguments: { path: "u2/shared.txt", content: "v3\n" } },
    ]);
    await turnWith(session, [
      { id: "u2_d", name: "write_file", arguments: { path: "u2/shared.txt", content: "v4\n" } },
    ]);
    expect((await undo(session.sessionId, third)).status).toBe(409);
    const forced = await undo(session.sessionId, third, true);
    expect(forced.status).toBe(200);
    expect(read("u2/shared.txt")).toBe("v0\n");
    session.socket.close();
  });

  // The text tools refuse files this large themselves, but the snapshot is taken before a tool runs, so
  // undo must still say it cannot put such a file back.
  test("a file too large to snapshot is reported as not restorable; the rest is restored", async () => {
    put("u3/huge.bin", new Uint8Array(21 * 1024 * 1024).fill(65));
    put("u3/small.txt", "small\n");
    const session = await openSession(app());
    const turnId = await turnWith(session, [
      { id: "u3_huge", name: "write_file", arguments: { path: "u3/huge.bin", content: "now tiny\n" } },
      { id: "u3_small", name: "write_file", arguments: { path: "u3/small.txt", content: "changed\n" } },
    ]);
    const { status, body } = await undo(session.sessionId, turnId);
    expect(status).toBe(200);
    expect(body.restored).toEqual(["u3/small.txt"]);
    expect(body.notRestorable).toHaveLength(1);
    expect(body.notRestorable[0]?.path).toBe("u3/huge.bin");
    expect(body.notRestorable[0]?.reason).toContain("too large");
    expect(readFileSync(join(root, "u3/huge.bin")).byteLength).toBe(21 * 1024 * 1024);
    expect(read("u3/small.txt")).toBe("small\n");
    session.socket.close();
  });

  test("a path that became a folder is not restorable; a turn without changes reports nothing", async () => {
    const session = await openSession(app());
    const turnId = await turnWith(session, [
      { id: "u4_new", name: "write_file", arguments: { path: "u4/thing", content: "file\n" } },
    ]);
    // Someone replaced the created file with a folder since.
    rmSync(join(root, "u4/thing"));
    mkdirSync(join(root, "u4/thing"));
    const report = await undo(session.sessionId, turnId);
    expect(report.body.notRestorable).toEqual([
      { path: "u4/thing", reason: expect.stringContaining("folder") },
    ]);

    app().fake.enqueue({ text: "Just talking." });
    const quiet = await submit(session, "Say something");
    await ended(session, quiet.turnId);
    const before = session.socket.ofType("workspace.changed").length;
    const empty = await undo(session.sessionId, quiet.turnId);
    expect(empty.body as UndoReport).toEqual({
      turnId: quiet.turnId,
      restored: [],
      deleted: [],
      unchanged: [],
      notRestorable: [],
    });
    await Bun.sleep(50);
    expect(session.socket.ofType("workspace.changed")).toHaveLength(before);
    // Only the turn that changed files is listed; the quiet one offers no Undo.
    expect((await fileChanges(session.sessionId)).body.turns.map((turn) => turn.turnId)).toEqual([turnId]);
    session.socket.close();
  });

  test("unknown session or turn, a turn of another session, and a running turn are refused", async () => {
    const one = await openSession(app());
    const other = await openSession(app());
    app().fake.enqueue({ text: "Hi." });
    const turn = await submit(one, "Hello");
    await ended(one, turn.turnId);

    expect((await undo("ses_missing", turn.turnId)).status).toBe(404);
    expect((await fileChanges("ses_missing")).status).toBe(404);
    expect((await fileChanges(one.sessionId)).body.turns).toEqual([]);
    const missingTurn = await undo(one.sessionId, "trn_missing");
    expect(missingTurn.status).toBe(404);
    expect(missingTurn.body.error.message).toContain("trn_missing");
    expect((await undo(other.sessionId, turn.turnId)).status).toBe(404);

    // While a turn waits for approval, the session is running.
    app().fake.enqueue(
      { toolCalls: [{ id: "u5_wait", name: "write_file", arguments: { path: "u5.txt", content: "x" } }] },
      { text: "ok" },
    );
    const waiting = await submit(one, "Write and wait");
    const request = await one.socket.waitFor("approval.requested", (event) => event.tool === "write_file");
    const busy = await undo(one.sessionId, turn.turnId);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toContain("running");
    one.socket.send({
      type: "approve",
      sessionId: one.sessionId,
      approvalId: request.approvalId,
      decision: "deny",
    });
    await ended(one, waiting.turnId);

    const badBody = await app().api<ErrorBody>(`/api/sessions/${one.sessionId}/turns/${turn.turnId}/undo`, {
      json: { force: "yes" },
    });
    expect(badBody.status).toBe(400);
    one.socket.close();
    other.socket.close();
  });
});

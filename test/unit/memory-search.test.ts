/**
 * Memory search over a real database: any word of the question may match and the best match comes
 * first; the asking chat, deleted chats, superseded attempts and tool output are not searched; one
 * agent's chats can be asked for alone; common words alone find nothing. And the workspace file scan:
 * the best line with its line numbers, ignored and hidden files left out.
 */
import type { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser } from "../../src/core/user.ts";
import { memoryQuery, memoryWords } from "../../src/memory/memory-words.ts";
import { SessionRepository } from "../../src/sessions/repository.ts";
import { SessionMemory } from "../../src/sessions/session-memory.ts";
import type { Part } from "../../src/shared/parts.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { searchWorkspaceFiles } from "../../src/tools/memory-files.ts";
import { createTestToolContext } from "./tool-context.ts";

let dir: string;
let db: Database;
let repo: SessionRepository;
let memory: SessionMemory;
let counter = 0;

function chat(
  id: string,
  agentId: string,
  title: string,
  lines: [role: "user" | "assistant", text: string][],
): string[] {
  repo.createSession(id, agentId, title);
  let parent: string | null = null;
  return lines.map(([role, text]) => {
    const messageId = `msg_${++counter}`;
    repo.insertMessage({
      id: messageId,
      sessionId: id,
      role,
      parentId: parent,
      turnId: null,
      kind: "normal",
      status: "completed",
      createdAt: Date.UTC(2026, 3, counter, 12),
    });
    repo.savePart(id, messageId, 0, { id: `prt_${counter}`, type: "text", text } as Part);
    parent = messageId;
    return messageId;
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sage-memory-"));
  db = openDatabase(join(dir, "sage.db")).db;
  const user = ensureLocalUser(db);
  repo = new SessionRepository(db, user.id);
  memory = new SessionMemory(db, user.id);
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

describe("chats", () => {
  test("any word may match; the message with more of them ranks first; hits are cited", () => {
    const [fact] = chat("ses_a", "agt_1", "Boat", [
      ["user", "The boat's mooring number is 77 at Kestrel Marina."],
    ]);
    chat("ses_b", "agt_1", "Birds", [["user", "I saw a kestrel today."]]);
    const hits = memory.search("which mooring at kestrel marina?", { limit: 5 });
    expect(hits.map((hit) => hit.sessionId)).toEqual(["ses_a", "ses_b"]);
    expect(hits[0]).toMatchObject({ title: "Boat", messageId: fact, role: "user", agentId: "agt_1" });
    expect(hits[0]?.at).toBe(Date.UTC(2026, 3, counter - 1, 12));
    expect(hits[0]?.snippet).toContain("«mooring»");
  });

  test("the asking chat, deleted chats, superseded attempts and tool output are not searched", () => {
    chat("ses_ask", "agt_1", "Now", [["user", "What was the locker combination?"]]);
    chat("ses_gone", "agt_1", "Old", [["user", "The locker combination is 1234."]]);
    repo.softDelete("ses_gone");
    const [, retried] = chat("ses_retry", "agt_1", "Retry", [
      ["user", "Hello"],
      ["assistant", "The locker combination is 9999 (a failed attempt)."],
    ]);
    db.run("UPDATE messages SET superseded_by = 'msg_other' WHERE id = ?", [retried as string]);
    chat("ses_tool", "agt_1", "Tool", []);
    db.run(
      "INSERT INTO messages (id, session_id, user_id, parent_id, depth, role, kind, status, created_at, updated_at) VALUES ('msg_t', 'ses_tool', (SELECT id FROM users LIMIT 1), NULL, 0, 'assistant', 'normal', 'completed', 1, 1)",
    );
    repo.savePart("ses_tool", "msg_t", 0, {
      id: "prt_t",
      type: "tool",
      tool: "shell",
      callId: "c",
      status: "completed",
      input: { command: "cat locker.txt" },
      output: { text: "locker combination 5555" },
    } as unknown as Part);
    expect(memory.search("locker combination", { limit: 10, excludeSessionId: "ses_ask" })).toEqual([]);
    expect(memory.search("locker combination", { limit: 10 }).map((hit) => hit.sessionId)).toEqual([
      "ses_ask",
    ]);
  });

  test("one agent's chats alone; common words find nothing", () => {
    chat("ses_1", "agt_1", "A", [["user", "Project codename is Bluebell."]]);
    chat("ses_2", "agt_2", "B", [["user", "Bluebell launches in May."]]);
    expect(memory.search("bluebell", { limit: 10, agentId: "agt_2" }).map((hit) => hit.sessionId)).toEqual([
      "ses_2",
    ]);
    expect(memory.search("bluebell", { limit: 10 })).toHaveLength(2);
    expect(memory.search("what is the", { limit: 10 })).toEqual([]);
    expect(memoryWords("What IS the Wi-Fi password?")).toEqual(["wi-fi", "password"]);
    expect(memoryQuery('say "hi" x')).toBe('"say"* OR "hi"*');
  });
});

describe("workspace files", () => {
  test("the line sharing the most words, with line numbers; ignored files left out", async () => {
    const tool = createTestToolContext();
    try {
      tool.write("notes/trip.md", "# Trip\nbring boots\nthe ferry leaves pier 4 at 7:15\nsnacks\n");
      tool.write("notes/other.md", "the ferry is nice\n");
      tool.write(".gitignore", "secret/\n");
      tool.write("secret/ferry.md", "ferry pier ferry pier\n");
      tool.write("image.bin", new Uint8Array([0, 1, 2, 3, 0, 0, 102, 101, 114, 114, 121]));
      const hits = await searchWorkspaceFiles(tool.ctx.workspace, "when does the ferry leave the pier", {
        limit: 5,
        signal: new AbortController().signal,
      });
      expect(hits.map((hit) => hit.path)).toEqual(["notes/trip.md", "notes/other.md"]);
      expect(hits[0]).toMatchObject({ startLine: 2, endLine: 4, score: 3 });
      expect(hits[0]?.excerpt).toBe("2: bring boots\n3: the ferry leaves pier 4 at 7:15\n4: snacks");
    } finally {
      tool.cleanup();
    }
  });
});

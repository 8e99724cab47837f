/**
 * The export's bounds on sub-agents' chats (src/sessions/export-format.ts): at most
 * EXPORT_CHILDREN_LIMIT chats in the whole tree (the rest counted in `childrenOmitted`, with their own
 * children), at most EXPORT_CHILD_MESSAGES_LIMIT messages per chat (the first ones; the rest counted).
 * Markdown says what it left out. Fake session data, no database.
 */
import { expect, test } from "bun:test";
import { exportJson, exportMarkdown } from "../../src/sessions/export.ts";
import { EXPORT_CHILD_MESSAGES_LIMIT, EXPORT_CHILDREN_LIMIT } from "../../src/sessions/export-format.ts";
import type { SessionRecord } from "../../src/sessions/session-rows.ts";
import type { Message } from "../../src/shared/parts.ts";
import type { SessionSummary } from "../../src/shared/session.ts";

const message = (sessionId: string, i: number): Message => ({
  info: {
    id: `${sessionId}-m${i}`,
    sessionId,
    role: i % 2 ? "assistant" : "user",
    parentId: null,
    turnId: null,
    kind: "normal",
    status: "completed",
    createdAt: i,
  },
  parts: [{ id: `${sessionId}-p${i}`, type: "text", text: `${sessionId} says ${i}` }],
});

function record(id: string, parent: string, depth: number): SessionRecord {
  return {
    id,
    agentId: "agt",
    title: `Task ${id}`,
    pinned: false,
    status: "idle",
    createdAt: 0,
    updatedAt: 0,
    lastSeq: 0,
    messageCount: 0,
    headId: null,
    titleSet: true,
    todos: "[]",
    delegation: {
      parentSessionId: parent,
      parentPartId: `${parent}-p1`,
      depth,
      workspaceAgentId: "agt",
      subagent: { name: `Helper ${id}`, instructions: "x" },
    },
  };
}

// The root has LIMIT + 5 children; the first has one grandchild and too many messages.
const children = Array.from({ length: EXPORT_CHILDREN_LIMIT + 5 }, (_, i) => record(`c${i}`, "root", 1));
const grandchild = record("g0", "c0", 2);
const activePath = (id: string) =>
  Array.from({ length: id === "c0" ? EXPORT_CHILD_MESSAGES_LIMIT + 7 : 2 }, (_, i) => message(id, i));
const deps = {
  sessions: {
    get: (id: string) => ({ id, agentId: "agt", title: "Root", createdAt: 0 }) as SessionSummary,
    messages: (id: string) => ({ messages: activePath(id), lastSeq: 0, hasMore: false }),
  },
  agents: { find: () => undefined },
  repo: {
    childSessions: (id: string) => (id === "root" ? children : id === "c0" ? [grandchild] : []),
    activePath,
  },
};

test("JSON: at most the limit of chats in the tree and of messages per chat; the rest is counted", () => {
  const data = exportJson(deps, "root");
  const first = data.children?.[0];
  expect(first?.messages).toHaveLength(EXPORT_CHILD_MESSAGES_LIMIT);
  expect(first?.messages[0]?.parts[0]).toMatchObject({ text: "c0 says 0" });
  expect(first?.messagesOmitted).toBe(7);
  expect(first?.children?.map((c) => c.sessionId)).toEqual(["g0"]);
  // c0 and g0 take two places: LIMIT - 1 direct children fit, 6 are left out.
  expect(data.children).toHaveLength(EXPORT_CHILDREN_LIMIT - 1);
  expect(data.childrenOmitted).toBe(6);
  expect(data.children?.[1]?.messagesOmitted).toBeUndefined();
});

test("Markdown says what it left out", () => {
  const md = exportMarkdown(deps, "root");
  expect(md).toContain("_7 later messages of this chat are not included._");
  expect(md).toContain(`_6 more sub-agents' chats are not included (over ${EXPORT_CHILDREN_LIMIT})._`);
  expect(md).toContain("# Sub-agent chat: Task g0");
  expect(md).not.toContain(`# Sub-agent chat: Task c${EXPORT_CHILDREN_LIMIT}`);
});

/**
 * Memory through the real backend and the fake model: a fact from an old chat is found by
 * search_memory in a new chat and cited (chat title and id, message, who, date); a workspace file is
 * found with its line numbers; the asking chat is not searched; an agent with memory search off is not
 * offered the tool; the agent's memory notes are in its system prompt.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  conversationText,
  modelRequests,
  openSession,
  runTurn,
  toolResults,
  workspaceRoot,
} from "../support/session-steps.ts";

const backend = useBackend();

function offeredTools(index: number, from: number): string[] {
  const request = modelRequests(backend(), from)[index];
  return (request?.body?.tools ?? []).map((tool) => (tool.function as { name: string }).name);
}

describe("search_memory", () => {
  test("a fact from an old chat is found and cited; a workspace file is found with its lines", async () => {
    const old = await openSession(backend());
    await backend().api(`/api/sessions/${old.sessionId}`, { method: "PATCH", json: { title: "Cabin trip" } });
    backend().fake.enqueue({ text: "Noted, I will remember it." });
    await runTurn(old, "For later: the cabin wifi password is BLUEHERON42.");
    // An unrelated chat that shares no words with the question.
    const other = await openSession(backend());
    backend().fake.enqueue({ text: "Sure." });
    await runTurn(other, "Tell me a joke about penguins.");

    mkdirSync(join(workspaceRoot(backend()), "notes"), { recursive: true });
    writeFileSync(
      join(workspaceRoot(backend()), "notes", "packing.md"),
      "# Packing\n- boots\n- the heron binoculars (ask Maria)\n- rain jacket\n",
    );

    const asking = await openSession(backend());
    const from = backend().fake.requests.length;
    backend().fake.enqueue(
      { toolCalls: [{ id: "call_mem", name: "search_memory", arguments: { query: "cabin wifi password" } }] },
      {
        toolCalls: [
          {
            id: "call_mem_files",
            name: "search_memory",
            arguments: { query: "heron binoculars", where: "files" },
          },
        ],
      },
      { text: "The password is BLUEHERON42 (from your chat “Cabin trip”)." },
    );
    const endedTurn = await runTurn(asking, "What is the cabin wifi password?");
    expect(endedTurn.status).toBe("completed");
    expect(offeredTools(0, from)).toContain("search_memory");

    const [chatResult] = toolResults(modelRequests(backend(), from)[1]);
    expect(chatResult?.id).toBe("call_mem");
    const text = chatResult?.content ?? "";
    expect(text).toContain("BLUEHERON42");
    expect(text).toContain(`chat "Cabin trip" ${old.sessionId}`);
    expect(text).toMatch(/message msg_\S+, user, \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(text).not.toContain(asking.sessionId);
    expect(text).not.toContain(other.sessionId);
    expect(text).toContain("Workspace files: nothing found.");

    const fileResult = toolResults(modelRequests(backend(), from)[2]).find(
      (result) => result.id === "call_mem_files",
    );
    expect(fileResult?.content).toContain("[1] notes/packing.md:2-4");
    expect(fileResult?.content).toContain("3: - the heron binoculars (ask Maria)");
    expect(fileResult?.content).not.toContain("Past chats");
  });

  test("a query of only common words is refused with a clear tool error", async () => {
    const session = await openSession(backend());
    const from = backend().fake.requests.length;
    backend().fake.enqueue(
      { toolCalls: [{ id: "call_mem_empty", name: "search_memory", arguments: { query: "what is the" } }] },
      { text: "Nothing to search." },
    );
    await runTurn(session, "Search nothing");
    const [result] = toolResults(modelRequests(backend(), from)[1]);
    expect(result?.content).toContain("The query has no words to look for");
  });

  test("memory search off: the tool is not offered; the agent's notes are in its system prompt", async () => {
    configureAgent(backend(), {
      memory: { search: false, notes: "Remember that the user's dog is called Pixel." },
    });
    try {
      const session = await openSession(backend());
      const from = backend().fake.requests.length;
      backend().fake.enqueue({ text: "Hello." });
      await runTurn(session, "Hi");
      expect(offeredTools(0, from)).not.toContain("search_memory");
      expect(offeredTools(0, from)).toContain("read_file");
      expect(conversationText(modelRequests(backend(), from)[0])).toContain("the user's dog is called Pixel");
    } finally {
      configureAgent(backend(), { memory: undefined });
    }
  });
});

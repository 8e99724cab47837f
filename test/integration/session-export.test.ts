/**
 * GET /api/sessions/:id/export over real HTTP after a real turn (fake model with reasoning): the file
 * name in Content-Disposition (ASCII fallback and exact UTF-8 name, cut at a word, no doubled dots,
 * Chinese kept) and the Markdown's labelled reasoning block.
 */
import { describe, expect, test } from "bun:test";
import type { SessionSummary } from "../../src/shared/session.ts";
import { useBackend } from "../support/backend.ts";
import { runTurn } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

const app = useBackend();

async function sessionTitled(title: string): Promise<string> {
  const { body } = await app().api<SessionSummary>("/api/sessions", { json: { title } });
  return body.id;
}

async function exported(sessionId: string, format: "md" | "json") {
  const response = await fetch(`${app().url}/api/sessions/${sessionId}/export?format=${format}`, {
    headers: { authorization: `Bearer ${app().token}` },
  });
  expect(response.status).toBe(200);
  const disposition = response.headers.get("content-disposition") ?? "";
  const exact = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
  return {
    disposition,
    fileName: exact ? decodeURIComponent(exact) : undefined,
    ascii: /filename="([^"]*)"/.exec(disposition)?.[1],
    body: await response.text(),
  };
}

describe("export file names", () => {
  test("a title ending in a dot gives one dot before the extension", async () => {
    const id = await sessionTitled("Fix the flaky build.");
    expect((await exported(id, "json")).fileName).toBe("Fix the flaky build.json");
    expect((await exported(id, "md")).fileName).toBe("Fix the flaky build.md");
  });

  test("a long title is cut at a word boundary", async () => {
    const id = await sessionTitled(
      "Refactor the authentication middleware so that expired sessions are refreshed transparently",
    );
    const { fileName, ascii } = await exported(id, "json");
    expect(fileName).toBe("Refactor the authentication middleware so that expired.json");
    expect(ascii).toBe(fileName);
  });

  test("a Chinese title is kept in the UTF-8 name; the ASCII fallback stays a valid header value", async () => {
    const id = await sessionTitled("整理本周会议纪要");
    const { fileName, ascii, disposition } = await exported(id, "md");
    expect(fileName).toBe("整理本周会议纪要.md");
    expect(ascii).toBe("________.md");
    expect(disposition).toMatch(/^attachment; /);
  });
});

test("exported reasoning is a labelled, collapsible block; the answer follows it", async () => {
  const sessionId = await sessionTitled("Reasoning export");
  const socket = await TestSocket.connect(app());
  socket.send({ type: "subscribe", sessionId, afterSeq: 0 });
  await socket.waitFor("subscribed", (e) => e.sessionId === sessionId);
  app().fake.enqueue({ reasoning: "First I weigh the options.\nThen I pick one.", text: "Pick the second." });
  await runTurn({ sessionId, socket }, "Which option?");
  socket.close();

  const { body } = await exported(sessionId, "md");
  expect(body).toContain(
    [
      "<details>",
      "<summary>Reasoning</summary>",
      "",
      "First I weigh the options.",
      "Then I pick one.",
      "",
      "</details>",
    ].join("\n"),
  );
  expect(body.indexOf("</details>")).toBeLessThan(body.indexOf("Pick the second."));
  expect(body).not.toContain("> First I weigh");
});

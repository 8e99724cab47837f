/**
 * Long agentic work in the window: a marker inside a turn where old tool outputs were pruned (with the
 * tokens before and after), the question a loop of failing calls asks (with the call shown; "Stop here"
 * ends the turn), "continue in a new chat" (a new chat that starts from a summary and links back), and
 * the one-click ways out when a chat no longer fits its model.
 */
import type { APIRequestContext } from "@playwright/test";
import { API_KEY, type ChatDriver, expect, numberedWords, TITLE, test } from "./chat-fixtures.ts";
import type { SageApp } from "./fixtures.ts";

/** 140 lines of 100 characters: some 3,700 tokens each time the agent reads it. */
const BIG_FILE = `${"x".repeat(100)}\n`.repeat(140);

/** A provider on the same fake whose model has a 20,000-token window; the chat is switched to it. */
async function useSmallWindow(chat: ChatDriver, modelUrl: string, sessionId: string): Promise<void> {
  const provider = await chat.api<{ id: string }>("/api/providers", {
    json: {
      name: "Small",
      kind: "openai-compatible",
      baseUrl: modelUrl,
      apiKey: API_KEY,
      models: [{ id: "fake-small", contextWindow: 20_000, tools: true }],
      defaultModel: "fake-small",
      isDefault: false,
    },
  });
  await chat.api(`/api/sessions/${sessionId}`, {
    method: "PATCH",
    json: { model: { providerId: provider.id, model: "fake-small" } },
  });
}

/** Put a file into the chat's workspace (as an attachment upload does); returns its path. */
async function upload(request: APIRequestContext, sage: SageApp, sessionId: string): Promise<string> {
  const response = await request.post(`${sage.baseURL}/api/sessions/${sessionId}/attachments`, {
    headers: { authorization: `Bearer ${sage.token}` },
    multipart: { files: { name: "big.txt", mimeType: "text/plain", buffer: Buffer.from(BIG_FILE) } },
  });
  expect(response.ok(), await response.text()).toBe(true);
  const { attachments } = (await response.json()) as { attachments: { path: string }[] };
  return attachments[0]?.path ?? "";
}

test("old tool outputs pruned inside a turn show as a marker between its steps, with tokens before and after", async ({
  chat,
  model,
  page,
  request,
  sage,
}) => {
  const sessionId = await chat.newChat();
  await useSmallWindow(chat, model.url, sessionId);
  const path = await upload(request, sage, sessionId);
  const read = { toolCalls: [{ name: "read_file", arguments: { path } }] };
  await model.enqueue(read, read, { text: "Read it twice." });
  await chat.send("Read the file twice");
  await expect(chat.lastAssistant()).toContainText("Read it twice.", { timeout: 20_000 });
  await chat.idle();

  // One marker (two or more in a turn would be one grouped row: see the next test).
  const marker = page.locator('[data-testid="compaction-part"][data-mode="prune"]');
  await expect(marker).toBeVisible();
  await expect(marker).toContainText("Older tool outputs pruned from the model's context (1)");
  await expect(marker.getByTestId("compaction-tokens")).toContainText(/[\d,]+ → [\d,]+ tokens/);
  // Inside the turn: tool steps of the same turn before and after it, and the agent's name only once.
  const rows = page.locator('[data-testid="message"]');
  const kinds = await rows.evaluateAll((elements) =>
    elements.map((e) =>
      e.querySelector('[data-testid="compaction-part"]') ? "marker" : e.getAttribute("data-role"),
    ),
  );
  const at = kinds.indexOf("marker");
  expect(kinds.slice(0, at)).toEqual(["user", "assistant", "assistant"]);
  expect(kinds.slice(at + 1).every((kind) => kind === "assistant" || kind === "marker")).toBe(true);
  await expect(chat.toolCard("read_file")).toHaveCount(2);
  // Collapsed by default; it opens to say what happened to the outputs.
  await marker.getByRole("button").click();
  await expect(marker.getByRole("button")).toHaveAttribute("aria-expanded", "true");
  await expect(marker).toContainText(".sage/tool-output");
  // The last request sent the first read as a stub naming its saved copy.
  const last = (await model.requests()).at(-1);
  expect(JSON.stringify(last?.body?.messages)).toContain("Output pruned from the context");
});

test("a long turn's many context markers are one row that opens to each of them, live and after a reload", async ({
  chat,
  model,
  page,
  request,
  sage,
}) => {
  const sessionId = await chat.newChat();
  await useSmallWindow(chat, model.url, sessionId);
  const path = await upload(request, sage, sessionId);
  const read = { toolCalls: [{ name: "read_file", arguments: { path } }] };
  // The answer streams slowly, so the chat can be looked at while the turn still runs.
  const answer = { text: [...numberedWords("w", 30), "Read it twelve times."], paced: { intervalMs: 150 } };
  await model.enqueue(...Array.from({ length: 12 }, () => read), answer);
  await chat.send("Read the file twelve times");
  await expect(chat.lastAssistant()).toContainText("w0", { timeout: 30_000 });
  // Live, the turn still running: one row for the markers, none on its own.
  await expect(page.getByTestId("stop")).toBeVisible();
  await expect(page.getByTestId("compaction-group")).toHaveCount(1);
  await expect(page.getByTestId("compaction-part")).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("Read it twelve times.", { timeout: 30_000 });
  await chat.idle();
  // What the transcript holds: one marker per prune or summary, between the turn's steps.
  const stored = await chat.api<{ messages: { info: { kind: string } }[] }>(
    `/api/sessions/${sessionId}/messages?limit=200`,
  );
  const markers = stored.messages.filter((m) => m.info.kind === "summary").length;
  expect(markers).toBeGreaterThan(3);

  const check = async () => {
    const group = page.getByTestId("compaction-group");
    await expect(group).toHaveCount(1);
    await expect(group).toHaveAttribute("data-count", String(markers));
    const toggle = group.getByTestId("compaction-group-toggle");
    await expect(toggle).toContainText(`Context compacted ${markers} times`);
    await expect(toggle.getByTestId("compaction-group-tokens")).toContainText(/[\d,]+ → [\d,]+ tokens/);
    // Collapsed: no marker row of its own anywhere in the chat.
    await expect(page.getByTestId("compaction-part")).toHaveCount(0);
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    // The keyboard opens it to the individual markers, each one still expandable.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(group.getByTestId("compaction-part")).toHaveCount(markers);
    await expect(group.locator('[data-testid="compaction-part"][data-mode="prune"]').first()).toContainText(
      "Older tool outputs pruned",
    );
    await page.keyboard.press("Space");
    await expect(group.getByTestId("compaction-part")).toHaveCount(0);
  };
  await page.getByTestId("compaction-group").scrollIntoViewIfNeeded();
  await check();
  await page.reload();
  await expect(chat.lastAssistant()).toContainText("Read it twelve times.");
  await page.getByTestId("compaction-group").scrollIntoViewIfNeeded();
  await check();
  await expect(chat.toolCard("read_file")).toHaveCount(12);
});

test("a call that keeps failing asks whether to go on, showing the call; 'Stop here' ends the turn", async ({
  chat,
  model,
  page,
}) => {
  const failing = { toolCalls: [{ name: "read_file", arguments: { path: "missing/notes.txt" } }] };
  await model.enqueue(failing, failing, failing, { text: "This answer must never be asked for." });
  await chat.newChat();
  await chat.send("Read my notes");
  const card = page.getByTestId("question-card");
  await expect(card).toHaveAttribute("data-purpose", "loop");
  await expect(card).toContainText("The agent seems to be stuck");
  await expect(card).toContainText("read_file failed 3 times in a row with the same arguments.");
  await expect(card.getByTestId("repeated-call")).toContainText('read_file {"path":"missing/notes.txt"}');
  await expect(card.getByTestId("repeated-call")).toContainText("missing/notes.txt");
  // It is live state: a reload shows it again.
  await page.reload();
  await expect(card).toHaveAttribute("data-purpose", "loop");
  await card.getByRole("radio", { name: "Stop here" }).check();
  await card.getByTestId("question-submit").click();
  await expect(card).toHaveCount(0);
  await chat.idle();
  expect(await model.requests()).toHaveLength(3);
  await expect(chat.toolCard("read_file")).toHaveCount(3);
});

test("continue in a new chat: a new chat starts from a summary that links back to this one", async ({
  chat,
  model,
  page,
}) => {
  const oldId = await chat.newChat();
  await model.enqueue({ text: "Alpha is done." });
  await chat.exchange("Do step alpha", "Alpha is done.");
  await model.enqueue({ text: "Beta is done." });
  await chat.exchange("Do step beta", "Beta is done.");

  await page.getByTestId("continue-new-chat").click();
  await expect(page).not.toHaveURL(new RegExp(`/s/${oldId}`));
  const newId = await chat.sessionId();
  const seed = page.getByTestId("compaction-part");
  await expect(seed).toContainText("Continued from an earlier chat (summary of 4 messages)");
  await expect(page.getByTestId("chat-title")).toHaveText(`${TITLE} (continued)`);
  // The summary (written by the fake as a background request) opens; the old messages are not here.
  await seed.getByRole("button").click();
  await expect(seed).toContainText(TITLE);
  await expect(seed).toContainText("Do step beta");
  await expect(chat.messages("user")).toHaveCount(0);

  // The model sees the summary, not the old chat.
  const before = (await model.requests()).length;
  await model.enqueue({ text: "Gamma is next." });
  await chat.exchange("What is next?", "Gamma is next.");
  const sent = JSON.stringify((await model.requests())[before]?.body?.messages);
  expect(sent).toContain("Summary of the earlier part of this conversation");
  expect(sent).not.toContain("Alpha is done.");

  // The link goes back to the old chat, which is unchanged.
  await seed.getByTestId("continued-from").click();
  await expect(page).toHaveURL(new RegExp(`/s/${oldId}`));
  await expect(chat.messages("user")).toHaveCount(2);
  expect(newId).not.toBe(oldId);
});

test("a chat too long for its model even after compacting offers a bigger model or a new chat, one click each", async ({
  chat,
  model,
  page,
}) => {
  await chat.newChat();
  await model.enqueue({ contextLengthExceeded: true });
  await chat.send("An enormous request");
  const error = page.getByTestId("error-part");
  await expect(error).toContainText("longer than the model's context window");
  await chat.idle();
  await expect(error.getByTestId("retry-button")).toHaveCount(0);
  await expect(error.getByTestId("context-new-chat")).toBeVisible();
  const bigger = error.getByTestId("context-bigger-model");
  await expect(bigger).toContainText("Use fake-model-large (200,000 tokens) and retry");

  await model.enqueue({ text: "The large model managed it." });
  await bigger.click();
  await expect(chat.lastAssistant()).toContainText("The large model managed it.", { timeout: 20_000 });
  await expect(page.getByTestId("model-picker")).toHaveValue(/fake-model-large$/);
  expect((await model.requests()).at(-1)?.body?.model).toBe("fake-model-large");
});

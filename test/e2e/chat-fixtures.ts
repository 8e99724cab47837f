import type { APIRequestContext, Locator, Page } from "@playwright/test";
import type { FakeReply } from "../fixtures/fake-model/index.ts";
import { addFakeProvider, spawnFakeModel } from "./fake-model-process.ts";
import { test as base, expect, type SageApp } from "./fixtures.ts";

export const API_KEY = "e2e-chat-key-7731";
/** What the fake answers every title request with. */
export const TITLE = "Fake chat title";

/** One agent request the fake received (OpenAI chat-completions body). */
export interface RecordedRequest {
  path: string;
  body?: { model?: string; messages?: { role: string; content: unknown }[]; tools?: unknown[] };
}

export interface ChatModel {
  url: string;
  control: string;
  enqueue(...replies: FakeReply[]): Promise<void>;
  /** The agent's model requests since the last reset, oldest first. */
  requests(): Promise<RecordedRequest[]>;
  reset(): Promise<void>;
  stop(): void;
}

async function startChatModel(): Promise<ChatModel> {
  const urls = await spawnFakeModel(["--api-key", API_KEY, "--title", TITLE]);
  const child = urls.process;
  const control = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${urls.control}${path}`, {
      method: body === undefined && path !== "/__reset" ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: unknown = await response.json();
    if (!response.ok) throw new Error(`fake model ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  return {
    ...urls,
    async enqueue(...replies) {
      await control("/__enqueue", replies);
    },
    async requests() {
      return (await control("/__requests")) as RecordedRequest[];
    },
    async reset() {
      await control("/__reset");
    },
    stop() {
      child.kill("SIGTERM");
    },
  };
}

/** The page and the app, with the moves a user makes in a chat. */
export class ChatDriver {
  constructor(
    readonly page: Page,
    readonly sage: SageApp,
    private readonly request: APIRequestContext,
  ) {}

  /** A new chat from the sidebar; resolves with its session id. */
  async newChat(): Promise<string> {
    const before = this.page.url();
    await this.page.getByTestId("new-chat").click();
    await expect(this.page).not.toHaveURL(before);
    return this.sessionId();
  }

  /** The open session's id, from the URL. */
  async sessionId(): Promise<string> {
    await expect(this.page).toHaveURL(/\/s\/[^/?]+/);
    return /\/s\/([^/?]+)/.exec(this.page.url())?.[1] as string;
  }

  async send(text: string): Promise<void> {
    await this.page.getByTestId("composer-input").fill(text);
    await this.page.getByTestId("send").click();
  }

  /** Send, then wait until the turn is over and its answer contains `expected` (make it unique). */
  async exchange(text: string, expected: string): Promise<void> {
    await this.send(text);
    await expect(this.lastAssistant()).toContainText(expected, { timeout: 20_000 });
    await this.idle();
  }

  messages(role?: "user" | "assistant"): Locator {
    return this.page.locator(
      role ? `[data-testid="message"][data-role="${role}"]` : '[data-testid="message"]',
    );
  }

  lastAssistant(): Locator {
    return this.messages("assistant").last();
  }

  toolCard(tool: string): Locator {
    return this.page.locator(`[data-testid="tool-card"][data-tool="${tool}"]`);
  }

  /** No turn running: the Stop button is gone. */
  async idle(): Promise<void> {
    await expect(this.page.getByTestId("stop")).toHaveCount(0, { timeout: 20_000 });
  }

  /** An authenticated call to the app's API; resolves with the parsed JSON (asserting a 2xx). */
  async api<T>(path: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
    const response = await this.request.fetch(`${this.sage.baseURL}${path}`, {
      method: init.method ?? (init.json === undefined ? "GET" : "POST"),
      headers: { authorization: `Bearer ${this.sage.token}` },
      data: init.json,
    });
    expect(response.ok(), `${path}: ${response.status()} ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  }
}

export const test = base.extend<{ chat: ChatDriver }, { model: ChatModel }>({
  model: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const model = await startChatModel();
      await use(model);
      model.stop();
    },
    { scope: "worker" },
  ],
  chat: async ({ page, request, sage, model }, use) => {
    await model.reset();
    await addFakeProvider(request, sage, model.url, API_KEY, [
      { id: "fake-model", contextWindow: 128_000, tools: true, vision: true },
      { id: "fake-model-large", contextWindow: 200_000, tools: true },
    ]);
    // The UI must work under its own Content-Security-Policy: any violation fails the test. Except
    // inline event handlers in content: Chromium reports those when DOMPurify parses hostile HTML in its
    // inert document (nothing runs; chat-rendering.spec.ts checks that), and our own code has none.
    const violations: string[] = [];
    page.on("console", (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text) && !/inline event handler/i.test(text)) violations.push(text);
    });
    await page.goto(sage.launchUrl);
    await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
    await use(new ChatDriver(page, sage, request));
    expect(violations, "Content-Security-Policy violations").toEqual([]);
  },
});

export { expect };

/** `count` distinct words ("w0 ", "w1 ", …) for replies whose progress a test can read. */
export function numberedWords(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index} `);
}

/** The element's text (textContent: layout-independent), "" when it has none. */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? "";
}

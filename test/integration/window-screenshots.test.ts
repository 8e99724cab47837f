/**
 * The real window showing a session with tool cards, in the light and the dark theme: the compiled
 * executable under a private Xvfb display, screenshots saved to test-results/window/ for people to look
 * at (chat-light.png, chat-dark.png) and checked by their colours.
 *
 * The session is made first with the same executable in serve mode (no window): a provider pointing at
 * the fake model, a title, and one turn driven over the WebSocket — a shell command, a file written and
 * then edited, each approved over the socket — then the window opens on it (SAGE_TEST_HOOKS=1 with
 * SAGE_START_PATH=/s/<id>). The theme is the server's setting, so the dark picture is a relaunch after
 * PATCH /api/settings.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerEvent } from "../../src/shared/events.ts";
import { type FakeModel, startFakeModel } from "../fixtures/fake-model/index.ts";
import { type AppProcess, spawnApp, waitUntil } from "../support/app-process.ts";
import { ensureExecutable, REPO_ROOT } from "../support/build-artifacts.ts";
import {
  captureScreen,
  countPixels,
  type Region,
  type Rgb,
  type RgbImage,
  savePng,
  themeColor,
} from "../support/screenshot.ts";
import { TestSocket } from "../support/test-socket.ts";
import { hasXvfb, startXvfb, type VirtualDisplay } from "../support/xvfb.ts";

const SCREENSHOTS = join(REPO_ROOT, "test-results", "window");
const API_KEY = "window-shot-key-0001";
/**
 * The window's size, remembered in <data-dir>/config/window.json before it opens: the whole display, so
 * the whole turn fits (a bare X display has no window manager: the window opens at the top left).
 */
const WINDOW: Region = { x: 0, y: 0, width: 1280, height: 1000 };
/** The transcript column, right of the sidebar. */
const TRANSCRIPT: Region = { x: 300, y: 60, width: 960, height: 800 };
/** Where the sidebar's connection status sits (bottom left). */
const STATUS: Region = { x: 0, y: WINDOW.height - 60, width: 200, height: 60 };

/** Theme colours, read from ui/src/styles/theme.css. */
const THEMES = Object.fromEntries(
  (["light", "dark"] as const).map((theme) => [
    theme,
    {
      bg: themeColor("bg", theme),
      panel: themeColor("panel", theme),
      ok: themeColor("ok", theme),
      fg: themeColor("fg", theme),
    },
  ]),
) as Record<"light" | "dark", { bg: Rgb; panel: Rgb; ok: Rgb; fg: Rgb }>;
type ThemeName = keyof typeof THEMES;

let executable: string;
let screen: VirtualDisplay;
let fake: FakeModel;
let dataDir: string;
let sessionId: string;
const launched: AppProcess[] = [];

beforeAll(async () => {
  if (!hasXvfb()) {
    throw new Error("The window tests need Xvfb, xdotool and xwd: sudo apt install xvfb xdotool x11-apps");
  }
  executable = await ensureExecutable();
  screen = await startXvfb({ width: WINDOW.width, height: WINDOW.height });
  fake = await startFakeModel({ apiKey: API_KEY });
  dataDir = mkdtempSync(join(tmpdir(), "sage-window-shots-"));
  sessionId = await seedSession();
}, 180_000);

afterAll(async () => {
  for (const app of launched.splice(0)) await app.stop();
  await screen?.stop();
  await fake?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

function jsonInit(method: string, body: unknown): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** Serve mode on the data dir: provider, light theme, a titled session and one turn with tool cards. */
async function seedSession(): Promise<string> {
  const app = spawnApp({
    executable,
    dataDir,
    args: ["--serve", "--no-open"],
    env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
  });
  launched.push(app);
  const lock = await app.waitForLock(30_000);
  await json(
    await app.api(
      "/api/providers",
      jsonInit("POST", {
        name: "Fake",
        kind: "openai-compatible",
        baseUrl: fake.url,
        apiKey: API_KEY,
        models: [{ id: "fake-model", contextWindow: 128_000, tools: true }],
        defaultModel: "fake-model",
        isDefault: true,
      }),
    ),
  );
  await json(await app.api("/api/settings", jsonInit("PATCH", { theme: "light", language: "en" })));
  const session = await json<{ id: string }>(await app.api("/api/sessions", jsonInit("POST", {})));
  // A title set by hand: no background title request takes a scripted reply.
  await json(await app.api(`/api/sessions/${session.id}`, jsonInit("PATCH", { title: "Tidy the notes" })));

  fake.enqueue(
    {
      reasoning: "List the notes first, then write a short summary file.",
      text: "Let me look at the notes.",
      toolCalls: [
        {
          name: "shell",
          arguments: {
            command: "printf 'alpha\\nbeta\\n' > notes.txt && wc -l notes.txt",
            description: "Create and count the notes",
          },
        },
      ],
    },
    {
      text: "Two notes. Writing the summary.",
      toolCalls: [
        {
          name: "write_file",
          arguments: { path: "summary.md", content: "# Summary\n\n- alpha\n- beta\n- both short\n" },
        },
      ],
    },
    {
      toolCalls: [
        {
          name: "edit_file",
          arguments: {
            path: "summary.md",
            old_string: "- both short",
            new_string: "- two notes, both short",
          },
        },
      ],
    },
    {
      text: "Done: **summary.md** lists both notes.\n\n```sh\nwc -l notes.txt\n```\n\nAnything else to tidy?",
    },
  );
  const socket = await TestSocket.open(`ws://127.0.0.1:${lock.port}/ws?token=${lock.token}`);
  try {
    socket.send({ type: "subscribe", sessionId: session.id, afterSeq: 0 });
    socket.send({
      type: "submit",
      sessionId: session.id,
      clientTurnId: "window-shot",
      text: "Tidy up the notes folder and show me what changed.",
    });
    const approved: string[] = [];
    for (;;) {
      const event = await socket.next(
        (e: ServerEvent) => e.type === "approval.requested" || e.type === "turn.ended",
        20_000,
      );
      if (event.type === "turn.ended") {
        expect(event.status).toBe("completed");
        break;
      }
      if (event.type === "approval.requested") {
        approved.push(event.tool);
        socket.send({
          type: "approve",
          sessionId: session.id,
          approvalId: event.approvalId,
          decision: "once",
        });
      }
    }
    expect(approved).toEqual(["shell", "write_file", "edit_file"]);
  } finally {
    socket.close();
  }
  app.child.kill("SIGTERM");
  expect(await app.exited(15_000)).toBe(0);
  return session.id;
}

function launchWindow(): AppProcess {
  mkdirSync(join(dataDir, "config"), { recursive: true });
  writeFileSync(
    join(dataDir, "config", "window.json"),
    JSON.stringify({ width: WINDOW.width, height: WINDOW.height }),
  );
  const app = spawnApp({
    executable,
    dataDir,
    env: {
      ...screen.env,
      WAYLAND_DISPLAY: undefined,
      SAGE_TEST_HOOKS: "1",
      SAGE_START_PATH: `/s/${sessionId}`,
    },
  });
  launched.push(app);
  return app;
}

function share(image: RgbImage, color: Rgb, region: Region, tolerance = 3): number {
  return countPixels(image, color, tolerance, region) / (region.width * region.height);
}

/**
 * Screenshots until the window shows the session drawn in `theme` with a connected socket: its
 * background fills most of the window, the other theme's background is nowhere, the transcript has text
 * and the diff's green, and the status dot is green. Saves the last picture as `name`.png either way.
 */
async function waitForSession(theme: ThemeName, name: string): Promise<RgbImage> {
  const colors = THEMES[theme];
  const other = THEMES[theme === "light" ? "dark" : "light"];
  let last: RgbImage | undefined;
  try {
    return await waitUntil(
      `the session in the ${theme} theme on screen`,
      async () => {
        last = await captureScreen(screen.display);
        const ready =
          share(last, colors.bg, WINDOW) > 0.4 &&
          share(last, other.bg, WINDOW) < 0.01 &&
          countPixels(last, colors.ok, 20, TRANSCRIPT) > 150 &&
          countPixels(last, colors.fg, 30, TRANSCRIPT) > 500 &&
          countPixels(last, colors.ok, 16, STATUS) > 15;
        return ready ? last : undefined;
      },
      30_000,
      250,
    );
  } finally {
    if (last) savePng(last, join(SCREENSHOTS, `${name}.png`));
  }
}

async function quit(app: AppProcess): Promise<void> {
  await app.api("/api/app/quit", { method: "POST" });
  expect(await app.exited(15_000)).toBe(0);
}

describe("the window shows a session with tool cards", () => {
  test("in the light theme, then in the dark theme after the setting changes", async () => {
    const light = launchWindow();
    expect((await light.waitForLock(30_000)).mode).toBe("window");
    const lightImage = await waitForSession("light", "chat-light");
    // The sidebar is drawn in the panel colour.
    expect(share(lightImage, THEMES.light.panel, { x: 0, y: 60, width: 260, height: 400 })).toBeGreaterThan(
      0.5,
    );
    const stored = await json<{ messages: { parts: { type: string; tool?: string; status?: string }[] }[] }>(
      await light.api(`/api/sessions/${sessionId}/messages?limit=50`),
    );
    const tools = stored.messages.flatMap((message) =>
      message.parts.filter((part) => part.type === "tool").map((part) => `${part.tool}:${part.status}`),
    );
    expect(tools).toEqual(["shell:completed", "write_file:completed", "edit_file:completed"]);

    await json(await light.api("/api/settings", jsonInit("PATCH", { theme: "dark" })));
    await quit(light);

    const dark = launchWindow();
    await dark.waitForLock(30_000);
    const darkImage = await waitForSession("dark", "chat-dark");
    expect(share(darkImage, THEMES.dark.panel, { x: 0, y: 60, width: 260, height: 400 })).toBeGreaterThan(
      0.5,
    );
    // The same transcript in both: the light picture has almost no dark background and vice versa.
    expect(share(lightImage, THEMES.dark.bg, WINDOW)).toBeLessThan(0.01);
    expect(share(darkImage, THEMES.light.bg, WINDOW)).toBeLessThan(0.01);
    await quit(dark);
  }, 120_000);
});

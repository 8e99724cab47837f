/**
 * The browser tools against a real headless Chromium (Debian's /usr/bin/chromium, found by
 * find-browser) and test pages served by Bun.serve. One browser is shared by the main describe block;
 * the idle-timeout and missing-browser tests use managers of their own.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AnyTool, ToolResult } from "../../src/agent/tool-contract.ts";
import { BrowserManager, browserProfileDir, hasDisplay } from "../../src/browser/browser-manager.ts";
import { BrowserNotFoundError, findBrowser } from "../../src/browser/find-browser.ts";
import { ALWAYS_ASK_TOOLS, type BrowserService } from "../../src/browser/types.ts";
import { browserClickTool } from "../../src/tools/browser-click.ts";
import { browserEvaluateTool, wrapScript } from "../../src/tools/browser-evaluate.ts";
import { browserNavigateTool, normalizeBrowserUrl } from "../../src/tools/browser-navigate.ts";
import { browserPressKeyTool } from "../../src/tools/browser-press-key.ts";
import { browserScreenshotTool } from "../../src/tools/browser-screenshot.ts";
import { browserScrollTool } from "../../src/tools/browser-scroll.ts";
import { browserSnapshotTool } from "../../src/tools/browser-snapshot.ts";
import { browserTabsTool } from "../../src/tools/browser-tabs.ts";
import { browserTypeTool } from "../../src/tools/browser-type.ts";
import { createTestToolContext, type TestToolContext } from "../unit/tool-context.ts";

const mainPage = `<!doctype html><html><head><title>Test Page</title></head><body>
<h1 id="heading">Welcome</h1>
<button onclick="document.getElementById('heading').textContent = 'Button was clicked'">Change heading</button>
<form action="/submitted" method="get">
  <label>Search <input name="q" type="text"></label>
</form>
<label>Name <input id="name" type="text"></label>
<label>Colour <select id="colour"><option value="r">Red</option><option value="g">Green</option></select></label>
<a href="/popup" target="_blank">Open popup</a>
<div style="height: 4000px">tall block</div>
<p id="bottom">The end</p>
</body></html>`;

const loginPage = `<!doctype html><title>Sign in</title>
<label>Email <input id="email" type="email"></label>
<label>Secret <input id="secret" type="password"></label>
<button onclick="this.textContent = 'Signed in'">Sign in</button>`;

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    const url = new URL(request.url);
    const html = (body: string) =>
      new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    if (url.pathname === "/") return html(mainPage);
    if (url.pathname === "/submitted") {
      return html(`<title>Results</title><h1>Results for ${url.searchParams.get("q") ?? ""}</h1>`);
    }
    if (url.pathname === "/popup") return html("<title>Popup</title><p>Popup page</p>");
    if (url.pathname === "/login") return html(loginPage);
    return new Response("not found", { status: 404 });
  },
});
const origin = `http://127.0.0.1:${server.port}`;

const base = mkdtempSync(join(tmpdir(), "sage-browser-"));
const contexts: TestToolContext[] = [];
afterAll(() => {
  server.stop(true);
  for (const context of contexts) context.cleanup();
  rmSync(base, { recursive: true, force: true });
});

function managerFor(name: string, overrides: Partial<ConstructorParameters<typeof BrowserManager>[0]> = {}) {
  return new BrowserManager({
    profileDir: browserProfileDir(base, name),
    headed: false,
    displayAvailable: false,
    // The test pages are on 127.0.0.1 (the local-address policy has tests of its own).
    addressPolicy: () => ({ allowPrivate: true }),
    ...overrides,
  });
}

function contextWith(browser: BrowserService | undefined): TestToolContext {
  const context = createTestToolContext({ services: browser === undefined ? {} : { browser } });
  contexts.push(context);
  return context;
}

/**
 * The message of a rejected promise. (Bun's `expect(promise).rejects` stalls Playwright's pipe to the
 * browser here, so rejections are awaited directly.)
 */
async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** The ref of the first snapshot line that contains `text`. */
function refOf(snapshot: string, text: string): string {
  const line = snapshot.split("\n").find((candidate) => candidate.includes(text));
  const match = line ? /\[ref=((?:f\d+)?e\d+)\]/.exec(line) : null;
  if (!match) throw new Error(`no ref for ${text} in:\n${snapshot}`);
  return match[1]!;
}

describe("browser tools on one shared browser", () => {
  const manager = managerFor("agent-main");
  const context = contextWith(manager);
  const run = (tool: AnyTool, params: Record<string, unknown>): Promise<ToolResult> =>
    tool.execute(params, context.ctx);
  const evaluate = async (script: string) =>
    (await run(browserEvaluateTool, { script })).text.split("\n\nTab ")[0];

  afterAll(() => manager.dispose());

  beforeAll(async () => {
    await run(browserNavigateTool, { url: `${origin}/` });
  }, 60_000);

  test("navigate opens the page and returns a snapshot with refs for a button and inputs", async () => {
    const result = await run(browserNavigateTool, { url: `${origin}/` });
    expect(result.text).toStartWith(`Opened ${origin}/ (HTTP 200 OK).`);
    expect(result.text).toContain("Tab t1: Test Page");
    expect(result.text).toMatch(/button "Change heading" \[ref=(?:f\d+)?e\d+\]/);
    expect(result.text).toMatch(/textbox "Name" \[ref=(?:f\d+)?e\d+\]/);
    expect(result.details).toMatchObject({ tabId: "t1", url: `${origin}/`, title: "Test Page", status: 200 });
    expect(manager.running).toBe(true);
    expect(manager.headless).toBe(true);
  });

  test("snapshot lists the page with refs", async () => {
    const result = await run(browserSnapshotTool, {});
    expect(result.text).toStartWith(`Tab t1: Test Page\nURL: ${origin}/\n\n`);
    expect(result.text).toContain('heading "Welcome"');
    expect(result.text).toMatch(/link "Open popup" \[ref=(?:f\d+)?e\d+\]/);
    expect(result.details).toMatchObject({ tabId: "t1", truncated: false });
  });

  test("click by ref changes the page and the result shows the new snapshot", async () => {
    const snapshot = (await run(browserSnapshotTool, {})).text;
    const result = await run(browserClickTool, { ref: refOf(snapshot, 'button "Change heading"') });
    expect(result.text).toStartWith("Clicked [ref=");
    expect(result.text).toContain('heading "Button was clicked"');
    expect(await evaluate("document.getElementById('heading').textContent")).toBe('"Button was clicked"');
  });

  test("type fills an input; a select takes an option by label", async () => {
    const snapshot = (await run(browserSnapshotTool, {})).text;
    const typed = await run(browserTypeTool, {
      ref: refOf(snapshot, 'textbox "Name"'),
      text: "Ada Lovelace",
    });
    expect(typed.text).toStartWith('Typed "Ada Lovelace" into [ref=');
    expect(await evaluate("document.getElementById('name').value")).toBe('"Ada Lovelace"');
    const chosen = await run(browserTypeTool, { selector: "#colour", text: "Green" });
    expect(chosen.text).toStartWith('Chose "Green" in selector #colour.');
    expect(await evaluate("document.getElementById('colour').value")).toBe('"g"');
    expect(await failureOf(run(browserTypeTool, { selector: "#colour", text: "Blue" }))).toContain(
      'The drop-down has no option "Blue". Its options: Red, Green.',
    );
  });

  test("scroll moves the page down and reports the position; a ref scrolls into view", async () => {
    await evaluate("window.scrollTo(0, 0)");
    const result = await run(browserScrollTool, { direction: "down", amount: 700 });
    expect(result.text).toStartWith("Scrolled down 700 px.");
    expect(result.details?.scrollY).toBe(700);
    const intoView = await run(browserScrollTool, { selector: "#bottom" });
    expect(intoView.text).toStartWith("Scrolled selector #bottom into view.");
    expect(Number(intoView.details?.scrollY)).toBeGreaterThan(3000);
    const top = await run(browserScrollTool, { direction: "up", amount: 100_000 });
    expect(top.details?.scrollY).toBe(0);
    const again = await run(browserScrollTool, { direction: "up" });
    expect(again.text).toStartWith("Did not scroll up: the page is already at its top");
  });

  test("screenshot returns a PNG image and saves it in the workspace", async () => {
    const result = await run(browserScreenshotTool, {});
    const image = result.images?.[0];
    expect(image?.mime).toBe("image/png");
    const bytes = Buffer.from(image!.data, "base64");
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(image?.path).toMatch(/^\.sage\/screenshots\/\d{4}-.*\.png$/);
    expect(readFileSync(join(context.root, image!.path!))).toEqual(bytes);
    expect(result.details).toMatchObject({ path: image?.path, bytes: bytes.byteLength, fullPage: false });
    const full = await run(browserScreenshotTool, { full_page: true });
    expect(Number(full.details?.bytes)).toBeGreaterThan(0);
    expect(full.images?.[0]?.path).not.toBe(image?.path);
  });

  test("press Enter in a form field submits the form", async () => {
    await run(browserNavigateTool, { url: `${origin}/` });
    await run(browserTypeTool, { selector: "input[name=q]", text: "sage" });
    const result = await run(browserPressKeyTool, { key: "Enter", selector: "input[name=q]" });
    expect(result.text).toStartWith("Pressed Enter on selector input[name=q].");
    expect(result.text).toContain(`The page navigated to ${origin}/submitted?q=sage.`);
    expect(result.text).toContain('heading "Results for sage"');
    expect(result.details).toMatchObject({ navigated: true, title: "Results" });
  });

  test("type with submit presses Enter after typing", async () => {
    await run(browserNavigateTool, { url: `${origin}/` });
    const result = await run(browserTypeTool, { selector: "input[name=q]", text: "second", submit: true });
    expect(result.text).toContain("Pressed Enter.");
    expect(result.details).toMatchObject({ navigated: true, url: `${origin}/submitted?q=second` });
  });

  test("navigate back and forward through history", async () => {
    const back = await run(browserNavigateTool, { history: "back" });
    expect(back.details?.url).toBe(`${origin}/`);
    const forward = await run(browserNavigateTool, { history: "forward" });
    expect(forward.details?.url).toBe(`${origin}/submitted?q=second`);
  });

  test("a link that opens a new tab switches to it; tabs can be listed, switched and closed", async () => {
    await run(browserNavigateTool, { url: `${origin}/` });
    const snapshot = (await run(browserSnapshotTool, {})).text;
    const clicked = await run(browserClickTool, { ref: refOf(snapshot, 'link "Open popup"') });
    const newTab = (clicked.details?.newTabs as string[] | undefined)?.[0] ?? "(none)";
    expect(clicked.text).toContain(`New tab opened: ${newTab} (${origin}/popup). Switched to ${newTab}.`);
    expect(clicked.text).toContain("Popup page");

    const listed = await run(browserTabsTool, { action: "list" });
    expect(listed.text).toContain(`* ${newTab}: Popup — ${origin}/popup (current)`);
    expect(listed.text).toContain(`  t1: Test Page — ${origin}/`);
    expect(listed.details?.currentTabId).toBe(newTab);

    const switched = await run(browserTabsTool, { action: "switch", tab_id: "t1" });
    expect(switched.details?.currentTabId).toBe("t1");
    expect((await run(browserSnapshotTool, {})).details?.tabId).toBe("t1");

    const closed = await run(browserTabsTool, { action: "close", tab_id: newTab });
    expect(closed.text).toStartWith(`Closed ${newTab}.`);
    expect(closed.details?.tabs).toHaveLength(1);
    expect(await failureOf(run(browserTabsTool, { action: "switch", tab_id: newTab }))).toContain(
      `There is no tab ${newTab}. Open tabs: t1.`,
    );
    expect(await failureOf(run(browserTabsTool, { action: "close" }))).toContain(
      'action "close" needs tab_id',
    );
  });

  test("a new tab at a URL becomes current; closing the current tab falls back to the previous one", async () => {
    const opened = await run(browserTabsTool, { action: "new", url: `${origin}/popup` });
    const id = opened.details?.currentTabId as string;
    expect(id).not.toBe("t1");
    expect(opened.text).toContain(`Opened ${id} at ${origin}/popup.`);
    const closed = await run(browserTabsTool, { action: "close", tab_id: id });
    expect(closed.details?.currentTabId).toBe("t1");
  });

  test("evaluate returns values of expressions, function bodies and promises", async () => {
    expect(await evaluate("1 + 2")).toBe("3");
    expect(await evaluate("document.title")).toBe('"Test Page"');
    expect(await evaluate("() => ({ a: [1, 2] })")).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(
      await evaluate("const items = [...document.querySelectorAll('option')]; return items.length;"),
    ).toBe("2");
    expect(await evaluate("new Promise((resolve) => setTimeout(() => resolve('later'), 20))")).toBe(
      '"later"',
    );
    expect(JSON.parse((await evaluate("document.querySelector('h1')"))!)).toStartWith('<h1 id="heading">');
    expect(await evaluate("undefined")).toBe("undefined");
  });

  test("evaluate reports script errors clearly", async () => {
    expect(await failureOf(run(browserEvaluateTool, { script: "throw new Error('boom')" }))).toContain(
      "The script failed: Error: boom",
    );
    expect(() => wrapScript("function (")).toThrow("The script has a syntax error");
  });

  test("a stale or unknown ref fails at once with a hint; so does a selector that matches nothing", async () => {
    const started = Date.now();
    expect(await failureOf(run(browserClickTool, { ref: "e9999" }))).toContain(
      "No element [ref=e9999] on the current page. Refs come from the latest browser_snapshot",
    );
    expect(await failureOf(run(browserClickTool, { selector: "#does-not-exist" }))).toContain(
      "No element matches the selector #does-not-exist on the current page.",
    );
    expect(await failureOf(run(browserClickTool, { ref: "button" }))).toContain(
      '"button" is not an element reference',
    );
    expect(await failureOf(run(browserClickTool, {}))).toContain("Name the element with ref");
    expect(await failureOf(run(browserPressKeyTool, { key: "NoSuchKey" }))).toContain(
      'Unknown key "NoSuchKey"',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("stopping the turn ends a long action at once with the turn's reason", async () => {
    const stoppable = createTestToolContext({ services: { browser: manager } });
    contexts.push(stoppable);
    setTimeout(() => stoppable.controller.abort(new Error("stopped by the user")), 200);
    const started = Date.now();
    expect(
      await failureOf(
        browserEvaluateTool.execute(
          { script: "new Promise((resolve) => setTimeout(resolve, 10000))" },
          stoppable.ctx,
        ),
      ),
    ).toContain("stopped by the user");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("approvals of click and type name the element by role and name, with the text (a password masked)", async () => {
    const snapshot = (await run(browserNavigateTool, { url: `${origin}/login` })).text;
    const button = refOf(snapshot, 'button "Sign in"');
    const email = refOf(snapshot, 'textbox "Email"');
    const secret = refOf(snapshot, 'textbox "Secret"');

    const click = await browserClickTool.describe?.({ ref: button }, context.ctx);
    expect(click).toEqual({
      title: "Click button “Sign in”",
      detail: `Element: button “Sign in” [ref=${button}]\nPage: Sign in — ${origin}/login`,
      detailKind: "url",
    });
    expect((await browserClickTool.describe?.({ ref: button, double_click: true }, context.ctx))?.title).toBe(
      "Double-click button “Sign in”",
    );

    const typeEmail = await browserTypeTool.describe?.(
      { ref: email, text: "ada@example.com", submit: true },
      context.ctx,
    );
    expect(typeEmail?.title).toBe("Type into textbox “Email”");
    expect(typeEmail?.detail).toBe(
      [
        'Text: "ada@example.com"',
        "Then: press Enter",
        `Element: textbox “Email” [ref=${email}]`,
        `Page: Sign in — ${origin}/login`,
      ].join("\n"),
    );

    // A password field (its name does not say so): the approval and the result hide what is typed.
    const typeSecret = await browserTypeTool.describe?.({ ref: secret, text: "hunter2" }, context.ctx);
    expect(typeSecret?.title).toBe("Type into textbox “Secret”");
    expect(typeSecret?.detail).toStartWith("Text: ••••••• (7 characters, hidden: password field)\n");
    expect(typeSecret?.detail).not.toContain("hunter2");
    const typed = await run(browserTypeTool, { ref: secret, text: "hunter2" });
    expect(typed.text).toStartWith(`Typed 7 characters (hidden) into the password field [ref=${secret}].`);
    // The snapshot in the result shows the field's value masked; other fields keep theirs.
    expect(typed.text).not.toContain("hunter2");
    expect(typed.text).toMatch(/textbox "Secret".*\[ref=(?:f\d+)?e\d+\]: ••••••••$/m);
    await run(browserTypeTool, { ref: email, text: "ada@example.com" });
    expect((await run(browserSnapshotTool, {})).text).toMatch(/textbox "Email".*: ada@example\.com$/m);
    expect(await evaluate("document.getElementById('secret').value")).toBe('"hunter2"');

    // A ref the latest snapshot does not have, and a selector: named as given.
    expect((await browserClickTool.describe?.({ ref: "e999" }, context.ctx))?.detail).toStartWith(
      "Element: [ref=e999] (not in the latest snapshot of the current tab)\n",
    );
    expect(await browserClickTool.describe?.({ selector: "#email" }, context.ctx)).toMatchObject({
      title: "Click selector #email",
      detail: `Element: selector #email\nPage: Sign in — ${origin}/login`,
    });
    expect(
      (await browserTypeTool.describe?.({ selector: "#secret", text: "pw" }, context.ctx))?.detail,
    ).toContain("hidden: password field");
    await run(browserNavigateTool, { url: `${origin}/` });
  });
});

describe("browser tool contracts and errors", () => {
  test("every browser tool is of kind browser; evaluate always asks and describes its script", async () => {
    const tools = [
      browserNavigateTool,
      browserSnapshotTool,
      browserClickTool,
      browserTypeTool,
      browserPressKeyTool,
      browserScrollTool,
      browserScreenshotTool,
      browserEvaluateTool,
      browserTabsTool,
    ];
    for (const tool of tools) expect(tool.kind).toBe("browser");
    expect(new Set(tools.map((tool) => tool.name)).size).toBe(tools.length);
    expect([...ALWAYS_ASK_TOOLS]).toEqual(["browser_evaluate"]);
    const context = contextWith(undefined);
    expect(await browserEvaluateTool.describe?.({ script: "document.cookie" }, context.ctx)).toEqual({
      title: "Run JavaScript in the browser page",
      detail: "document.cookie",
      detailKind: "command",
    });
    expect(await browserNavigateTool.describe?.({ url: "https://example.com" }, context.ctx)).toMatchObject({
      detail: "https://example.com",
      detailKind: "url",
    });
  });

  test("describing a click or typing never starts a browser; without one the ref names the element", async () => {
    const idle = managerFor("agent-describe");
    const context = contextWith(idle);
    expect(await browserClickTool.describe?.({ ref: "e4" }, context.ctx)).toEqual({
      title: "Click [ref=e4]",
      detail: "Element: [ref=e4] (not in the latest snapshot of the current tab)",
      detailKind: "url",
    });
    expect((await browserTypeTool.describe?.({ ref: "e5", text: "hello" }, context.ctx))?.detail).toBe(
      'Text: "hello"\nElement: [ref=e5] (not in the latest snapshot of the current tab)',
    );
    expect(idle.running).toBe(false);
    expect(idle.launchCount).toBe(0);
    const none = contextWith(undefined);
    expect((await browserClickTool.describe?.({ selector: "#go" }, none.ctx))?.title).toBe(
      "Click selector #go",
    );
  });

  test("without a browser service the tools say so", async () => {
    const context = contextWith(undefined);
    expect(await failureOf(browserSnapshotTool.execute({}, context.ctx))).toContain(
      "The browser is not available here: this session has no browser service.",
    );
  });

  test("navigate accepts web addresses only", async () => {
    expect(normalizeBrowserUrl("example.com/a")).toBe("https://example.com/a");
    expect(normalizeBrowserUrl("localhost:3000")).toBe("http://localhost:3000/");
    expect(normalizeBrowserUrl("about:blank")).toBe("about:blank");
    expect(() => normalizeBrowserUrl("file:///etc/passwd")).toThrow("use read_file");
    expect(() => normalizeBrowserUrl("javascript:alert(1)")).toThrow(
      "only opens http and https pages, not javascript",
    );
    const context = contextWith(managerFor("agent-unused"));
    expect(await failureOf(browserNavigateTool.execute({}, context.ctx))).toContain(
      "Give either url or history",
    );
  });

  test("a missing browser gives a clear error naming what was tried and how to install one", async () => {
    expect(() => findBrowser({ candidates: ["/nonexistent/chromium", "/nonexistent/chrome"] })).toThrow(
      "No Chromium or Chrome browser was found for the browser tools. Looked for: /nonexistent/chromium, /nonexistent/chrome. Install Chromium (Debian/Ubuntu: `sudo apt install chromium`",
    );
    expect(() => findBrowser({ override: base })).toThrow(
      `The browser set for Sage (${base}) is not an executable file.`,
    );
    expect(findBrowser({ candidates: ["/nonexistent/chromium", "/usr/bin/chromium"] })).toBe(
      "/usr/bin/chromium",
    );
    const error = (() => {
      try {
        findBrowser({ candidates: ["/nope"] });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as BrowserNotFoundError).tried).toEqual(["/nope"]);

    const manager = managerFor("agent-missing", { executablePath: "/nonexistent/chrome" });
    const context = contextWith(manager);
    expect(await failureOf(browserNavigateTool.execute({ url: "about:blank" }, context.ctx))).toContain(
      "The browser set for Sage (/nonexistent/chrome) is not an executable file.",
    );
    expect(manager.running).toBe(false);
  });

  test("display detection and profile folders", () => {
    expect(hasDisplay({})).toBe(false);
    expect(hasDisplay({ DISPLAY: ":0" })).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: "wayland-0" })).toBe(true);
    expect(managerFor("x", { headed: true, displayAvailable: false }).headless).toBe(true);
    expect(managerFor("x", { headed: true, displayAvailable: true }).headless).toBe(false);
    expect(browserProfileDir("/data/profiles", "agent/../1")).toBe("/data/profiles/agent____1");
    expect(() => browserProfileDir("/data/profiles", "..")).toThrow("Unusable agent id");
  });
});

describe("browser idle timeout", () => {
  test("the browser closes after the idle timeout and the next call relaunches it", async () => {
    const manager = managerFor("agent-idle", { idleTimeoutMs: 400 });
    const context = contextWith(manager);
    try {
      await browserNavigateTool.execute({ url: `${origin}/popup` }, context.ctx);
      expect(manager.running).toBe(true);
      expect(manager.launchCount).toBe(1);
      await Bun.sleep(1200);
      expect(manager.running).toBe(false);
      const result = await browserNavigateTool.execute({ url: `${origin}/` }, context.ctx);
      expect(result.details?.title).toBe("Test Page");
      expect(manager.running).toBe(true);
      expect(manager.launchCount).toBe(2);
      expect(existsSync(browserProfileDir(base, "agent-idle"))).toBe(true);
    } finally {
      await manager.dispose();
    }
    expect(await failureOf(manager.use(async () => 1))).toContain(
      "The browser for this agent has been shut down.",
    );
  }, 60_000);
});

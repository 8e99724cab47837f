/**
 * What Sage says when the window cannot open: it names the one cause that applies (no display vs a
 * missing webview library, by name) and never claims a browser opened when none was asked to.
 * The library loader is passed in, so the "missing library" branch is tested on a machine that has them.
 */
import { describe, expect, test } from "bun:test";
import { describeBrowserOutcome, openInBrowser } from "../../src/shell/browser-launch.ts";
import {
  checkWindowAvailability,
  type LibraryLoader,
  missingWebviewLibrary,
} from "../../src/shell/display.ts";

const allLoad: LibraryLoader = () => {};
const without =
  (missing: string): LibraryLoader =>
  (library) => {
    if (library === missing) throw new Error(`${library}: cannot open shared object file`);
  };

describe("checkWindowAvailability", () => {
  test("a display and every library: the window can open", () => {
    expect(checkWindowAvailability({ DISPLAY: ":0" }, allLoad)).toEqual({ ok: true });
    expect(checkWindowAvailability({ WAYLAND_DISPLAY: "wayland-0" }, allLoad)).toEqual({ ok: true });
  });

  test("no display, libraries installed: blames the display only", () => {
    const result = checkWindowAvailability({}, allLoad);
    if (result.ok) throw new Error("expected no window");
    expect(result.cause).toBe("no-display");
    expect(result.missingLibrary).toBeUndefined();
    expect(result.reason).toContain("no display was found");
    const text = `${result.reason}\n${result.hint}`;
    expect(text).not.toContain("not installed");
    expect(text).not.toContain("apt install");
    expect(result.hint).toContain("The webview libraries are installed");
  });

  test("no display and a library missing: says both, naming the library", () => {
    const result = checkWindowAvailability({}, without("libwebkitgtk-6.0.so.4"));
    if (result.ok) throw new Error("expected no window");
    expect(result.cause).toBe("no-display");
    expect(result.missingLibrary).toBe("libwebkitgtk-6.0.so.4");
    expect(result.reason).toContain("no display was found");
    expect(result.hint).toContain("libwebkitgtk-6.0.so.4 is not installed");
    expect(result.hint).toContain("sudo apt install libwebkitgtk-6.0-4");
  });

  test("a display but a library missing: blames that library, not the display", () => {
    const result = checkWindowAvailability({ DISPLAY: ":0" }, without("libvulkan.so.1"));
    if (result.ok) throw new Error("expected no window");
    expect(result.cause).toBe("missing-library");
    expect(result.reason).toBe(
      "Sage could not open its window: the webview library libvulkan.so.1 is not installed.",
    );
    expect(result.reason).not.toContain("display");
    expect(result.hint).toContain("libvulkan1");
  });

  test("missingWebviewLibrary names the first library that fails to load", () => {
    expect(missingWebviewLibrary(allLoad)).toBeUndefined();
    expect(missingWebviewLibrary(without("libgtk-4.so.1"))).toBe("libgtk-4.so.1");
  });
});

describe("openInBrowser / describeBrowserOutcome", () => {
  const url = "http://127.0.0.1:4100/?token=t";

  test("with a display, an opener is started and the line says so", () => {
    const opened: string[] = [];
    const outcome = openInBrowser(url, {
      noOpen: false,
      env: { DISPLAY: ":0" },
      open: (target) => opened.push(target) > 0,
    });
    expect(outcome).toBe("opened");
    expect(opened).toEqual([url]);
    expect(describeBrowserOutcome(outcome, 4100)).toContain("default browser");
  });

  test("without a display nothing is started, and the line says no browser was opened and why", () => {
    const outcome = openInBrowser(url, {
      noOpen: false,
      env: {},
      open: () => {
        throw new Error("must not be called without a display");
      },
    });
    expect(outcome).toBe("no-display");
    const line = describeBrowserOutcome(outcome, 4100) ?? "";
    expect(line).toContain("No browser was opened");
    expect(line).toContain("no display");
    expect(line).toContain("ssh -L 4100:127.0.0.1:4100");
  });

  test("no opener installed: says so instead of pretending", () => {
    const outcome = openInBrowser(url, { noOpen: false, env: { DISPLAY: ":0" }, open: () => false });
    expect(outcome).toBe("no-opener");
    expect(describeBrowserOutcome(outcome, 4100)).toContain("No browser was opened");
  });

  test("--no-open tries nothing and prints nothing", () => {
    const outcome = openInBrowser(url, {
      noOpen: true,
      env: { DISPLAY: ":0" },
      open: () => {
        throw new Error("must not be called with --no-open");
      },
    });
    expect(outcome).toBe("not-asked");
    expect(describeBrowserOutcome(outcome, 4100)).toBeUndefined();
  });
});

/**
 * `sage --install` / `--uninstall` with the compiled executable on a temporary HOME: the desktop entry
 * is valid (desktop-file-validate from desktop-file-utils), names this executable with %u and the sage:
 * scheme, the icon is in the user's hicolor theme, mimeapps.list maps the scheme (other lines kept);
 * uninstall removes them again. Also the sage: link parser.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeepLinkError, parseDeepLink } from "../../src/desktop/deep-link.ts";
import { quoteExec } from "../../src/desktop/desktop-entry.ts";
import { ensureExecutable } from "../support/build-artifacts.ts";

function run(executable: string, args: string[], home: string) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home };
  const result = Bun.spawnSync([executable, ...args], { env, stdout: "pipe", stderr: "pipe" });
  return { code: result.exitCode, out: result.stdout.toString() + result.stderr.toString() };
}

describe("sage --install / --uninstall", () => {
  test("write a valid desktop entry, icon and scheme handler, and remove them", async () => {
    const executable = await ensureExecutable();
    const home = mkdtempSync(join(tmpdir(), "sage-install-"));
    const mimeapps = join(home, ".config", "mimeapps.list");
    mkdirSync(join(home, ".config"), { recursive: true });
    writeFileSync(mimeapps, "[Default Applications]\ntext/html=firefox.desktop\n");

    const installed = run(executable, ["--install"], home);
    expect(installed.code).toBe(0);
    const entry = join(home, ".local", "share", "applications", "sage.desktop");
    const icon = join(home, ".local", "share", "icons", "hicolor", "256x256", "apps", "sage.png");
    expect(installed.out).toContain(entry);
    const text = readFileSync(entry, "utf8");
    expect(text).toContain(`Exec=${executable} %u`);
    expect(text).toContain("MimeType=x-scheme-handler/sage;");
    expect(text).toContain("Icon=sage");
    expect(existsSync(icon)).toBe(true);
    const validate = Bun.which("desktop-file-validate");
    if (!validate) throw new Error("desktop-file-validate is missing: sudo apt install desktop-file-utils");
    const check = Bun.spawnSync([validate, entry], { stdout: "pipe", stderr: "pipe" });
    expect(check.stdout.toString() + check.stderr.toString()).toBe("");
    expect(check.exitCode).toBe(0);
    expect(readFileSync(mimeapps, "utf8")).toBe(
      "[Default Applications]\nx-scheme-handler/sage=sage.desktop\ntext/html=firefox.desktop\n",
    );
    // Idempotent.
    expect(run(executable, ["--install"], home).code).toBe(0);
    expect(readFileSync(mimeapps, "utf8").match(/x-scheme-handler\/sage/g)).toHaveLength(1);

    const removed = run(executable, ["--uninstall"], home);
    expect(removed.code).toBe(0);
    expect(existsSync(entry)).toBe(false);
    expect(existsSync(icon)).toBe(false);
    expect(readFileSync(mimeapps, "utf8")).toBe("[Default Applications]\ntext/html=firefox.desktop\n");
  }, 120_000);

  test("Exec quotes paths with spaces the Desktop Entry way", () => {
    expect(quoteExec("/opt/sage/sage")).toBe("/opt/sage/sage");
    expect(quoteExec("/home/a b/sage")).toBe('"/home/a b/sage"');
  });
});

describe("sage: links", () => {
  test("session and new links parse; others are refused with a message", () => {
    expect(parseDeepLink("sage://session/ses_abc-1")).toEqual({ kind: "session", sessionId: "ses_abc-1" });
    expect(parseDeepLink("sage://new")).toEqual({ kind: "new" });
    expect(parseDeepLink("sage://new?agent=Writer")).toEqual({ kind: "new", agent: "Writer" });
    for (const bad of [
      "https://x/session/1",
      "sage://session/",
      "sage://session/a/b",
      "sage://delete/1",
      "nonsense",
    ])
      expect(() => parseDeepLink(bad)).toThrow(DeepLinkError);
  });
});

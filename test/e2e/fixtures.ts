/**
 * Playwright fixtures (run on Node): `sage` starts the compiled executable in serve mode —
 * `dist/sage --serve --port 0 --no-open --data-dir <fresh temp dir>` — reads the URL it prints, and stops
 * it after the test (SIGTERM, then checks it exited 0). Specs import `test` and `expect` from here.
 *
 *   test("...", async ({ page, sage }) => { await page.goto(sage.launchUrl); ... });
 *
 * `sage.baseURL` is the server without the token (a page opened there without it shows the signed-out
 * screen; its API calls get 401); `sage.launchUrl` carries the token once, which the page keeps in its
 * origin's localStorage (no cookie: see src/server/security.ts).
 * Set SAGE_EXECUTABLE to test another build.
 *
 * `test.use({ sageFolders: "fresh-home" })` starts it instead as on a brand-new account: a new empty
 * HOME, no XDG_* or SAGE_HOME in the environment and no --data-dir, so Sage creates its default folders
 * (`sage.home` is that HOME; `sage.dataDir` is HOME/.local/share/sage).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect } from "@playwright/test";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const EXECUTABLE = process.env.SAGE_EXECUTABLE ?? join(REPO_ROOT, "dist", "sage");
export const VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

export interface SageApp {
  /** http://127.0.0.1:PORT */
  baseURL: string;
  /** The printed URL, with ?token=. */
  launchUrl: string;
  token: string;
  dataDir: string;
  /** The temporary HOME, with `sageFolders: "fresh-home"`. */
  home?: string;
  process: ChildProcess;
  /** Everything the app printed so far. */
  output(): string;
}

/** Where the app keeps its files: a temp `--data-dir` (default), or the defaults under a new HOME. */
export type SageFolders = "data-dir" | "fresh-home";

export async function startSage(
  extraArgs: string[] = [],
  env: Record<string, string> = {},
  folders: SageFolders = "data-dir",
): Promise<SageApp> {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(`${EXECUTABLE} is missing: build it first (bun run build).`);
  }
  let dataDir: string;
  let home: string | undefined;
  let childEnv: NodeJS.ProcessEnv;
  let folderArgs: string[];
  if (folders === "fresh-home") {
    home = mkdtempSync(join(tmpdir(), "sage-e2e-home-"));
    dataDir = join(home, ".local", "share", "sage");
    childEnv = { ...process.env, ...env, HOME: home };
    for (const key of Object.keys(childEnv)) {
      if (key === "SAGE_HOME" || key.startsWith("XDG_")) delete childEnv[key];
    }
    folderArgs = [];
  } else {
    dataDir = mkdtempSync(join(tmpdir(), "sage-e2e-"));
    childEnv = { ...process.env, ...env, SAGE_HOME: dataDir };
    folderArgs = ["--data-dir", dataDir];
  }
  const child = spawn(EXECUTABLE, ["--serve", "--port", "0", "--no-open", ...folderArgs, ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const launchUrl = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`Sage printed no URL within 15 s:\n${output}`)), 15_000);
    const look = () => {
      const match = /Open this URL[^\n]*\n\s+(http:\/\/\S+\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1] as string);
      }
    };
    child.stdout?.on("data", look);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Sage exited (${code}) before printing its URL:\n${output}`));
    });
  });
  const url = new URL(launchUrl);
  return {
    baseURL: url.origin,
    launchUrl,
    token: url.searchParams.get("token") ?? "",
    dataDir,
    home,
    process: child,
    output: () => output,
  };
}

/** SIGTERM and wait; resolves with the exit code (null when it had to be killed). */
export async function stopSage(app: SageApp): Promise<number | null> {
  const child = app.process;
  let code: number | null = child.exitCode;
  if (code === null) {
    code = await new Promise<number | null>((resolveCode) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolveCode(null);
      }, 10_000);
      child.once("exit", (exitCode) => {
        clearTimeout(timer);
        resolveCode(exitCode);
      });
      child.kill("SIGTERM");
    });
  }
  rmSync(app.home ?? app.dataDir, { recursive: true, force: true });
  return code;
}

/** Sage's log file: in the data dir (`--data-dir`), or the state folder of a fresh HOME. */
function sageLogFile(app: SageApp): string | undefined {
  const candidates = [
    join(app.dataDir, "logs", "sage.log"),
    ...(app.home ? [join(app.home, ".local", "state", "sage", "logs", "sage.log")] : []),
  ];
  return candidates.find((path) => existsSync(path));
}

export const test = base.extend<{
  sage: SageApp;
  sageEnv: Record<string, string>;
  sageFolders: SageFolders;
}>({
  /** Extra environment for the app under test (`test.use({ sageEnv: {...} })` in a spec). */
  sageEnv: [{}, { option: true }],
  /** `test.use({ sageFolders: "fresh-home" })`: run on the default folders of a brand-new account. */
  sageFolders: ["data-dir", { option: true }],
  sage: async ({ sageEnv, sageFolders }, use, testInfo) => {
    const app = await startSage([], sageEnv, sageFolders);
    await use(app);
    // A failed test keeps what Sage logged (its folders are removed below), so a flake can be read later.
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach("sage-output.txt", { body: app.output(), contentType: "text/plain" });
      const log = sageLogFile(app);
      if (log) {
        await testInfo.attach("sage.log", { path: log, contentType: "text/plain" });
        // CI keeps only the console: the log's end goes there too.
        const tail = readFileSync(log, "utf8").split("\n").slice(-60).join("\n");
        console.log(`--- end of Sage's log (${testInfo.title}) ---\n${tail}`);
      }
    }
    const code = await stopSage(app);
    expect(code, `Sage should exit 0 on SIGTERM; output:\n${app.output()}`).toBe(0);
  },
});

export { expect };

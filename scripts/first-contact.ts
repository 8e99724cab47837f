/**
 * The `first-contact` stage of scripts/test-all.ts (also runnable alone: `bun scripts/first-contact.ts`):
 * what a new user does first, on a brand-new account. From the clone, it runs the README's command
 * `npm run app -- --serve --no-open --port 0` with HOME set to a new empty folder and no XDG_*,
 * SAGE_HOME or DISPLAY, waits for the printed `http://127.0.0.1:PORT/?token=...`, opens it (200 with
 * the UI's HTML; the API accepts its token) and stops the app.
 *
 * Contract: resolves when the URL answered and the app stopped; throws FirstContactError with the
 * app's output otherwise. The app runs in its own process group (npm -> sh bootstrap.sh -> exec bun),
 * so stopping signals the whole group and nothing outlives the stage.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openLaunchUrl } from "../test/support/launch-url.ts";

const ROOT = resolve(import.meta.dir, "..");
const URL_PATTERN = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;
/** Normally ~1-2 s; the ceiling leaves room for bootstrap.sh rebuilding a stale UI (~15 s). */
const START_TIMEOUT_MS = 60_000;

export class FirstContactError extends Error {
  override readonly name = "FirstContactError";
}

export async function checkFirstContact(): Promise<void> {
  const npm = Bun.which("npm");
  if (!npm) throw new FirstContactError("npm is not installed: the README's run command needs it.");
  const home = mkdtempSync(join(tmpdir(), "sage-first-contact-"));
  // No update check from npm's notifier (a fresh HOME has no record of the last one).
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, npm_config_update_notifier: "false" };
  for (const key of Object.keys(env)) {
    if (key === "SAGE_HOME" || key === "DISPLAY" || key === "WAYLAND_DISPLAY" || key.startsWith("XDG_")) {
      delete env[key];
    }
  }
  const started = performance.now();
  const child = spawn(npm, ["run", "app", "--", "--serve", "--no-open", "--port", "0"], {
    cwd: ROOT,
    env,
    detached: true, // its own process group: see stopGroup
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  try {
    const url = await waitForUrl(child, () => output);
    const page = await openLaunchUrl(url);
    if (page.status !== 200 || !page.html.includes('<div id="root"')) {
      throw new FirstContactError(`${url} answered ${page.status} (${page.contentType}), not the UI`);
    }
    if (page.healthStatus !== 200) {
      throw new FirstContactError(`/api/health refused the printed URL's token (${page.healthStatus})`);
    }
    console.log(
      `npm run app -- --serve on an empty HOME: the printed URL answered 200 after ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FirstContactError(`${reason}\n--- output of npm run app ---\n${output}`);
  } finally {
    await stopGroup(child);
    rmSync(home, { recursive: true, force: true });
  }
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => finish(new FirstContactError(`no URL printed within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    const look = () => {
      const match = URL_PATTERN.exec(output());
      if (match) finish(undefined, match[1]);
    };
    const exited = (code: number | null) =>
      finish(new FirstContactError(`npm run app exited (${code}) before printing a URL`));
    const finish = (error: Error | undefined, url?: string) => {
      clearTimeout(timer);
      child.stdout?.off("data", look);
      child.off("exit", exited);
      if (error) reject(error);
      else resolveUrl(url as string);
    };
    child.stdout?.on("data", look);
    child.on("exit", exited);
    look();
  });
}

/** SIGTERM the child's whole process group, SIGKILL it after 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // The group is gone.
    }
  };
  const gone = new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once("exit", () => done());
  });
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
  signal("SIGKILL"); // anything left in the group (bootstrap.sh execs bun, so normally nothing)
}

if (import.meta.main) {
  try {
    await checkFirstContact();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

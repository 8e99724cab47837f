/**
 * Test helper: make sure the build outputs a suite needs exist, building each at most once per test
 * process.
 *
 * - `ensureUiBuilt()`: ui/dist (Vite) — built when index.html is missing. Server tests only need some
 *   built UI, not the newest, so an existing build is reused.
 * - `ensureExecutable()`: dist/sage — rebuilt (`scripts/build.ts --skip-ui`) when missing or older than
 *   any source it embeds (src/, db/, skills/, ui/dist, package.json, the build scripts). `scripts/test-all.ts` builds it in
 *   its build stage before `bun test`, so this normally finds it fresh.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dir, "..", "..");
export const EXECUTABLE = join(REPO_ROOT, "dist", "sage");
export const UI_DIST = join(REPO_ROOT, "ui", "dist");

/** The Bun running the tests (tests run under node_modules/.bin/bun; it may not be on PATH). */
const BUN = process.execPath;

let uiBuild: Promise<void> | undefined;
let executableBuild: Promise<string> | undefined;

export function ensureUiBuilt(): Promise<void> {
  uiBuild ??= (async () => {
    if (existsSync(join(UI_DIST, "index.html"))) return;
    await run([
      BUN,
      join(REPO_ROOT, "node_modules", "vite", "bin", "vite.js"),
      "build",
      "--config",
      "ui/vite.config.ts",
      "--logLevel",
      "warn",
    ]);
    if (!existsSync(join(UI_DIST, "index.html")))
      throw new Error("The UI build produced no ui/dist/index.html");
  })();
  return uiBuild;
}

/** Path of a compiled executable no older than the sources it embeds. */
export function ensureExecutable(): Promise<string> {
  executableBuild ??= (async () => {
    await ensureUiBuilt();
    if (existsSync(EXECUTABLE) && !isStale(EXECUTABLE)) return EXECUTABLE;
    await run([BUN, join(REPO_ROOT, "scripts", "build.ts"), "--skip-ui"]);
    if (!existsSync(EXECUTABLE)) throw new Error(`The build produced no ${EXECUTABLE}`);
    return EXECUTABLE;
  })();
  return executableBuild;
}

function isStale(executable: string): boolean {
  const built = statSync(executable).mtimeMs;
  const sources = [
    "src",
    "db",
    "skills",
    "ui/dist",
    "package.json",
    "scripts/build.ts",
    "scripts/build-cold.ts",
  ].map((p) => join(REPO_ROOT, p));
  return sources.some((source) => newestMtime(source) > built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

async function run(command: string[]): Promise<void> {
  const child = Bun.spawn(command, { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([
    child.exited,
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  if (code !== 0) throw new Error(`${command.join(" ")} exited with ${code}\n${out}\n${err}`);
}

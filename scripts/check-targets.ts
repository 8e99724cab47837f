/**
 * CI: compile Sage for every other platform (`bun scripts/build.ts --skip-ui --target T`) and check
 * each executable is that platform's program with that platform's webview library inside.
 *
 * Checks per target, each failing the run with a line saying what was wrong:
 * - the executable's format (ELF for the right machine, Mach-O for the right CPU, PE for Windows);
 * - on Windows the GUI subsystem (no console window opens behind Sage);
 * - the target's webview library is embedded byte for byte, and no other platform's library is.
 *
 * Usage: bun scripts/check-targets.ts [--keep] [TARGET ...]  (default: every target but this machine's;
 * the executables are deleted afterwards unless --keep). Needs ui/dist (built by scripts/build.ts).
 */
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { BUILD_TARGETS, defaultOutfile, hostTarget, parseTarget } from "./build-targets.ts";
import { emulatedProblems, emulator } from "./emulated-run.ts";
import { embeddedProblems, executableProblems } from "./executable-format.ts";

const root = resolve(import.meta.dir, "..");
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;
const args = process.argv.slice(2);
const keep = args.includes("--keep");
const host = hostTarget(process.platform, process.arch);
const named = args.filter((arg) => !arg.startsWith("--")).map(parseTarget);
const targets = named.length > 0 ? named : BUILD_TARGETS.filter((target) => target.name !== host?.name);

const libraryDir = join(root, "node_modules", "webview-bun", "build");
const libraries = new Map<string, Buffer>(
  [...new Set(BUILD_TARGETS.map((target) => target.webviewLibrary))].map((name) => [
    name,
    readFileSync(join(libraryDir, name)),
  ]),
);

let failed = false;
for (const target of targets) {
  const started = performance.now();
  const outfile = join(root, defaultOutfile(target, host));
  const build = Bun.spawn(
    [
      process.execPath,
      join(root, "scripts", "build.ts"),
      "--skip-ui",
      "--target",
      target.name,
      "--outfile",
      outfile,
    ],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  if ((await build.exited) !== 0) {
    console.error(`FAIL ${target.name}: the build failed`);
    failed = true;
    continue;
  }
  const binary = readFileSync(outfile);
  const problems = [...executableProblems(target, binary), ...embeddedProblems(target, binary, libraries)];
  const prefix = problems.length === 0 ? emulator(target) : undefined;
  if (prefix) problems.push(...(await emulatedProblems(prefix, outfile, version)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const size = (binary.length / 1024 / 1024).toFixed(1);
  if (problems.length > 0) {
    failed = true;
    console.error(`FAIL ${target.name}: ${problems.join("; ")}`);
  } else {
    const ran = prefix ? ", ran under emulation (--version, --serve 200)" : "";
    console.log(
      `ok   ${target.name}: ${size} MB, embeds ${target.webviewLibrary}${ran}, done in ${seconds} s`,
    );
  }
  if (!keep) rmSync(outfile, { force: true });
}
process.exit(failed ? 1 : 0);

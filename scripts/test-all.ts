/**
 * The whole test suite, in order, stopping at the first failing stage:
 *   system packages -> typecheck -> lint/format -> build the executable -> first contact (the README's
 *   `npm run app -- --serve` on an empty HOME answers at its printed URL) -> bun test -> Playwright e2e
 * Run through `npm test` (scripts/bootstrap.sh). `--only <stage>` runs one stage (plus what it needs).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkFirstContact } from "./first-contact.ts";
import { ensureSystemPackages } from "./system-packages.ts";

const root = resolve(import.meta.dir, "..");
const bun = process.execPath;
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

interface Stage {
  name: string;
  run(): Promise<void>;
}

async function exec(command: string[], env: Record<string, string> = {}): Promise<void> {
  const child = Bun.spawn(command, {
    cwd: root,
    stdio: ["inherit", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${command.join(" ")} exited with ${code}`);
}

const stages: Stage[] = [
  { name: "system", run: () => ensureSystemPackages() },
  { name: "typecheck", run: () => exec([join(root, "node_modules", ".bin", "tsc"), "--noEmit", "-p", "."]) },
  {
    name: "lint",
    run: async () => {
      await exec([join(root, "node_modules", ".bin", "biome"), "ci", "."]);
      // Layers: no folder cycle, core/ at the bottom, no long file without a reason (see the script).
      await exec([process.execPath, join(root, "scripts", "import-graph.ts"), "--check"]);
      await exec([process.execPath, join(root, "scripts", "import-graph.ts"), "--root", "ui/src", "--check"]);
    },
  },
  { name: "build", run: () => exec([bun, "scripts/build.ts"]) },
  { name: "first-contact", run: () => checkFirstContact() },
  {
    name: "unit",
    run: () => exec([bun, "test", "--timeout", "20000", "--path-ignore-patterns", "test/e2e/**"]),
  },
  {
    name: "e2e",
    run: () => {
      const node = Bun.which("node");
      if (!node) throw new Error("Node.js is needed to run the Playwright tests.");
      if (!existsSync(join(root, "dist", "sage")))
        throw new Error("dist/sage is missing: run the build stage first.");
      return exec([
        node,
        "node_modules/@playwright/test/cli.js",
        "test",
        "-c",
        "test/e2e/playwright.config.ts",
      ]);
    },
  },
];

const timings: string[] = [];
const started = performance.now();
for (const stage of stages) {
  if (only && stage.name !== only && !(stage.name === "system")) continue;
  const t0 = performance.now();
  console.log(`\n=== ${stage.name} ===`);
  try {
    await stage.run();
  } catch (error) {
    console.error(`\nFAILED at stage "${stage.name}": ${(error as Error).message}`);
    process.exit(1);
  }
  timings.push(`${stage.name} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
console.log(
  `\nAll stages passed in ${((performance.now() - started) / 1000).toFixed(1)} s: ${timings.join(", ")}`,
);

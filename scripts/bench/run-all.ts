/**
 * `bun run bench`: every benchmark in this folder, one after another (they compete for the same cores,
 * so never in parallel). The start-up benchmarks need the compiled executable (`bun run build`); the
 * window benchmark also needs Xvfb, xdotool and xwd and is skipped, with a note, without them.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..", "..");
const bun = process.execPath;

const benches: { file: string; args?: string[]; needs?: () => string | undefined }[] = [
  { file: "grep.ts" },
  { file: "memory.ts" },
  { file: "context.ts" },
  { file: "mcp-call.ts" },
  { file: "vacuum-latency.ts" },
  { file: "retained.ts" },
  {
    file: "startup.ts",
    needs: () => (existsSync(join(root, "dist", "sage")) ? undefined : "dist/sage (bun run build)"),
  },
  {
    file: "stream.ts",
    needs: () => (existsSync(join(root, "dist", "sage")) ? undefined : "dist/sage (bun run build)"),
  },
  {
    // A tenth of a heavy year by default; `bun scripts/bench/year-of-use.ts` alone runs the full one.
    file: "year-of-use.ts",
    args: ["--scale", "0.1", "--growth", "100,1000"],
    needs: () => (existsSync(join(root, "dist", "sage")) ? undefined : "dist/sage (bun run build)"),
  },
  {
    file: "soak.ts",
    needs: () => (existsSync(join(root, "dist", "sage")) ? undefined : "dist/sage (bun run build)"),
  },
  {
    file: "long-chat.ts",
    needs: () => (existsSync(join(root, "dist", "sage")) ? undefined : "dist/sage (bun run build)"),
  },
  {
    file: "window.ts",
    needs: () => {
      if (!existsSync(join(root, "dist", "sage"))) return "dist/sage (bun run build)";
      const missing = ["Xvfb", "xdotool", "xwd"].filter((tool) => Bun.which(tool) === null);
      return missing.length > 0 ? missing.join(", ") : undefined;
    },
  },
];

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench.file} ===`);
  const missing = bench.needs?.();
  if (missing) {
    console.log(`skipped: needs ${missing}`);
    continue;
  }
  const child = Bun.spawn([bun, join(import.meta.dir, bench.file), ...(bench.args ?? [])], {
    cwd: root,
    stdio: ["inherit", "inherit", "inherit"],
  });
  if ((await child.exited) !== 0) {
    failed++;
    console.error(`${bench.file} failed`);
  }
}
process.exit(failed > 0 ? 1 : 0);

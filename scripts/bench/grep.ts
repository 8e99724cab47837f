/**
 * Benchmark for the grep tool: generates a 10,000-file source tree in a temp folder (plus a
 * node_modules folder that must be skipped), then times a few searches over it.
 *
 *   bun scripts/bench/grep.ts [fileCount]
 *
 * Target: a search over 10,000 files well under one second.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolContext } from "../../src/agent/tool-contract.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import { grepTool } from "../../src/tools/grep.ts";

const fileCount = Number(process.argv[2] ?? 10_000);
const base = mkdtempSync(join(tmpdir(), "sage-bench-grep-"));

function sourceText(index: number): string {
  const lines = [`import { helper${index % 97} } from "../shared/helper${index % 97}";`, ""];
  for (let block = 0; block < 12; block += 1) {
    lines.push(
      `export function compute${index}_${block}(input: number): number {`,
      `  const scaled = input * ${block + 1} + ${index};`,
      `  return helper${index % 97}(scaled) // step ${block}`,
      "}",
      "",
    );
  }
  if (index % 1000 === 0) lines.push(`// FIXME(bench): marker in file ${index}`);
  return lines.join("\n");
}

const generationStarted = performance.now();
for (let index = 0; index < fileCount; index += 1) {
  const folder = join(base, "src", `area${index % 20}`, `module${index % 25}`);
  if (index < 500) mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `file${index}.ts`), sourceText(index));
}
for (let index = 0; index < 500; index += 1) {
  const folder = join(base, "node_modules", `dependency${index % 50}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `index${index}.js`), "// FIXME(bench): should never be searched\n");
}
const generationSeconds = (performance.now() - generationStarted) / 1000;
console.log(`generated ${fileCount} files (+500 in node_modules) in ${generationSeconds.toFixed(2)} s`);

const ctx: ToolContext = {
  signal: new AbortController().signal,
  workspace: createWorkspace(base),
  sessionId: "bench",
  agentId: "bench",
  turnId: "bench",
  callId: "bench",
  progress: () => undefined,
  ask: async () => null,
  services: {},
};

const searches: Array<{ label: string; params: Parameters<typeof grepTool.execute>[0] }> = [
  { label: "rare literal", params: { pattern: "FIXME\\(bench\\)" } },
  {
    label: "rare, ignore_case, glob *.ts",
    params: { pattern: "fixme\\(BENCH\\)", ignore_case: true, glob: "*.ts" },
  },
  { label: "common (capped at 100)", params: { pattern: "return helper\\d+" } },
  { label: "no match", params: { pattern: "zebra-unicorn" } },
];

try {
  for (const search of searches) {
    const timings: number[] = [];
    let summary = "";
    for (let run = 0; run < 3; run += 1) {
      const started = performance.now();
      const result = await grepTool.execute(search.params, ctx);
      timings.push(performance.now() - started);
      summary = /\d+ matching lines? in \d+ files? \(searched \d+ files?[^)]*\)/.exec(result.text)?.[0] ?? "";
    }
    const [first, ...warm] = timings;
    console.log(
      `${search.label.padEnd(32)} first ${first!.toFixed(0).padStart(4)} ms, then ${warm.map((ms) => `${ms.toFixed(0)} ms`).join(", ")}  ${summary}`,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}

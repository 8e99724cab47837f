/**
 * scripts/import-graph.ts, the layer check the test run's lint stage runs: the real src/ and ui/src/
 * pass it, and a made-up tree with every kind of fault fails it, naming each (an import up the layers,
 * core/ importing from above shared/, a folder cycle, files of one folder importing each other, a folder
 * in no layer).
 */
import { describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";

const repo = resolve(import.meta.dir, "../..");

function graph(...args: string[]): { code: number; out: string } {
  const run = Bun.spawnSync([process.execPath, join(repo, "scripts/import-graph.ts"), ...args], {
    cwd: repo,
  });
  return { code: run.exitCode, out: run.stdout.toString() };
}

describe("import-graph --check", () => {
  test("src/ and ui/src/ pass: no cycle, nothing up the layers, core/ imports only shared/", () => {
    const src = graph("--check");
    expect(src.out).toContain("# Folder cycles: 0");
    expect(src.out).toContain("# Imports up the layers: 0");
    expect(src.out).toContain("# File cycles: 0");
    expect(src.out).toContain("# core/ imports from: nothing but shared/");
    expect(src.code).toBe(0);
    const ui = graph("--root", "ui/src", "--check");
    expect(ui.out).toContain("# Imports up the layers: 0");
    expect(ui.out).not.toContain("core/");
    expect(ui.code).toBe(0);
  });

  test("a tree with faults fails, and the report names each one", () => {
    const { code, out } = graph("--root", "test/fixtures/import-graph/src", "--check");
    expect(code).toBe(1);
    expect(out).toContain("# Folder cycles: 1");
    expect(out).toContain("core / sessions");
    expect(out).toContain("# File cycles: 2");
    expect(out).toContain("core/ids.ts <-> sessions/recorder.ts");
    expect(out).toContain("store/row-kind.ts <-> store/rows.ts");
    expect(out).toContain("# Imports up the layers: 1");
    expect(out).toContain("core -> sessions: core/ids.ts");
    expect(out).toContain("# Folders in no layer (add them to the layers): extra");
    expect(out).toContain("# core/ imports from: sessions");
  });
});

/**
 * Test helper: a real temp workspace and a `ToolContext` for calling tools directly.
 * `ask` always answers null (as if the user cancelled); progress updates are collected.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ProgressUpdate, ToolContext, ToolServices } from "../../src/agent/tool-contract.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";

export interface TestToolContext {
  ctx: ToolContext;
  /** Real (symlink-resolved) workspace root. */
  root: string;
  /** A folder next to the workspace, outside it, for escape tests. */
  outside: string;
  progress: ProgressUpdate[];
  controller: AbortController;
  /** Write a file under the workspace root (parents created). */
  write(path: string, content: string | Uint8Array): string;
  cleanup(): void;
}

export function createTestToolContext(options: { services?: ToolServices } = {}): TestToolContext {
  const base = mkdtempSync(join(tmpdir(), "sage-tools-"));
  const outside = join(base, "outside");
  mkdirSync(outside);
  const workspace = createWorkspace(join(base, "workspace"));
  const progress: ProgressUpdate[] = [];
  const controller = new AbortController();
  const ctx: ToolContext = {
    signal: controller.signal,
    workspace,
    sessionId: "session-test",
    agentId: "agent-test",
    turnId: "turn-test",
    callId: "call-test",
    progress: (update) => progress.push(update),
    ask: async () => null,
    services: options.services ?? {},
  };
  return {
    ctx,
    root: workspace.root,
    outside,
    progress,
    controller,
    write(path, content) {
      const absolutePath = join(workspace.root, path);
      mkdirSync(dirname(absolutePath), { recursive: true });
      writeFileSync(absolutePath, content);
      return absolutePath;
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

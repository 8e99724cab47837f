/**
 * The fake model server as a child process for Playwright specs (they run on Node; the fake model is
 * Bun code): test/fixtures/fake-model/cli.ts, whose header lists its options and control routes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "./fixtures.ts";

export const BUN = join(REPO_ROOT, "node_modules", ".bin", "bun");
export const FAKE_MODEL_CLI = join(REPO_ROOT, "test", "fixtures", "fake-model", "cli.ts");

export interface FakeModelProcess {
  url: string;
  control: string;
  process: ChildProcess;
}

/** Start the fake model CLI with `args`; resolves once it printed its URLs. */
export async function spawnFakeModel(args: string[]): Promise<FakeModelProcess> {
  const child = spawn(BUN, [FAKE_MODEL_CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const urls = await new Promise<{ url: string; control: string }>((resolveUrls, reject) => {
    const timer = setTimeout(() => reject(new Error(`the fake model printed nothing:\n${output}`)), 15_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n")[0];
      if (output.includes("\n") && line) {
        clearTimeout(timer);
        resolveUrls(JSON.parse(line) as { url: string; control: string });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("exit", (code) => reject(new Error(`the fake model exited (${code}):\n${output}`)));
  });
  return { ...urls, process: child };
}

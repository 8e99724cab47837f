/**
 * The fake model server in a child process (scripts/bench/fake-model-process.ts), for benchmarks that
 * drive the compiled executable: the measuring process must not share its event loop with the model.
 */
import { join } from "node:path";
import type { FakeReply } from "../../test/fixtures/fake-model/index.ts";

export interface ModelProcess {
  /** The model's base URL (give it to seedDataDir). */
  url: string;
  enqueue(...replies: FakeReply[]): Promise<void>;
  /** Send times of the content deltas of the most recent streamed answer. */
  sentAt(): Promise<number[]>;
  stop(): Promise<void>;
}

/**
 * Start `script` (a model server in scripts/bench/) in its own process and read the first line it
 * prints (JSON: its address, and what else it says). `stop()` closes its stdin, which ends it.
 */
export async function spawnModelScript<Info extends { url: string }>(
  script: string,
  args: string[] = [],
): Promise<{ info: Info; stop(): Promise<void> }> {
  const child = Bun.spawn([process.execPath, join(import.meta.dir, script), ...args], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`${script} exited before printing its address`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return {
    info: JSON.parse(text.slice(0, text.indexOf("\n"))) as Info,
    async stop() {
      child.stdin.end();
      await child.exited;
    },
  };
}

export async function startModelProcess(): Promise<ModelProcess> {
  const { info, stop } = await spawnModelScript<{ url: string; control: string }>("fake-model-process.ts");
  const { url, control } = info;
  return {
    url,
    async enqueue(...replies) {
      const response = await fetch(`${control}/enqueue`, { method: "POST", body: JSON.stringify(replies) });
      if (!response.ok) throw new Error(`enqueue failed: ${await response.text()}`);
    },
    async sentAt() {
      return (await (await fetch(`${control}/sent-at`)).json()) as number[];
    },
    stop,
  };
}

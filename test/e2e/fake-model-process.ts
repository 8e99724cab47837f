/**
 * The fake model server as a child process for Playwright specs (they run on Node; the fake model is
 * Bun code): test/fixtures/fake-model/cli.ts, whose header lists its options and control routes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { expect, REPO_ROOT, type SageApp } from "./fixtures.ts";

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

/** The fake model's one model, as most specs configure it. */
export const FAKE_MODELS = [{ id: "fake-model", contextWindow: 128_000, tools: true }];

/** Add the fake model at `baseUrl` as Sage's default provider (its first model the default model). */
export async function addFakeProvider(
  request: APIRequestContext,
  sage: SageApp,
  baseUrl: string,
  apiKey: string,
  models: { id: string; contextWindow: number; tools: boolean; vision?: boolean }[] = FAKE_MODELS,
): Promise<void> {
  const response = await request.post(`${sage.baseURL}/api/providers`, {
    headers: { authorization: `Bearer ${sage.token}` },
    data: {
      name: "Fake",
      kind: "openai-compatible",
      baseUrl,
      apiKey,
      models,
      defaultModel: models[0]?.id,
      isDefault: true,
    },
  });
  expect(response.status(), await response.text()).toBe(200);
}

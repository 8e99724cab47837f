/**
 * First run end to end, against the compiled app and the fake model server (a separate process, see
 * test/fixtures/fake-model/cli.ts) posing as a custom OpenAI-compatible provider: the wizard opens on
 * its own, shows a clear message for an unreachable port and for a wrong key (the fake's real 401),
 * validates as the user types, lists the models, finishes into a new chat, and the chat answers. Then
 * Settings: the key is masked, agents export and import (a corrupted file changes nothing), skip works.
 * One run is on a brand-new account: the default folders under an empty HOME, no --data-dir.
 */
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { type FakeModelProcess, spawnFakeModel } from "./fake-model-process.ts";
import { expect, type SageApp, test } from "./fixtures.ts";

const API_KEY = "sk-e2e-wizard-key-5f2c91d7";
const REPLY = "Hello from the fake model";

function startFakeModel(): Promise<FakeModelProcess> {
  return spawnFakeModel(["--api-key", API_KEY, "--default-text", REPLY]);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 9;
      server.close(() => resolvePort(port));
    });
  });
}

async function apiGet(request: APIRequestContext, sage: SageApp, path: string): Promise<string> {
  const response = await request.get(`${sage.baseURL}${path}`, {
    headers: { authorization: `Bearer ${sage.token}` },
  });
  expect(response.status()).toBe(200);
  return response.text();
}

/** Run the wizard through against the fake model (used by the Settings test to get a configured app). */
async function finishWizard(page: Page, fake: FakeModelProcess): Promise<void> {
  await page.getByTestId("preset-custom").click();
  await page.getByTestId("provider-name").fill("Fake");
  await page.getByTestId("provider-base-url").fill(fake.url);
  await page.getByTestId("provider-api-key").fill(API_KEY);
  await page.getByTestId("test-connection").click();
  await expect(page.getByTestId("connection-result")).toHaveAttribute("data-ok", "true");
  await page.getByTestId("default-model").selectOption("fake-model");
  await page.getByTestId("provider-save").click();
  await expect(page).toHaveURL(/\/s\/[^/]+$/);
}

let fake: FakeModelProcess;
test.beforeEach(async () => {
  fake = await startFakeModel();
});
test.afterEach(() => {
  fake.process.kill("SIGTERM");
});

test("first run: the wizard, its failure messages, then chatting right away", async ({
  page,
  request,
  sage,
}) => {
  test.setTimeout(90_000);
  await page.goto(sage.launchUrl);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByTestId("setup-step-provider")).toBeVisible();
  for (const preset of [
    "openai",
    "anthropic",
    "google",
    "deepseek",
    "openrouter",
    "moonshot",
    "zhipu",
    "dashscope",
    "ollama",
    "lmstudio",
  ]) {
    await expect(page.getByTestId(`preset-${preset}`)).toBeVisible();
  }
  await expect(
    page.getByTestId("key-storage-notice").or(page.getByTestId("key-storage-keychain")),
  ).toBeVisible();

  await page.getByTestId("preset-custom").click();
  await expect(page.getByTestId("setup-step-connect")).toBeVisible();

  // Validation as the user types.
  await page.getByTestId("provider-name").fill("");
  await expect(page.getByTestId("error-provider-name")).toHaveText("Required.");
  await page.getByTestId("provider-name").fill("Fake");
  await expect(page.getByTestId("error-provider-name")).toBeHidden();
  await page.getByTestId("provider-base-url").fill("localhost:1234");
  await expect(page.getByTestId("error-provider-base-url")).toContainText("http://");
  await expect(page.getByTestId("test-connection")).toBeDisabled();

  // Unreachable port.
  await page.getByTestId("provider-base-url").fill(`http://127.0.0.1:${await closedPort()}/v1`);
  await page.getByTestId("provider-api-key").fill(API_KEY);
  // The button at the window's bottom edge (as on a first run in a 800 px window), pressed from the
  // keyboard so that nothing scrolls for the test's sake.
  const testButton = page.getByTestId("test-connection");
  await testButton.evaluate((element) => element.scrollIntoView({ block: "end" }));
  await testButton.focus();
  await page.keyboard.press("Enter");
  const result = page.getByTestId("connection-result");
  await expect(result).toHaveAttribute("data-code", "network");
  await expect(page.getByTestId("connection-headline")).toHaveText("The server cannot be reached.");
  await expect(page.getByTestId("connection-message")).toContainText("could not be reached");
  // The answer under the button is scrolled into sight, not left below the fold.
  await expect(result).toBeInViewport({ ratio: 1 });

  // Wrong key: the fake answers a real 401.
  await page.getByTestId("provider-base-url").fill(fake.url);
  await page.getByTestId("provider-api-key").fill("sk-wrong-key-000000");
  await page.getByTestId("test-connection").click();
  await expect(result).toHaveAttribute("data-code", "auth");
  await expect(page.getByTestId("connection-headline")).toHaveText("The API key was rejected.");
  await expect(page.getByTestId("connection-message")).toContainText("401");
  await expect(page.getByTestId("default-model")).toHaveCount(0);

  // The right key: models listed, a tiny real request answered.
  await page.getByTestId("provider-api-key").fill(API_KEY);
  await page.getByTestId("test-connection").click();
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(page.getByTestId("connection-headline")).toContainText("fake-model");
  await expect(page.getByTestId("default-model")).toHaveValue("fake-model");
  await expect(result).toBeInViewport({ ratio: 1 });
  await page.getByTestId("provider-save").click();

  // A new chat with the default agent, and it answers.
  await expect(page).toHaveURL(/\/s\/[^/]+$/);
  await page.getByTestId("composer-input").fill("Hi there");
  await page.getByTestId("send").click();
  await expect(page.locator('[data-testid="message"][data-role="assistant"]').getByText(REPLY)).toBeVisible({
    timeout: 30_000,
  });

  const providers = JSON.parse(await apiGet(request, sage, "/api/providers")) as {
    providers: { name: string; isDefault: boolean; defaultModel: string; keyHint: string }[];
  };
  expect(providers.providers).toEqual([
    expect.objectContaining({
      name: "Fake",
      isDefault: true,
      defaultModel: "fake-model",
      keyHint: `sk-…${API_KEY.slice(-4)}`,
    }),
  ]);
  const status = JSON.parse(await apiGet(request, sage, "/api/setup/status")) as { needsSetup: boolean };
  expect(status.needsSetup).toBe(false);
  expect(await page.content()).not.toContain(API_KEY);

  // Reloading the start page no longer opens the wizard.
  await page.goto(`${sage.baseURL}/`);
  await expect(page.getByTestId("setup-page")).toHaveCount(0);
});

test("settings: masked key, agent export and import, corrupted file refused", async ({ page, sage }) => {
  test.setTimeout(90_000);
  await page.goto(sage.launchUrl);
  await expect(page).toHaveURL(/\/setup$/);
  await finishWizard(page, fake);

  await page.goto(`${sage.baseURL}/settings/providers`);
  const row = page.getByTestId("provider-row");
  await expect(row).toContainText(`sk-…${API_KEY.slice(-4)}`);
  await row.getByTestId("provider-edit").click();
  await expect(page.getByTestId("provider-api-key")).toHaveValue("");
  expect(await page.content()).not.toContain(API_KEY);
  await page.getByTestId("provider-cancel").click();

  await page.goto(`${sage.baseURL}/settings/agents`);
  // The page opens on the default agent's form, not an empty pane.
  await expect(page.getByTestId("agent-name")).toHaveValue("Sage");
  await page.getByTestId("agent-new").click();
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("error-agent-name")).toHaveText("Required.");
  await page.getByTestId("agent-name").fill("sage");
  await expect(page.getByTestId("error-agent-name")).toHaveText("This name is already used.");
  await page.getByTestId("agent-name").fill("Researcher");
  await page.getByTestId("agent-workspace").fill("relative/folder");
  await expect(page.getByTestId("error-agent-workspace")).toContainText("absolute path");
  await page.getByTestId("agent-workspace").fill("");
  await page.getByTestId("agent-system-prompt").fill("Cite every source.");
  await page.getByTestId("agent-save").click();
  await expect(page.getByTestId("agent-row").filter({ hasText: "Researcher" })).toBeVisible();

  const downloading = page.waitForEvent("download");
  await page.getByTestId("agent-export-yaml").click();
  const download = await downloading;
  const exported = readFileSync(await download.path(), "utf8");
  expect(exported).toContain("format: sage.agent.v1");
  expect(exported).toContain("Cite every source.");

  await page.getByTestId("agent-import-file").setInputFiles({
    name: "researcher.yaml",
    mimeType: "application/yaml",
    buffer: Buffer.from(exported),
  });
  // A new agent from a file starts delegating to no one: handing tasks to the other agents is reviewed.
  const review = page.getByTestId("agent-import-review");
  await expect(review.getByTestId("widened-delegates")).toBeVisible();
  await review.getByTestId("widened-delegates").getByTestId("widened-accept").check();
  await review.getByTestId("confirm-action").click();
  await expect(page.getByTestId("agent-row").filter({ hasText: "Researcher (2)" })).toBeVisible();
  const count = await page.getByTestId("agent-row").count();

  await page.getByTestId("agent-import-file").setInputFiles({
    name: "broken.json",
    mimeType: "application/json",
    buffer: Buffer.from('{"format": "sage.agent.v1", "agent": {"name": ""'),
  });
  await expect(
    page.getByTestId("toast").filter({ hasText: /^Could not import broken\.json: .+ Nothing was changed\./ }),
  ).toBeVisible();
  await expect(page.getByTestId("agent-row")).toHaveCount(count);
});

test("the wizard can be skipped and reopened from Settings", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByTestId("setup-skip").click();
  await expect(page).not.toHaveURL(/\/setup$/);
  await page.goto(`${sage.baseURL}/`);
  await expect(page.getByTestId("setup-page")).toHaveCount(0);
  // The start page says no model is set up yet; a message sent anyway says why and leads to where one
  // is added.
  await expect(page.getByTestId("no-model-notice")).toContainText("No model is set up yet");
  await expect(
    page.getByTestId("no-model-notice").getByRole("link", { name: "Set up a model" }),
  ).toHaveAttribute("href", "/setup");
  await page.getByRole("button", { name: "+ New chat" }).first().click();
  await page.getByTestId("composer-input").fill("Hello?");
  await page.getByTestId("composer-input").press("Enter");
  const error = page.getByTestId("error-part");
  await expect(error).toContainText("No model is configured yet");
  await error.getByTestId("error-settings").click();
  await expect(page).toHaveURL(/\/settings\/providers$/);
  await page.goto(`${sage.baseURL}/settings/providers`);
  await page.getByTestId("rerun-setup").click();
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByTestId("setup-step-provider")).toBeVisible();
});

test("the connect step says where the key really goes; the custom choice links to no vendor", async ({
  page,
  request,
  sage,
}) => {
  const { keyStorage } = JSON.parse(await apiGet(request, sage, "/api/providers")) as {
    keyStorage: "keychain" | "encrypted-file";
  };
  await page.goto(sage.launchUrl);
  await expect(page).toHaveURL(/\/setup$/);

  // A cloud preset: its own key page, then where the key is stored, as the server reports it.
  await page.getByTestId("preset-openai").click();
  const hint = page.locator("#provider-api-key-hint");
  await expect(hint).toContainText("Get a key at");
  if (keyStorage === "encrypted-file") {
    await expect(hint).toContainText("Stored encrypted in Sage's data folder");
    await expect(hint).not.toContainText("keychain,");
    await expect(page.getByTestId("key-storage-notice")).toBeVisible();
  } else {
    await expect(hint).toContainText("Stored in your system keychain");
    await expect(page.getByTestId("key-storage-notice")).toHaveCount(0);
  }
  await page.getByTestId("setup-back").click();

  // The custom server: a neutral explanation with example addresses, no link to any company's docs.
  await page.getByTestId("preset-custom").click();
  const connect = page.getByTestId("setup-step-connect");
  await expect(page.getByTestId("custom-explainer")).toContainText("OpenAI chat completions API");
  for (const example of ["Ollama", "LM Studio", "llama.cpp", "vLLM", "http://127.0.0.1:11434/v1"]) {
    await expect(page.getByTestId("custom-explainer")).toContainText(example);
  }
  await expect(connect.locator("a[href^='http']")).toHaveCount(0);
  await expect(hint).toContainText(
    keyStorage === "encrypted-file" ? "Stored encrypted in Sage's data folder" : "system keychain",
  );
});

test.describe("on a brand-new account (empty HOME, no XDG_*, no SAGE_HOME, no --data-dir)", () => {
  test.use({ sageFolders: "fresh-home" });

  test("Sage creates its private folders, the wizard finishes and the first message is answered", async ({
    page,
    request,
    sage,
  }) => {
    test.setTimeout(60_000);
    const home = sage.home as string;
    await page.goto(sage.launchUrl);
    await expect(page).toHaveURL(/\/setup$/);
    await finishWizard(page, fake);
    await page.getByTestId("composer-input").fill("Hi there");
    await page.getByTestId("send").click();
    await expect(page.locator('[data-testid="message"][data-role="assistant"]').getByText(REPLY)).toBeVisible(
      { timeout: 30_000 },
    );

    const health = JSON.parse(await apiGet(request, sage, "/api/health")) as { dataDir: string };
    expect(health.dataDir).toBe(join(home, ".local", "share", "sage"));
    const modes = Object.fromEntries(
      [".local/share/sage", ".config/sage", ".local/state/sage", ".local/state/sage/logs"].map((dir) => [
        dir,
        (statSync(join(home, dir)).mode & 0o777).toString(8),
      ]),
    );
    expect(modes).toEqual({
      ".local/share/sage": "700",
      ".config/sage": "700",
      ".local/state/sage": "700",
      ".local/state/sage/logs": "700",
    });
  });
});

/**
 * A refused import says what failed (the file), why, and that nothing was changed — once. The settings
 * import said "Import refused, nothing changed: The settings file is invalid: … Nothing was changed.";
 * the exact texts shown for bad settings, chat and agent files, in English and Chinese.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";

const SETTINGS_BASE = {
  format: "sage.settings.v1",
  settings: {},
  environment: [],
  providers: [],
  agents: [],
};

function toastText(page: Page) {
  return page.getByTestId("toast").last().locator("span").first();
}

test("a bad settings file: one clear message, in English and Chinese", async ({ page, sage }) => {
  const folder = mkdtempSync(join(tmpdir(), "sage-e2e-import-errors-"));
  const invalid = join(folder, "bad-settings.json");
  const unreadable = join(folder, "broken.json");
  writeFileSync(invalid, JSON.stringify({ ...SETTINGS_BASE, settings: { theme: "purple" } }));
  writeFileSync(unreadable, '{"format": "sage.settings.v1", ');
  try {
    await page.goto(sage.launchUrl);
    await page.goto(`${sage.baseURL}/settings/general`);
    await page.getByTestId("setting-language").selectOption("en");
    const error = page.getByTestId("settings-import-error");

    await page.getByTestId("settings-import-file").setInputFiles(invalid);
    await expect(error).toHaveText(
      "Could not import bad-settings.json: The settings file is invalid: settings.theme is not valid. Nothing was changed.",
    );

    await page.getByTestId("settings-import-file").setInputFiles(unreadable);
    await expect(error).toHaveText(
      /^Could not import broken\.json: The file cannot be read as JSON or YAML \(.+\)\. Nothing was changed\.$/,
    );
    expect((await error.textContent())?.match(/nothing (was )?changed/gi)).toHaveLength(1);

    // Chinese: the same shape; the reason comes from the server, in English.
    await page.getByTestId("setting-language").selectOption("zh");
    await page.getByTestId("settings-import-file").setInputFiles(invalid);
    await expect(error).toHaveText(
      "无法导入 bad-settings.json：The settings file is invalid: settings.theme is not valid. 未做任何更改。",
    );
    // Nothing was changed indeed: the theme is not "purple" and the language stayed.
    await expect(page.getByTestId("setting-language")).toHaveValue("zh");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("bad chat and agent files: one clear message each", async ({ page, sage }) => {
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/settings/general`);
  await page.getByTestId("setting-language").selectOption("en");
  const importChat = async (name: string, content: string) => {
    const chooser = page.waitForEvent("filechooser");
    await page.getByTestId("chat-import").click();
    await (await chooser).setFiles({ name, mimeType: "application/json", buffer: Buffer.from(content) });
  };

  await importChat("notes.txt", "not json at all");
  await expect(toastText(page)).toHaveText(
    "Could not import notes.txt: The file is not JSON. Nothing was changed.",
  );
  await importChat("other.json", JSON.stringify({ hello: "world" }));
  await expect(toastText(page)).toHaveText(
    /^Could not import other\.json: This is not a Sage session export \(sage\.session\.v1\): .+\. Nothing was changed\.$/,
  );

  await page.goto(`${sage.baseURL}/settings/agents`);
  await page.getByTestId("agent-import-file").setInputFiles({
    name: "agent.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ agent: { name: "No format" } })),
  });
  await expect(toastText(page)).toHaveText(
    'Could not import agent.json: This is not an agent file: "format: sage.agent.v1" is missing. Nothing was changed.',
  );

  await page.goto(`${sage.baseURL}/settings/general`);
  await page.getByTestId("setting-language").selectOption("zh");
  await expect(page.getByTestId("settings-nav-general")).toHaveText("通用");
  await page.goto(`${sage.baseURL}/settings/agents`);
  await page.getByTestId("agent-import-file").setInputFiles({
    name: "agent.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ agent: { name: "No format" } })),
  });
  await expect(toastText(page)).toHaveText(
    '无法导入 agent.json：This is not an agent file: "format: sage.agent.v1" is missing. 未做任何更改。',
  );
});

/**
 * What Sage picks up from where the agent works, in the window: the skill list shows skills read in place
 * from the workspace's `.claude/skills` and from `~/.claude/skills` with their folder (and the home one as
 * overridden when the workspace has the same name; a same-named skill in a later workspace folder listed as
 * not used, and why); the chat header shows which instruction files are in the
 * system prompt, and the model received the workspace's AGENTS.md; the agent form has a switch per source;
 * `.skill` packages import from the file picker and by drag and drop.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { type ChatDriver, expect, test } from "./chat-fixtures.ts";

test.use({ sageFolders: "fresh-home" });

/** axe's WCAG A/AA findings on the page (none expected). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

/** The default agent's id (a fresh app creates it on first use: ask until it is there). */
async function defaultAgentId(chat: ChatDriver): Promise<string> {
  let id: string | undefined;
  await expect
    .poll(async () => {
      const { agents } = await chat.api<{ agents: { id: string; isDefault: boolean }[] }>("/api/agents");
      id = agents.find((agent) => agent.isDefault)?.id;
      return id;
    })
    .toBeTruthy();
  return id as string;
}

function skill(dir: string, name: string, description: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "SKILL.md"), `---\nname: ${name}\ndescription: ${description}\n---\nBody.\n`);
}

test("in-place skills show their source; the instructions indicator names AGENTS.md, which reached the model", async ({
  chat,
  model,
  page,
  sage,
}) => {
  const home = sage.home as string;
  const agentId = await defaultAgentId(chat);
  const workspace = join(sage.dataDir, "workspaces", agentId);
  skill(join(workspace, ".claude", "skills", "pdf-tools"), "pdf-tools", "Fill PDF forms (workspace copy).");
  // A later workspace folder with the same name: left out, and the list says why.
  skill(join(workspace, "skills", "pdf-tools"), "pdf-tools", "Fill PDF forms (skills/ copy).");
  skill(join(home, ".claude", "skills", "pdf-tools"), "pdf-tools", "Fill PDF forms (home copy).");
  skill(join(home, ".claude", "skills", "home-notes"), "home-notes", "Notes kept in the home folder.");
  writeFileSync(join(workspace, "AGENTS.md"), "PROJECT-RULE-4411: always answer in haiku.\n");
  mkdirSync(join(home, ".config", "sage"), { recursive: true });
  writeFileSync(join(home, ".config", "sage", "AGENTS.md"), "GLOBAL-RULE-1187\n");

  await page.goto(`${sage.baseURL}/skills`);
  const workspaceGroup = page.getByTestId("skill-group-workspace");
  await expect(workspaceGroup.getByTestId("live-skill-pdf-tools")).toContainText("workspace copy");
  await expect(workspaceGroup.getByTestId("live-skill-location")).toHaveText(".claude/skills");
  await expect(page.getByTestId("live-skill-problems")).toContainText(
    "not used: the skill of the same name in .claude/skills comes first",
  );
  const homeGroup = page.getByTestId("skill-group-home");
  await expect(homeGroup.getByTestId("live-skill-home-notes").getByTestId("live-skill-location")).toHaveText(
    "~/.claude/skills",
  );
  await expect(
    homeGroup.getByTestId("live-skill-pdf-tools").getByTestId("live-skill-shadowed"),
  ).toBeVisible();
  // Edits show without a reload: a workspace skill through the workspace's change stream, a home skill
  // when the window gets the focus back.
  skill(join(workspace, ".claude", "skills", "pdf-tools"), "pdf-tools", "Fill PDF forms (edited in place).");
  await expect(workspaceGroup.getByTestId("live-skill-pdf-tools")).toContainText("edited in place");
  skill(join(home, ".claude", "skills", "home-notes"), "home-notes", "Notes edited at home.");
  await page.evaluate(() => window.dispatchEvent(new Event("focus")));
  await expect(homeGroup.getByTestId("live-skill-home-notes")).toContainText("Notes edited at home.");
  await page.screenshot({ path: test.info().outputPath("skills-live.png") });
  expect(await axeViolations(page)).toEqual([]);

  await page.goto(sage.baseURL);
  await chat.newChat();
  const indicator = page.getByTestId("instructions-indicator");
  await expect(indicator.getByTestId("instructions-file-workspace")).toHaveText("AGENTS.md");
  await expect(indicator.getByTestId("instructions-file-global")).toContainText("AGENTS.md");
  await expect(indicator).toHaveAttribute(
    "title",
    new RegExp(workspace.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
  );

  await model.enqueue({ text: "Haiku reply 5-7-5." });
  await chat.exchange("hello", "Haiku reply 5-7-5.");
  const requests = await model.requests();
  const agentRequest = requests.find((recorded) =>
    recorded.body?.messages?.some(
      (m) => m.role === "system" && String(m.content).includes("PROJECT-RULE-4411"),
    ),
  );
  expect(agentRequest, "a model request whose system prompt carries AGENTS.md").toBeDefined();

  // Each turn reads the files anew, and so does the indicator: the global file removed, the next turn
  // and the header no longer name it.
  rmSync(join(home, ".config", "sage", "AGENTS.md"));
  await model.enqueue({ text: "Second haiku." });
  await chat.exchange("again", "Second haiku.");
  await expect(indicator.getByTestId("instructions-file-global")).toHaveCount(0);
  await expect(indicator.getByTestId("instructions-file-workspace")).toHaveText("AGENTS.md");
  await page.screenshot({ path: test.info().outputPath("chat-indicator.png") });
  expect(await axeViolations(page)).toEqual([]);
});

test("the agent form switches an in-place source off for that agent", async ({ chat, page, sage }) => {
  const home = sage.home as string;
  skill(join(home, ".agents", "skills", "home-only"), "home-only", "Only in the home folder.");
  const agentId = await defaultAgentId(chat);
  await page.goto(`${sage.baseURL}/settings/agents`);
  await page.locator(`[data-testid="agent-row"][data-agent-id="${agentId}"]`).click();
  const toggle = page.locator("#agent-skills-home");
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await page.getByTestId("agent-save").click();
  await expect
    .poll(async () => {
      const context = await chat.api<{ sources: { home: boolean }; skills: { name: string }[] }>(
        `/api/agents/${agentId}/project-context`,
      );
      return { home: context.sources.home, skills: context.skills.map((entry) => entry.name) };
    })
    .toEqual({ home: false, skills: [] });
});

test(".skill packages import from the file picker and by dropping them on the Skills page", async ({
  page,
  sage,
}) => {
  const { strToU8, zipSync } = await import("fflate");
  const pack = (name: string) =>
    Buffer.from(
      zipSync({
        [`${name}/SKILL.md`]: strToU8(
          `---\nname: ${name}\ndescription: Packaged by skill-creator.\n---\nSteps.\n`,
        ),
        [`${name}/scripts/run.py`]: strToU8("print('hi')\n"),
      }),
    );
  await page.goto(sage.launchUrl);
  await page.goto(`${sage.baseURL}/skills`);
  await page.getByTestId("skills-import").click();
  const dialog = page.getByTestId("import-dialog");
  const input = dialog.getByTestId("import-zip-input");
  await expect(input).toHaveAttribute("accept", /\.skill/);
  await input.setInputFiles({
    name: "picked.skill",
    mimeType: "application/octet-stream",
    buffer: pack("picked"),
  });
  await expect(dialog.getByTestId("import-result")).toHaveAttribute("data-ok", "true");
  await dialog.getByTestId("import-close").click();
  await expect(page.getByTestId("skill-group-imported").getByTestId("skill-row-picked")).toBeVisible();

  // Drag and drop onto the page, as a file manager would.
  const data = pack("dropped").toString("base64");
  await page.getByTestId("skills-page").evaluate((target, base64) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "dropped.skill"));
    target.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, data);
  await expect(page.getByTestId("skill-group-imported").getByTestId("skill-row-dropped")).toBeVisible();
});

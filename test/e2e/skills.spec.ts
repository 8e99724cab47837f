/**
 * The skill library end to end, against the compiled app and the fake model server (a separate process,
 * see test/fixtures/fake-model/cli.ts): create a skill in the UI and edit it, pin it with `/name` in a
 * chat, and check that the model request after `load_skill` carries its body; import a `.zip`; a
 * malformed skill shows its diagnostic.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { addFakeProvider, type FakeModelProcess, spawnFakeModel } from "./fake-model-process.ts";
import { expect, test } from "./fixtures.ts";

const API_KEY = "e2e-key-0001";
const SKILL = "haiku-writer";
const MARKER = "HAIKU-BODY-MARKER-575";

interface RecordedRequest {
  path: string;
  body?: { messages?: { role: string; content: unknown }[] };
}

function startFakeModel(args: string[]): Promise<FakeModelProcess> {
  return spawnFakeModel(["--api-key", API_KEY, ...args]);
}

function skillText(name: string): string {
  return [
    "---",
    `name: ${name}`,
    "description: Write haiku about anything. Use when the user asks for a poem.",
    "---",
    "",
    `# ${MARKER}`,
    "",
    "Count syllables 5-7-5 and never rhyme.",
    "",
  ].join("\n");
}

test.describe("skill library", () => {
  let fake: FakeModelProcess;

  test.beforeAll(async () => {
    fake = await startFakeModel(["--load-skill", SKILL, "--default-text", "A title"]);
  });
  test.afterAll(() => {
    fake?.process.kill("SIGTERM");
  });

  test("create a skill in the UI, pin it with /name: the request after load_skill carries its body", async ({
    page,
    request,
    sage,
  }) => {
    test.setTimeout(90_000);
    await addFakeProvider(request, sage, fake.url, API_KEY);
    await page.goto(sage.launchUrl);
    await page.goto(`${sage.baseURL}/skills`);

    await page.getByTestId("skills-new").click();
    const dialog = page.getByTestId("create-skill-dialog");
    await dialog.getByTestId("new-skill-name").fill("Haiku Writer");
    await expect(dialog.getByTestId("create-skill-submit")).toBeDisabled();
    await dialog.getByTestId("new-skill-name").fill(SKILL);
    await dialog.getByTestId("new-skill-description").fill("Write haiku.");
    await dialog.getByTestId("create-skill-submit").click();
    await expect(page).toHaveURL(new RegExp(`/skills/${SKILL}$`));
    await expect(page.getByTestId(`skill-row-${SKILL}`)).toBeVisible();
    await expect(page.getByTestId("skill-group-user")).toContainText(SKILL);

    const editor = page.getByTestId("skill-editor");
    await expect(editor).toHaveValue(/name: haiku-writer/);
    await editor.fill(skillText(SKILL));
    await expect(page.getByTestId("skill-unsaved")).toBeVisible();
    await expect(page.getByTestId("skill-preview").getByRole("heading", { name: MARKER })).toBeVisible();
    await editor.press("Control+s");
    await expect(page.getByTestId("skill-unsaved")).toBeHidden();
    expect(readFileSync(join(sage.dataDir, "skills", SKILL, "SKILL.md"), "utf8")).toContain(MARKER);

    await page.getByTestId("new-chat").click();
    await expect(page).toHaveURL(/\/s\/[^/]+$/);
    await page.getByTestId("composer-input").fill(`/${SKILL} one about the sea`);
    await page.getByTestId("send").click();
    await expect(page.getByText(`Done with ${SKILL}.`)).toBeVisible({ timeout: 30_000 });

    const requests = (await (await fetch(`${fake.control}/__requests`)).json()) as RecordedRequest[];
    const turn = requests.filter((recorded) => JSON.stringify(recorded.body ?? {}).includes("load_skill"));
    expect(turn.length).toBeGreaterThanOrEqual(2);
    // Pinned: the first request already has the body (system prompt); the one after the load_skill call
    // carries it as the tool's result.
    expect(JSON.stringify(turn[0]?.body?.messages?.[0])).toContain(MARKER);
    const afterLoad = turn.find((recorded) =>
      recorded.body?.messages?.some((message) => message.role === "tool"),
    );
    const toolMessage = afterLoad?.body?.messages?.find((message) => message.role === "tool");
    expect(JSON.stringify(toolMessage?.content)).toContain(MARKER);
    expect(JSON.stringify(toolMessage?.content)).toContain(`<skill name=\\"${SKILL}\\">`);
  });

  test("import a .zip; a malformed skill shows its diagnostic", async ({ page, sage }) => {
    const broken = join(sage.dataDir, "skills", "bad-skill");
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, "SKILL.md"), "---\nname: bad-skill\n---\n\nNo description here.\n");

    await page.goto(sage.launchUrl);
    await page.goto(`${sage.baseURL}/skills`);
    const row = page.getByTestId("skill-row-bad-skill");
    await expect(row.getByTestId("skill-row-invalid")).toBeVisible();
    await expect(row.getByTestId("skill-row-problem")).toContainText("SKILL.md");
    await expect(row.getByTestId("skill-row-problem")).toContainText("description");
    await row.click();
    const problem = page.getByTestId("skill-detail").getByTestId("skill-problem").first();
    await expect(problem).toHaveAttribute("data-severity", "error");
    await expect(problem.getByTestId("skill-problem-file")).toHaveText("SKILL.md");
    await expect(problem.getByTestId("skill-problem-message")).toContainText(
      "missing required field 'description'",
    );

    const zip = zipSync({
      "zipped-skill/SKILL.md": strToU8(
        "---\nname: zipped-skill\ndescription: Came in a zip file.\n---\n\nSteps from the zip.\n",
      ),
      "zipped-skill/notes/guide.md": strToU8("# Guide\n"),
    });
    await page.getByTestId("skills-import").click();
    const dialog = page.getByTestId("import-dialog");
    await dialog
      .getByTestId("import-zip-input")
      .setInputFiles({ name: "zipped-skill.zip", mimeType: "application/zip", buffer: Buffer.from(zip) });
    await expect(dialog.getByTestId("import-result")).toHaveAttribute("data-ok", "true");
    await expect(dialog.getByTestId("import-result")).toContainText("zipped-skill");

    // The same archive again: the name is taken, and "Replace" overwrites it.
    await dialog
      .getByTestId("import-zip-input")
      .setInputFiles({ name: "zipped-skill.zip", mimeType: "application/zip", buffer: Buffer.from(zip) });
    const clash = dialog.getByTestId("import-result").nth(1);
    await expect(clash).toHaveAttribute("data-ok", "false");
    await expect(clash).toContainText("already exists");
    await clash.getByTestId("import-replace").click();
    await expect(clash).toHaveAttribute("data-ok", "true");

    // A corrupt archive is refused with a clear message.
    await dialog
      .getByTestId("import-zip-input")
      .setInputFiles({ name: "broken.zip", mimeType: "application/zip", buffer: Buffer.from("not a zip") });
    await expect(dialog.getByTestId("import-result").nth(2)).toContainText("not a valid zip archive");

    await dialog.getByTestId("import-close").click();
    await expect(
      page.getByTestId("skill-group-imported").getByTestId("skill-row-zipped-skill"),
    ).toBeVisible();
    await page.getByTestId("skill-row-zipped-skill").click();
    await expect(page.getByTestId("skill-files")).toContainText("notes/guide.md");
    await expect(page.getByTestId("skill-source")).toHaveText("Imported");
  });
});

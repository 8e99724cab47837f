/**
 * Skills where projects already keep them, and project instructions, through a real backend and the fake
 * model: skills in the anthropics/skills layout under a workspace `.claude/skills/` reach the system prompt,
 * reload on edit and load with `load_skill`; precedence on a name clash (workspace > library > home); the
 * per-agent source switches; links out of the workspace or into Sage's folders refused; AGENTS.md (global and
 * workspace) in the prompt with the size limit; `.skill` archives; the import-sources list agreeing with the
 * importer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import type { FakeRequest } from "../fixtures/fake-model/index.ts";
import { useBackend } from "../support/backend.ts";
import {
  configureAgent,
  modelRequests,
  openSession,
  runTurn,
  toolResults,
  workspaceRoot,
} from "../support/session-steps.ts";

let home: string;
let workspace: string;
const savedHome = process.env.HOME;

// Exactly as long as Anthropic's claude-api description (1,068 characters).
const LONG_DESCRIPTION =
  `Build apps with the Claude API. ${"Use it when the code calls the API. ".repeat(29)}`
    .slice(0, 1060)
    .concat("END-MARK");

function skill(dir: string, name: string, description: string, body = `Body of ${name}.`): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "SKILL.md"), `---\nname: ${name}\ndescription: ${description}\n---\n${body}\n`);
}

function systemPrompt(request: FakeRequest | undefined): string {
  const first = request?.body?.messages?.find((message) => message.role === "system");
  return String(first?.content ?? "");
}

/** Run one turn answered with plain text and return the system prompt the model received. */
async function promptOfNextTurn(): Promise<string> {
  const session = await openSession(app());
  const from = app().fake.requests.length;
  app().fake.enqueue({ text: "ok" });
  const end = await runTurn(session, "hello");
  expect(end.status).toBe("completed");
  return systemPrompt(modelRequests(app(), from)[0]);
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "sage-home-"));
  process.env.HOME = home;
});
const app = useBackend();
beforeAll(async () => {
  process.env.HOME = savedHome;
  workspace = workspaceRoot(app());
  mkdirSync(workspace, { recursive: true });
  const skills = join(workspace, ".claude", "skills");
  skill(join(skills, "pdf-tools"), "pdf-tools", "Fill PDF forms with the bundled script.", "Run fill.py.");
  mkdirSync(join(skills, "pdf-tools", "scripts"), { recursive: true });
  writeFileSync(join(skills, "pdf-tools", "scripts", "fill.py"), "print('filled')\n");
  skill(join(skills, "claude-api"), "claude-api", LONG_DESCRIPTION);
});
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
});

describe("workspace skills in the anthropics/skills layout", () => {
  test("appear in the prompt; a 1,068-character description is shortened there", async () => {
    expect(LONG_DESCRIPTION).toHaveLength(1068);
    const prompt = await promptOfNextTurn();
    expect(prompt).toContain("- pdf-tools: Fill PDF forms with the bundled script.");
    const line = prompt.split("\n").find((text) => text.startsWith("- claude-api: ")) ?? "";
    expect(line.length - "- claude-api: ".length).toBe(1024);
    expect(line.endsWith("…")).toBe(true);
    expect(line).not.toContain("END-MARK");
  });

  test("load_skill gives the body and the scripts, in the workspace folder they live in", async () => {
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "call_skill", name: "load_skill", arguments: { name: "pdf-tools" } }] },
      { text: "loaded" },
    );
    expect((await runTurn(session, "fill my pdf")).status).toBe("completed");
    const [result] = toolResults(modelRequests(app(), from)[1]);
    expect(result?.content).toContain("Run fill.py.");
    expect(result?.content).toContain("Skill folder: .claude/skills/pdf-tools");
    expect(result?.content).toContain("- scripts/fill.py");
  });

  test("load_skill on a home skill gives its body, with its scripts copied where the agent's tools reach", async () => {
    const dir = join(home, ".claude", "skills", "home-script");
    skill(dir, "home-script", "A home skill with a script.", "Run tool.sh.");
    mkdirSync(join(dir, "scripts"), { recursive: true });
    writeFileSync(join(dir, "scripts", "tool.sh"), "echo home\n");
    const session = await openSession(app());
    const from = app().fake.requests.length;
    app().fake.enqueue(
      { toolCalls: [{ id: "call_home", name: "load_skill", arguments: { name: "home-script" } }] },
      { text: "loaded" },
    );
    expect((await runTurn(session, "use the home skill")).status).toBe("completed");
    const [result] = toolResults(modelRequests(app(), from)[1]);
    expect(result?.content).toContain("Run tool.sh.");
    expect(result?.content).toContain("Skill folder: .skills/home-script");
    expect(readFileSync(join(workspace, ".skills", "home-script", "scripts", "tool.sh"), "utf8")).toBe(
      "echo home\n",
    );
    rmSync(dir, { recursive: true });
  });

  test("the Tools page's try-it runner loads a workspace skill too", async () => {
    const { status, body } = await app().api<{ status: string; text: string }>("/api/tools/load_skill/run", {
      json: { input: { name: "pdf-tools" } },
    });
    expect(status).toBe(200);
    expect(body.status).toBe("completed");
    expect(body.text).toContain("Skill folder: .claude/skills/pdf-tools");
  });

  test("an edit is read at the next turn (no copy, no restart)", async () => {
    skill(join(workspace, ".claude", "skills", "pdf-tools"), "pdf-tools", "Edited description v2.");
    expect(await promptOfNextTurn()).toContain("- pdf-tools: Edited description v2.");
    skill(join(workspace, ".opencode", "skills", "added-later"), "added-later", "Appeared between turns.");
    expect(await promptOfNextTurn()).toContain("- added-later: Appeared between turns.");
  });

  test("the project context lists each skill with its source and location, and the long one's warning", async () => {
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { status, body } = await app().api<{
      skills: { name: string; source: string; location: string; warnings: string[] }[];
    }>(`/api/agents/${agentId}/project-context`);
    expect(status).toBe(200);
    const pdf = body.skills.find((entry) => entry.name === "pdf-tools");
    expect(pdf).toMatchObject({ source: "workspace", location: ".claude/skills" });
    const long = body.skills.find((entry) => entry.name === "claude-api");
    expect(long?.warnings.join(" ")).toContain("1068 characters long");
  });
});

describe("precedence and switches", () => {
  test("workspace beats the library, the library beats the home folder", async () => {
    const library = app().running.backend.context.skills.userSkillsDir;
    skill(join(library, "clash"), "clash", "library version");
    skill(join(home, ".claude", "skills", "clash"), "clash", "home version");
    skill(join(home, ".agents", "skills", "home-only"), "home-only", "only at home");
    skill(join(workspace, ".agents", "skills", "clash"), "clash", "workspace version");
    await app().running.backend.context.skills.refresh();

    let prompt = await promptOfNextTurn();
    expect(prompt).toContain("- clash: workspace version");
    expect(prompt).not.toContain("library version");
    expect(prompt).toContain("- home-only: only at home");

    rmSync(join(workspace, ".agents", "skills", "clash"), { recursive: true });
    prompt = await promptOfNextTurn();
    expect(prompt).toContain("- clash: library version");
    expect(prompt).not.toContain("home version");

    rmSync(join(library, "clash"), { recursive: true });
    await app().running.backend.context.skills.refresh();
    expect(await promptOfNextTurn()).toContain("- clash: home version");
  });

  test("each source has a per-agent switch", async () => {
    configureAgent(app(), { skillSources: { workspace: false, home: true } });
    let prompt = await promptOfNextTurn();
    expect(prompt).not.toContain("pdf-tools");
    expect(prompt).toContain("home-only");
    configureAgent(app(), { skillSources: { workspace: true, home: false } });
    prompt = await promptOfNextTurn();
    expect(prompt).toContain("pdf-tools");
    expect(prompt).not.toContain("home-only");
    configureAgent(app(), { skillSources: { workspace: true, home: true } });
  });

  test("a link out of the workspace, or from home into Sage's folders, is refused with a problem", async () => {
    const outside = mkdtempSync(join(tmpdir(), "sage-outside-"));
    skill(join(outside, "escape"), "escape", "lives outside the workspace");
    symlinkSync(join(outside, "escape"), join(workspace, ".claude", "skills", "escape"));
    const hiddenSkill = join(app().dataDir, "secret-skill");
    skill(hiddenSkill, "secret-skill", "inside Sage's data folder");
    symlinkSync(hiddenSkill, join(home, ".agents", "skills", "secret-skill"));
    skill(join(home, ".ssh", "key-skill"), "key-skill", "inside the SSH folder");
    symlinkSync(join(home, ".ssh", "key-skill"), join(home, ".claude", "skills", "key-skill"));

    const prompt = await promptOfNextTurn();
    expect(prompt).not.toContain("escape");
    expect(prompt).not.toContain("secret-skill");
    expect(prompt).not.toContain("key-skill");
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { body } = await app().api<{ problems: { message: string }[] }>(
      `/api/agents/${agentId}/project-context`,
    );
    const messages = body.problems.map((problem) => problem.message).join("\n");
    expect(messages).toContain("links outside the workspace");
    expect(messages).toContain("folder Sage keeps hidden");
    expect(body.problems.filter((problem) => problem.message.includes("keeps hidden"))).toHaveLength(2);
    rmSync(outside, { recursive: true, force: true });
  });
});

describe("project instructions", () => {
  test("AGENTS.md (global and workspace) reaches the model; CLAUDE.md only when there is no AGENTS.md", async () => {
    const config = app().running.backend.context.paths.config;
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, "AGENTS.md"), "GLOBAL-RULE: answer in English.\n");
    writeFileSync(join(workspace, "CLAUDE.md"), "CLAUDE-RULE: use tabs.\n");
    let prompt = await promptOfNextTurn();
    expect(prompt).toContain("GLOBAL-RULE");
    expect(prompt).toContain("CLAUDE-RULE");

    writeFileSync(join(workspace, "AGENTS.md"), "AGENTS-RULE: run the tests before committing.\n");
    prompt = await promptOfNextTurn();
    expect(prompt).toContain("AGENTS-RULE");
    expect(prompt).not.toContain("CLAUDE-RULE");
    expect(prompt.indexOf("GLOBAL-RULE")).toBeLessThan(prompt.indexOf("AGENTS-RULE"));

    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { body } = await app().api<{ instructions: { scope: string; name: string; truncated: boolean }[] }>(
      `/api/agents/${agentId}/project-context`,
    );
    expect(body.instructions.map(({ scope, name, truncated }) => ({ scope, name, truncated }))).toEqual([
      { scope: "global", name: "AGENTS.md", truncated: false },
      { scope: "workspace", name: "AGENTS.md", truncated: false },
    ]);
  });

  test("a file over 32 KiB enters the prompt cut, with a note; its tail does not", async () => {
    const line = `${"x".repeat(99)}\n`;
    writeFileSync(join(workspace, "AGENTS.md"), `HEAD-RULE\n${line.repeat(400)}TAIL-RULE\n`);
    const prompt = await promptOfNextTurn();
    expect(prompt).toContain("HEAD-RULE");
    expect(prompt).not.toContain("TAIL-RULE");
    expect(prompt).toContain("Only the first 32768 of 40020 bytes are shown");
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { body } = await app().api<{
      instructions: { scope: string; truncated: boolean; bytes: number }[];
    }>(`/api/agents/${agentId}/project-context`);
    expect(body.instructions.find((file) => file.scope === "workspace")).toMatchObject({
      truncated: true,
      bytes: 40020,
    });
    rmSync(join(workspace, "AGENTS.md"));
    rmSync(join(workspace, "CLAUDE.md"));
    rmSync(join(app().running.backend.context.paths.config, "AGENTS.md"));
    expect(await promptOfNextTurn()).not.toContain("Instructions from files");
  });
});

describe("importing", () => {
  test("a .skill package imports from a path like a .zip; another ending is refused clearly", async () => {
    const archive = zipSync({
      "packaged/SKILL.md": strToU8("---\nname: packaged\ndescription: From skill-creator.\n---\nHi\n"),
      "packaged/scripts/run.sh": strToU8("echo hi\n"),
    });
    const path = join(home, "packaged.skill");
    writeFileSync(path, archive);
    const ok = await app().api<{ name: string }>("/api/skills/import/path", { json: { path } });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe("packaged");

    const other = join(home, "packaged.tar");
    writeFileSync(other, archive);
    const refused = await app().api<{ error?: string; message?: string }>("/api/skills/import/path", {
      json: { path: other },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("neither a folder nor a .zip or .skill file");
  });

  test("a .skill upload with a 1,068-character description imports with a warning, usable and shortened", async () => {
    const archive = zipSync({
      "claude-api-copy/SKILL.md": strToU8(
        `---\nname: claude-api-copy\ndescription: ${LONG_DESCRIPTION}\n---\nUse the SDK.\n`,
      ),
    });
    const form = new FormData();
    form.set("file", new File([archive], "claude-api-copy.skill", { type: "application/octet-stream" }));
    const response = await app().http("/api/skills/import/zip", { method: "POST", body: form });
    expect(response.status).toBe(200);
    const imported = (await response.json()) as { name: string; warnings: { message: string }[] };
    expect(imported.name).toBe("claude-api-copy");
    expect(imported.warnings.map((warning) => warning.message).join("\n")).toContain(
      "1068 characters long; the limit is 1024",
    );
    const { body } = await app().api<{
      skills: { name: string; valid: boolean; problems: { severity: string }[] }[];
    }>("/api/skills");
    const listed = body.skills.find((entry) => entry.name === "claude-api-copy");
    expect(listed).toMatchObject({ valid: true, problems: [{ severity: "warning" }] });
    const line = (await promptOfNextTurn())
      .split("\n")
      .find((text) => text.startsWith("- claude-api-copy: "));
    expect(line?.length).toBe("- claude-api-copy: ".length + 1024);
    expect(line).not.toContain("END-MARK");
  });

  test("table: for every kind of folder, the import-sources list is valid exactly when the import succeeds", async () => {
    const root = join(home, ".agents", "skills");
    const cases: Record<string, string | Uint8Array | null> = {
      "agree-ok": "---\nname: agree-ok\ndescription: Fine.\n---\nBody\n",
      "agree-renamed": "---\nname: agree-other-name\ndescription: Folder named otherwise.\n---\nBody\n",
      "agree-long": `---\nname: agree-long\ndescription: ${"x".repeat(1100)}\n---\nBody\n`,
      "agree-unknown-field": "---\nname: agree-unknown-field\ndescription: d\ncolour: blue\n---\nBody\n",
      "agree-empty-body": "---\nname: agree-empty-body\ndescription: d\n---\n",
      "agree-no-description": "---\nname: agree-no-description\n---\nBody\n",
      "agree-bad-name": "---\nname: Agree_Bad\ndescription: d\n---\nBody\n",
      "agree-unclosed": "---\nname: agree-unclosed\ndescription: d\n",
      "agree-no-frontmatter": "# Just a title\n",
      "agree-not-utf8": new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]),
      "agree-no-skill-file": null,
    };
    for (const [folder, content] of Object.entries(cases)) {
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(
        join(root, folder, content === null ? "README.md" : "SKILL.md"),
        content ?? "not a skill",
      );
    }
    const { body } = await app().api<{
      sources: { dir: string; skills: { folder: string; valid: boolean }[] }[];
    }>("/api/skills/import/sources");
    const listed = new Map(
      (body.sources.find((source) => source.dir === root)?.skills ?? []).map((entry) => [
        entry.folder,
        entry.valid,
      ]),
    );
    const disagreements: string[] = [];
    for (const folder of Object.keys(cases)) {
      const imported = await app().api("/api/skills/import/path", {
        json: { path: join(root, folder), overwrite: true },
      });
      const valid = listed.get(folder) ?? false;
      if (valid !== (imported.status === 200))
        disagreements.push(
          `${folder}: listed ${valid ? "valid" : "invalid"}, import answered ${imported.status}`,
        );
    }
    expect(disagreements).toEqual([]);
    // And the table is not trivially one-sided.
    expect([...listed.values()].filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect([...listed.values()].filter((valid) => !valid).length).toBeGreaterThanOrEqual(4);
    for (const folder of Object.keys(cases)) rmSync(join(root, folder), { recursive: true, force: true });
  });

  test("the import-sources list calls valid what the importer imports (a folder named unlike its skill)", async () => {
    skill(join(home, ".claude", "skills", "template"), "template-skill", "Replace with a description.");
    const { body } = await app().api<{
      sources: { dir: string; skills: { folder: string; name: string; valid: boolean }[] }[];
    }>("/api/skills/import/sources");
    const template = body.sources
      .flatMap((source) => source.skills)
      .find((entry) => entry.folder === "template");
    expect(template, JSON.stringify(body)).toMatchObject({ name: "template-skill", valid: true });
    const imported = await app().api<{ name: string }>("/api/skills/import/path", {
      json: { path: join(home, ".claude", "skills", "template") },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.name).toBe("template-skill");
  });
});

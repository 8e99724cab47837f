import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import type { ToolContext, ToolServices } from "../../src/agent/tool-contract.ts";
import { createSkillCatalog } from "../../src/skills/catalog.ts";
import { discoverSkills } from "../../src/skills/discover.ts";
import {
  LOADED_SKILL_MAX_FILES_LISTED,
  loadSkillTool,
  parsePinnedSkills,
  renderLoadedSkill,
  renderSkillList,
} from "../../src/skills/load-skill-tool.ts";
import type { Skill } from "../../src/skills/types.ts";

let root: string;
let skills: Skill[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "skills-tool-"));
  const write = async (relative: string, content: string) => {
    const path = join(root, relative);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, content);
  };
  await write(
    "csv-stats/SKILL.md",
    "---\nname: csv-stats\ndescription: >\n  Compute statistics\n  for CSV files.\n---\n\n# CSV stats\n\nRun the script.\n",
  );
  await write("csv-stats/scripts/stats.awk", "{ n++ } END { print n }\n");
  await write("csv-stats/README.txt", "readme\n");
  await write("notes/SKILL.md", "---\nname: notes\ndescription: Take notes.\n---\nWrite notes.\n");
  skills = (await discoverSkills(root)).skills;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function context(services: ToolServices): ToolContext {
  return {
    signal: new AbortController().signal,
    workspace: {
      root,
      resolve: (path) => join(root, path),
      relative: (path) => path.slice(root.length + 1),
      isHidden: () => false,
    },
    sessionId: "session-1",
    agentId: "agent-1",
    turnId: "turn-1",
    callId: "call-1",
    progress: () => {},
    ask: async () => null,
    services,
  };
}

describe("load_skill", () => {
  test("is an interaction tool whose schema accepts a name", () => {
    expect(loadSkillTool.name).toBe("load_skill");
    expect(loadSkillTool.kind).toBe("interaction");
    expect(Value.Check(loadSkillTool.parameters, { name: "csv-stats" })).toBe(true);
    expect(Value.Check(loadSkillTool.parameters, {})).toBe(false);
    expect(Value.Check(loadSkillTool.parameters, { name: "" })).toBe(false);
  });

  test("returns the body, the skill's own folder and the files of an enabled skill", async () => {
    const catalog = createSkillCatalog(skills);
    const result = await loadSkillTool.execute({ name: "csv-stats" }, context({ skills: catalog }));
    expect(result.text).toContain(`Skill folder: ${join(root, "csv-stats")}`);
    expect(result.text).toContain("- README.txt\n- scripts/stats.awk");
    expect(result.text).toContain("# CSV stats\n\nRun the script.");
    expect(result.text).not.toContain("name: csv-stats");
    expect(result.details).toEqual({
      name: "csv-stats",
      source: "user",
      dir: join(root, "csv-stats"),
      files: ["README.txt", "scripts/stats.awk"],
    });
  });

  test("a catalog that materializes skills gives the agent the workspace copy's folder", async () => {
    const base = createSkillCatalog(skills);
    const copied: string[] = [];
    const catalog = {
      ...base,
      materialize: async (skill: { name: string }) => {
        copied.push(skill.name);
        return `.skills/${skill.name}`;
      },
    };
    const result = await loadSkillTool.execute({ name: "csv-stats" }, context({ skills: catalog }));
    expect(copied).toEqual(["csv-stats"]);
    expect(result.text).toContain("Skill folder: .skills/csv-stats");
    expect(result.details).toMatchObject({ dir: ".skills/csv-stats" });
  });

  test("accepts a name typed with a leading slash", async () => {
    const result = await loadSkillTool.execute(
      { name: " /notes " },
      context({ skills: createSkillCatalog(skills) }),
    );
    expect(result.text).toContain("The skill has no other files.");
    expect(result.text).toContain("Write notes.");
  });

  test("an unknown or disabled skill is a ToolError listing the enabled ones", async () => {
    const catalog = createSkillCatalog(skills, ["notes"]);
    await expect(
      loadSkillTool.execute({ name: "csv-stats" }, context({ skills: catalog })),
    ).rejects.toMatchObject({
      name: "ToolError",
      message: "No enabled skill is named 'csv-stats'. Enabled skills: notes.",
    });
    const none = createSkillCatalog(skills, []);
    await expect(loadSkillTool.execute({ name: "x" }, context({ skills: none }))).rejects.toThrow(
      "No skills are enabled.",
    );
  });

  test("without a skill catalog in the services it is a clear ToolError", async () => {
    await expect(loadSkillTool.execute({ name: "notes" }, context({}))).rejects.toMatchObject({
      name: "ToolError",
      message: expect.stringContaining("Skills are not available here"),
    });
  });

  test("long file lists are cut with a count", () => {
    const files = Array.from({ length: LOADED_SKILL_MAX_FILES_LISTED + 5 }, (_, index) => `f${index}.txt`);
    const text = renderLoadedSkill({ ...skills[0], files });
    expect(text).toContain("... and 5 more (use list_dir on the skill folder)");
    expect(text.match(/^- f/gm)?.length).toBe(LOADED_SKILL_MAX_FILES_LISTED);
  });
});

describe("catalog", () => {
  test("filters by the enabled list and sorts by name", () => {
    expect(
      createSkillCatalog(skills)
        .list()
        .map((skill) => skill.name),
    ).toEqual(["csv-stats", "notes"]);
    const only = createSkillCatalog(skills, ["notes", "missing"]);
    expect(only.list().map((skill) => skill.name)).toEqual(["notes"]);
    expect(only.get("csv-stats")).toBeUndefined();
    expect(only.get("notes")?.description).toBe("Take notes.");
  });
});

describe("renderSkillList", () => {
  test("lists names and one-line descriptions only, and tells the model to call load_skill", () => {
    const text = renderSkillList(skills);
    expect(text).toContain("## Skills");
    expect(text).toContain("call `load_skill`");
    expect(text).toContain("- csv-stats: Compute statistics for CSV files.");
    expect(text).toContain("- notes: Take notes.");
    expect(text).not.toContain("Run the script");
    expect(text).not.toContain(root);
  });

  test("is empty when no skill is enabled", () => {
    expect(renderSkillList([])).toBe("");
  });
});

describe("parsePinnedSkills", () => {
  test("takes /name tokens at the start of the message", () => {
    expect(parsePinnedSkills("/code-review check src/app.ts")).toEqual({
      names: ["code-review"],
      text: "check src/app.ts",
    });
    expect(parsePinnedSkills("  /a /b-c\n/a  do it")).toEqual({ names: ["a", "b-c"], text: "do it" });
    expect(parsePinnedSkills("/notes")).toEqual({ names: ["notes"], text: "" });
  });

  test("ignores slashes elsewhere, paths and malformed names", () => {
    const unchanged = [
      "please see /tmp first",
      "/etc/hosts is wrong",
      "/Upper case",
      "/bad_name x",
      "/-x y",
      "//double",
      "text /notes",
      `/${"a".repeat(65)} x`,
    ];
    for (const text of unchanged) expect(parsePinnedSkills(text)).toEqual({ names: [], text });
  });

  test("with known names, stops at the first unknown token and keeps it in the text", () => {
    expect(parsePinnedSkills("/notes /tmp is full", ["notes", "csv-stats"])).toEqual({
      names: ["notes"],
      text: "/tmp is full",
    });
    expect(parsePinnedSkills("/tmp is full", ["notes"])).toEqual({ names: [], text: "/tmp is full" });
  });
});

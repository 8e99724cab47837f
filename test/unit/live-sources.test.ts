/**
 * Skills read in place (src/skills/live-sources.ts): every workspace folder (.agents/skills, .claude/skills,
 * .opencode/skills, skills) and home folder (~/.agents/skills, ~/.claude/skills) is read, labelled with
 * where it was found; within an origin the first folder wins and the skill it hides is reported (never
 * dropped silently); a switched-off origin is not read at all.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ALL_SKILL_SOURCES_ON,
  discoverLiveSkills,
  HOME_SKILL_FOLDERS,
  type LiveSkillOptions,
  WORKSPACE_SKILL_FOLDERS,
} from "../../src/skills/live-sources.ts";

let base: string;
let workspace: string;
let home: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "sage-live-skills-"));
  workspace = join(base, "project");
  home = join(base, "home");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(home, { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function skill(root: string, folder: string, name: string, description: string): void {
  const dir = join(root, folder, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "SKILL.md"), `---\nname: ${name}\ndescription: ${description}\n---\nBody.\n`);
}

function discover(overrides: Partial<LiveSkillOptions> = {}) {
  return discoverLiveSkills({
    workspaceRoot: workspace,
    home,
    switches: ALL_SKILL_SOURCES_ON,
    hiddenPaths: [],
    ...overrides,
  });
}

describe("skills where they already are", () => {
  test("every workspace and home folder is read, each skill labelled with its folder", async () => {
    for (const [index, folder] of WORKSPACE_SKILL_FOLDERS.entries())
      skill(workspace, folder, `ws-${index}`, folder);
    for (const [index, folder] of HOME_SKILL_FOLDERS.entries()) skill(home, folder, `home-${index}`, folder);
    const live = await discover();
    expect(live.workspace.map((found) => [found.name, found.location, found.source])).toEqual([
      ["ws-0", ".agents/skills", "workspace"],
      ["ws-1", ".claude/skills", "workspace"],
      ["ws-2", ".opencode/skills", "workspace"],
      ["ws-3", "skills", "workspace"],
    ]);
    expect(live.home.map((found) => [found.name, found.location, found.source])).toEqual([
      ["home-0", "~/.agents/skills", "home"],
      ["home-1", "~/.claude/skills", "home"],
    ]);
    expect(live.diagnostics).toEqual([]);
  });

  test.each([
    [[".claude/skills", ".agents/skills"], ".agents/skills"],
    [["skills", ".opencode/skills"], ".opencode/skills"],
    [["skills", ".claude/skills", ".opencode/skills"], ".claude/skills"],
  ])("in the workspace %p, the skill in %s is used and the others are reported", async (folders, first) => {
    for (const folder of folders) skill(workspace, folder, "clash", `from ${folder}`);
    const live = await discover();
    expect(live.workspace.map((found) => [found.name, found.description])).toEqual([
      ["clash", `from ${first}`],
    ]);
    const reported = live.diagnostics.map((diagnostic) => diagnostic.path).sort();
    expect(reported).toEqual(
      folders
        .filter((folder) => folder !== first)
        .map((folder) => join(workspace, folder, "clash"))
        .sort(),
    );
    for (const diagnostic of live.diagnostics) {
      expect(diagnostic.severity).toBe("error");
      expect(diagnostic.message).toContain(`the skill of the same name in ${first} comes first`);
      expect(diagnostic.message).toContain(
        ".agents/skills, then .claude/skills, then .opencode/skills, then skills",
      );
    }
  });

  test("at home ~/.agents/skills comes before ~/.claude/skills; a home skill does not hide a workspace one", async () => {
    skill(home, ".claude/skills", "clash", "claude home");
    skill(home, ".agents/skills", "clash", "agents home");
    skill(workspace, "skills", "clash", "workspace");
    const live = await discover();
    expect(live.workspace.map((found) => found.description)).toEqual(["workspace"]);
    // Across origins both are listed: the catalog applies workspace > library > home.
    expect(live.home.map((found) => found.description)).toEqual(["agents home"]);
    expect(live.diagnostics).toHaveLength(1);
    expect(live.diagnostics[0]?.path).toBe(join(home, ".claude/skills", "clash"));
    expect(live.diagnostics[0]?.message).toContain("in ~/.agents/skills comes first");
  });

  test("a switched-off origin is not read; nothing is reported for it", async () => {
    skill(workspace, ".claude/skills", "mine", "workspace");
    skill(home, ".claude/skills", "theirs", "home");
    skill(home, ".agents/skills", "theirs", "home again");
    const noHome = await discover({ switches: { workspace: true, home: false } });
    expect(noHome.workspace.map((found) => found.name)).toEqual(["mine"]);
    expect(noHome.home).toEqual([]);
    expect(noHome.diagnostics).toEqual([]);
    const noWorkspace = await discover({ switches: { workspace: false, home: true } });
    expect(noWorkspace.workspace).toEqual([]);
    expect(noWorkspace.home.map((found) => found.description)).toEqual(["home again"]);
  });
});

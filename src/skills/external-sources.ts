/**
 * Skills other agent tools keep on this machine (`~/.claude/skills`, `~/.agents/skills`), offered for
 * import. Each folder found is scanned like the user's own skills dir: valid skills and malformed ones
 * (with their problems) are both listed, so the user sees why something cannot be imported.
 */
import { readdir } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { compareCodePoints } from "../core/text-order.ts";
import type { ExternalSkillCandidate, ExternalSkillSource, SkillProblem } from "../shared/skills.ts";
import { discoverSkills } from "./discover.ts";
import { IGNORED_NAMES, pathExists } from "./files.ts";
import { findExternalSkillDirs } from "./import.ts";
import type { SkillDiagnostic } from "./types.ts";

function toProblem(diagnostic: SkillDiagnostic, skillDir: string): SkillProblem {
  const inside = relative(skillDir, diagnostic.path);
  const problem: SkillProblem = {
    severity: diagnostic.severity,
    file: inside.startsWith("..") ? diagnostic.path : inside,
    message: diagnostic.message,
  };
  if (diagnostic.field) problem.field = diagnostic.field;
  if (diagnostic.line) problem.line = diagnostic.line;
  return problem;
}

/** The other tools' skill folders under `home` and the skills in each; `userSkillsDir` marks installed ones. */
export async function listExternalSkillSources(
  home: string,
  userSkillsDir: string,
): Promise<ExternalSkillSource[]> {
  const sources: ExternalSkillSource[] = [];
  for (const { label, dir } of await findExternalSkillDirs(home)) {
    // The importer installs a skill under its frontmatter name, so a folder named otherwise is valid here too.
    const { skills, diagnostics } = await discoverSkills(dir, {
      defaultSource: "imported",
      nameFromFrontmatter: true,
    });
    const candidates: ExternalSkillCandidate[] = [];
    for (const skill of skills) {
      const folder = basename(skill.dir);
      candidates.push({
        folder,
        path: skill.dir,
        name: skill.name,
        description: skill.description,
        valid: true,
        problems: diagnostics
          .filter((diagnostic) => diagnostic.skill === folder)
          .map((diagnostic) => toProblem(diagnostic, skill.dir)),
        installed: await pathExists(join(userSkillsDir, skill.name)),
      });
    }
    const valid = new Set(skills.map((skill) => basename(skill.dir)));
    let folders: string[] = [];
    try {
      folders = (await readdir(dir)).sort();
    } catch {
      // listed as no candidates
    }
    for (const folder of folders) {
      if (valid.has(folder) || folder.startsWith(".") || IGNORED_NAMES.has(folder)) continue;
      const problems = diagnostics.filter((diagnostic) => diagnostic.skill === folder);
      if (problems.length === 0) continue;
      const skillDir = join(dir, folder);
      candidates.push({
        folder,
        path: skillDir,
        name: folder,
        description: "",
        valid: false,
        problems: problems.map((diagnostic) => toProblem(diagnostic, skillDir)),
        installed: await pathExists(join(userSkillsDir, folder)),
      });
    }
    candidates.sort((left, right) => compareCodePoints(left.folder, right.folder));
    sources.push({ label, dir, skills: candidates });
  }
  return sources;
}

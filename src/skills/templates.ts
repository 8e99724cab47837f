/**
 * New skills from a template. `createSkillFromTemplate` validates the name (the skill-name rule) and the
 * description, refuses a name that is taken (or that belongs to a built-in the user deleted, which sync
 * keeps deleted), and writes the folder `<skills dir>/<name>` in one step.
 */
import { join } from "node:path";
import { ConflictError, ValidationError } from "../core/errors.ts";
import type { SkillTemplate } from "../shared/skills.ts";
import { pathExists, replaceFolder } from "./files.ts";
import { skillNameProblem } from "./parse.ts";
import { SKILL_DESCRIPTION_MAX_LENGTH, SKILL_FILE_NAME } from "./types.ts";

export interface CreateSkillInput {
  name: string;
  description: string;
  template?: SkillTemplate;
}

/** Keep a description on one YAML line: quoted, with quotes and backslashes escaped. */
function yamlString(text: string): string {
  return JSON.stringify(text.replace(/\s+/g, " ").trim());
}

function titleOf(name: string): string {
  return name
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/** The files of a new skill, by template. */
export function templateFiles(input: Required<CreateSkillInput>): Map<string, string> {
  const frontmatter = `---\nname: ${input.name}\ndescription: ${yamlString(input.description)}\n---\n`;
  const files = new Map<string, string>();
  if (input.template === "script") {
    files.set(
      SKILL_FILE_NAME,
      `${frontmatter}
# ${titleOf(input.name)}

${input.description.trim()}

## Steps

1. Read the user's request and collect what the script needs.
2. Run \`scripts/run.sh <input>\` from the skill folder with the shell tool.
3. Check the script's output, then report the result to the user.

## Notes

- Edit \`scripts/run.sh\` to do the real work; keep it quiet on success and clear on failure.
`,
    );
    files.set(
      "scripts/run.sh",
      `#!/bin/sh
# Usage: run.sh <input>
set -eu
if [ "$#" -lt 1 ]; then
  echo "usage: run.sh <input>" >&2
  exit 2
fi
echo "processing: $1"
`,
    );
    return files;
  }
  files.set(
    SKILL_FILE_NAME,
    `${frontmatter}
# ${titleOf(input.name)}

${input.description.trim()}

## Steps

1. Describe the first thing to do.
2. Describe how to check the result.
3. Describe what to hand back to the user.

## Pitfalls

- List mistakes to avoid.
`,
  );
  return files;
}

/**
 * Create `<userSkillsDir>/<name>` from a template. `deletedBuiltins`: names of shipped built-ins the user
 * deleted (a new skill must not take their name, or sync would treat it as the built-in).
 */
export async function createSkillFromTemplate(
  userSkillsDir: string,
  input: CreateSkillInput,
  deletedBuiltins: readonly string[] = [],
): Promise<string> {
  const problem = skillNameProblem(input.name);
  if (problem) throw new ValidationError(`The skill name ${problem}.`, "name");
  const description = input.description.trim();
  if (description === "") throw new ValidationError("Describe what the skill is for.", "description");
  if (description.length > SKILL_DESCRIPTION_MAX_LENGTH) {
    throw new ValidationError(
      `The description is ${description.length} characters; the limit is ${SKILL_DESCRIPTION_MAX_LENGTH}.`,
      "description",
    );
  }
  const dir = join(userSkillsDir, input.name);
  if (await pathExists(dir)) throw new ConflictError(`A skill named '${input.name}' already exists.`);
  if (deletedBuiltins.includes(input.name)) {
    throw new ConflictError(
      `'${input.name}' is the name of a built-in skill you deleted; restore the built-in or choose another name.`,
    );
  }
  const files = templateFiles({ name: input.name, description, template: input.template ?? "basic" });
  const encoder = new TextEncoder();
  await replaceFolder(dir, new Map([...files].map(([path, text]) => [path, encoder.encode(text)])));
  return dir;
}

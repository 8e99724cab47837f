/**
 * The built-in skills shipped with Sage. A `BuiltinSkillSource` yields every file as
 * `<skill-name>/<relative path>` -> bytes. Two implementations:
 * - `builtinSkillSourceFromDir(dir)`: running from source, read the repo's `skills/` folder;
 * - `builtinSkillSourceFromEmbedded(paths)`: in the compiled executable, read files embedded with
 *   `import path from "../../skills/<name>/SKILL.md" with { type: "file" }` (the map's values are those
 *   import results, keyed by `<name>/<relative path>`).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { IGNORED_NAMES, isSafeRelativePath, walkFiles } from "./files.ts";
import type { BuiltinSkillSource } from "./types.ts";

/** A built-in skill set that cannot be used (unsafe path, unreadable embedded file ...). */
export class BuiltinSkillsError extends Error {
  override readonly name = "BuiltinSkillsError";
}

/** Limits for reading the repo folder; built-ins are small, anything bigger is a packaging mistake. */
const BUILTIN_WALK_LIMITS = { maxFiles: 2000, maxDepth: 8 };

/**
 * Read every skill folder under `dir` into `<skill-name>/<relative path>` -> bytes. Loose files at the top
 * of `dir` and folders starting with "." are not skills and are skipped. A missing `dir` is an error.
 */
export async function readBuiltinSkillsFromDir(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith(".") || IGNORED_NAMES.has(name)) continue;
    const skillDir = join(dir, name);
    if (!(await stat(skillDir)).isDirectory()) continue;
    const walk = await walkFiles(skillDir, BUILTIN_WALK_LIMITS);
    if (walk.truncated) throw new BuiltinSkillsError(`built-in skill '${name}' has too many files or levels`);
    for (const relative of walk.files) {
      files.set(`${name}/${relative}`, new Uint8Array(await readFile(join(skillDir, relative))));
    }
  }
  return files;
}

export function builtinSkillSourceFromDir(dir: string): BuiltinSkillSource {
  return { files: () => readBuiltinSkillsFromDir(dir) };
}

/** Files embedded in the executable: `<skill-name>/<relative path>` -> path returned by the file import. */
export function builtinSkillSourceFromEmbedded(paths: Readonly<Record<string, string>>): BuiltinSkillSource {
  return {
    async files() {
      const files = new Map<string, Uint8Array>();
      for (const key of Object.keys(paths).sort()) {
        try {
          files.set(key, new Uint8Array(await readFile(paths[key])));
        } catch (error) {
          throw new BuiltinSkillsError(`cannot read embedded built-in skill file '${key}': ${String(error)}`);
        }
      }
      return files;
    },
  };
}

/** A source over files already in memory (tests, and callers that build the map themselves). */
export function builtinSkillSourceFromMap(
  files: ReadonlyMap<string, Uint8Array | string>,
): BuiltinSkillSource {
  const encoder = new TextEncoder();
  return {
    async files() {
      const copy = new Map<string, Uint8Array>();
      for (const [key, value] of files)
        copy.set(key, typeof value === "string" ? encoder.encode(value) : value);
      return copy;
    },
  };
}

/**
 * Source text of a module embedding the given built-in files in the compiled executable, for the build
 * script to write (e.g. as `src/skills/embedded-skills.generated.ts`) before `bun build --compile`.
 * `keys` are `<skill-name>/<path>` (as from `readBuiltinSkillsFromDir`); `importBase` is the import path of
 * the `skills/` folder relative to the generated module (e.g. "../../skills"). The module exports
 * `embeddedSkillFiles`, ready for `builtinSkillSourceFromEmbedded`.
 */
export function renderEmbeddedSkillsModule(keys: Iterable<string>, importBase: string): string {
  const sorted = [...keys].sort();
  const lines = ["// Generated from the skills/ folder: do not edit by hand.", ""];
  sorted.forEach((key, index) => {
    if (!isSafeRelativePath(key)) throw new BuiltinSkillsError(`unsafe built-in skill file key '${key}'`);
    lines.push(`import file${index} from ${JSON.stringify(`${importBase}/${key}`)} with { type: "file" };`);
  });
  lines.push("", "export const embeddedSkillFiles: Record<string, string> = {");
  sorted.forEach((key, index) => {
    lines.push(`  ${JSON.stringify(key)}: file${index},`);
  });
  lines.push("};", "");
  return lines.join("\n");
}

/**
 * Group a source's flat map by skill: name -> (path relative to the skill folder -> bytes).
 * Throws `BuiltinSkillsError` for a key without a skill folder or with an unsafe path.
 */
export function groupBuiltinFiles(
  files: ReadonlyMap<string, Uint8Array>,
): Map<string, Map<string, Uint8Array>> {
  const skills = new Map<string, Map<string, Uint8Array>>();
  for (const [key, data] of files) {
    const slash = key.indexOf("/");
    if (slash <= 0 || !isSafeRelativePath(key)) {
      throw new BuiltinSkillsError(
        `invalid built-in skill file key '${key}' (expected '<skill-name>/<path>')`,
      );
    }
    const name = key.slice(0, slash);
    let skill = skills.get(name);
    if (!skill) {
      skill = new Map();
      skills.set(name, skill);
    }
    skill.set(key.slice(slash + 1), data);
  }
  return skills;
}

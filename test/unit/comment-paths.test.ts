/**
 * Comments that name a file of the project (`src/...`, `ui/src/...`, `scripts/...`, `db/...`, `test/...`)
 * name one that exists: a comment is a contract, and one pointing to a moved or never-written file
 * sends the reader nowhere. Only comment lines are read (`//`, `/*`, ` *`), in src/, ui/src/ and
 * scripts/; test files name made-up paths in their fixtures and are left out.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const repo = resolve(import.meta.dir, "../..");

/** Paths in comments that are not meant to exist, each with why. */
const NOT_FILES: Record<string, string> = {
  "db/migrations/NNNN_name.sql": "the naming pattern of migrations",
  "src/skills/embedded-skills.generated.ts": "an example of a file a build script could write",
};

const pathPattern = /\b(?:src|ui\/src|scripts|db|test)\/[A-Za-z0-9_./-]+\.(?:ts|tsx|sql|md|json)\b/g;
const commentLine = /^\s*(?:\/\/|\/\*|\*)/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(name)) out.push(full);
  }
  return out;
}

/** Every path named in a comment that does not exist, as "file:line: path". */
function missingCommentPaths(roots: string[], base = repo): string[] {
  const missing: string[] = [];
  for (const root of roots) {
    for (const file of sourceFiles(join(base, root))) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, index) => {
          if (!commentLine.test(line)) return;
          for (const [path] of line.matchAll(pathPattern)) {
            if (path in NOT_FILES || existsSync(join(base, path))) continue;
            missing.push(`${relative(base, file)}:${index + 1}: ${path}`);
          }
        });
    }
  }
  return missing;
}

describe("paths named in comments", () => {
  test("every file a comment in src/, ui/src/ or scripts/ names exists", () => {
    expect(missingCommentPaths(["src", "ui/src", "scripts"])).toEqual([]);
  });

  test("the check finds a comment naming a missing file, and ignores code and existing files", () => {
    const base = resolve(import.meta.dir, "../fixtures/comment-paths");
    expect(missingCommentPaths(["src"], base)).toEqual([
      "src/example.ts:2: src/gone.ts",
      "src/example.ts:4: scripts/missing.ts",
    ]);
  });
});

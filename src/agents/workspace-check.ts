/**
 * Whether a workspace folder the user typed can serve as one: an absolute path that either is a
 * writable folder, or can be created (its nearest existing ancestor is a writable folder). Nothing is
 * created here; the runtime creates the folder at the first turn.
 */
import { accessSync, constants, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { FieldIssue } from "../shared/validation.ts";
import { pathSyntaxProblem } from "../workspace/request-path.ts";

export function workspaceIssue(path: string | undefined, field = "workspace"): FieldIssue | undefined {
  const trimmed = path?.trim();
  if (!trimmed) return undefined;
  if (!isAbsolute(trimmed)) return { field, code: "notAbsolute" };
  // NUL, backslashes, over-long names (src/workspace/request-path.ts): no such folder can be made.
  if (pathSyntaxProblem(trimmed, "absolute")) return { field, code: "notCreatable" };
  let current = resolve(trimmed);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(current).isDirectory();
    } catch {
      const parent = dirname(current);
      if (parent === current) return { field, code: "notCreatable" };
      current = parent;
      continue;
    }
    if (!isDirectory) return { field, code: "notCreatable" };
    try {
      accessSync(current, constants.W_OK | constants.X_OK);
      return undefined;
    } catch {
      return { field, code: "notCreatable" };
    }
  }
}

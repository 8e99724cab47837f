/**
 * write_file: create a text file or replace one's whole content, creating parent folders.
 *
 * Contract: `touches` and `describe` never throw; a path that would be refused yields no touched
 * paths and a description that says why, and `execute` then fails with the clear error. Existing
 * binary files and folders are refused (this tool writes text only).
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, type Workspace } from "../agent/tool-contract.ts";
import { countLines, diffFileChange, readTextForEdit, writeTextFile } from "./fs-helpers.ts";

const description = `Write a text file in the workspace, replacing its whole content (or creating it, with any missing parent folders).

- Use it for new files or complete rewrites. For changes to part of an existing file, prefer edit_file or apply_patch: they are safer and show a smaller diff.
- \`content\` is written exactly as given (no line numbers).
- Paths are relative to the workspace.`;

function plan(workspace: Workspace, path: string) {
  const absolutePath = workspace.resolve(path);
  return { absolutePath, displayPath: workspace.relative(absolutePath) };
}

export const writeFileTool = defineTool({
  name: "write_file",
  description,
  kind: "write",
  parameters: T.Object({
    path: T.String({ description: "File path, relative to the workspace." }),
    content: T.String({ description: "The complete new content of the file." }),
  }),
  touches(params, ctx) {
    try {
      return [plan(ctx.workspace, params.path).absolutePath];
    } catch {
      return [];
    }
  },
  async describe(params, ctx) {
    try {
      const { absolutePath, displayPath } = plan(ctx.workspace, params.path);
      const before = await readTextForEdit(absolutePath, displayPath);
      const change = diffFileChange(displayPath, displayPath, before, params.content);
      return {
        title: `${before === null ? "Create" : "Overwrite"} ${displayPath}`,
        detail: change.diff,
        detailKind: "diff",
      };
    } catch (error) {
      return {
        title: `Write ${params.path}`,
        detail: `This call will fail: ${error instanceof Error ? error.message : String(error)}`,
        detailKind: "diff",
      };
    }
  },
  async execute(params, ctx) {
    const { absolutePath, displayPath } = plan(ctx.workspace, params.path);
    const before = await readTextForEdit(absolutePath, displayPath);
    ctx.signal.throwIfAborted();
    const change = diffFileChange(displayPath, displayPath, before, params.content);
    const details = { path: displayPath, diff: change.diff, added: change.added, removed: change.removed };
    const lineCount = countLines(params.content);
    const lines = `${lineCount} line${lineCount === 1 ? "" : "s"}`;
    if (before === params.content) {
      return { text: `${displayPath} already had this content (${lines}); nothing changed.`, details };
    }
    await writeTextFile(absolutePath, params.content);
    if (before === null) {
      return { text: `Created ${displayPath} (${lines}).`, details: { ...details, created: true } };
    }
    return {
      text: `Overwrote ${displayPath}: was ${countLines(before)} lines, now ${lines} (+${change.added} -${change.removed}).`,
      details: { ...details, created: false },
    };
  },
});

/**
 * Staging a V4A patch for apply_patch: each operation checked against the files as the patch leaves them
 * so far (`current` hands out one `StagedFile` per path), with the unified diff's rules: an added file must
 * not exist, an updated, deleted or moved one must, a move must not overwrite. Errors are `ToolError`s that
 * end with "No file was changed." (nothing is written here; apply-patch.ts writes all files or none).
 */
import { ToolError } from "../agent/tool-contract.ts";
import { applyV4AChunks, parseV4APatch, type V4AOperation, V4APatchError } from "./v4a-patch.ts";

/** One file a patch touches. */
export interface StagedFile {
  absolutePath: string;
  displayPath: string;
  /** Content on disk before the patch (null: did not exist). */
  before: string | null;
  /** Content after the patch (null: deleted). */
  after: string | null;
  /** Set on a move's (or rename's) target: the file it was moved from. */
  movedFrom?: StagedFile;
}

/** The V4A operations, with parse errors as `ToolError`s. */
function parseV4A(patchText: string): V4AOperation[] {
  try {
    return parseV4APatch(patchText);
  } catch (error) {
    if (error instanceof V4APatchError)
      throw new ToolError(`Could not parse the patch: ${error.message} No file was changed.`);
    throw error;
  }
}

/** Stage a V4A patch's operations (same rules as the unified diff's: no overwrite, no missing source). */
export async function planV4A(
  patchText: string,
  current: (path: string) => Promise<StagedFile>,
): Promise<void> {
  for (const operation of parseV4A(patchText)) {
    const file = await current(operation.path);
    if (operation.kind === "add") {
      if (file.after !== null) {
        throw new ToolError(
          `The patch adds ${file.displayPath}, but it already exists. Use "*** Update File:" instead. No file was changed.`,
        );
      }
      file.after = operation.content;
      continue;
    }
    if (file.after === null) {
      throw new ToolError(
        `The patch ${operation.kind === "delete" ? "deletes" : "updates"} ${file.displayPath}, which does not exist. No file was changed.`,
      );
    }
    if (operation.kind === "delete") {
      file.after = null;
      continue;
    }
    let patched: string;
    try {
      patched = applyV4AChunks(file.after, operation.chunks, file.displayPath);
    } catch (error) {
      if (error instanceof V4APatchError) throw new ToolError(`${error.message} No file was changed.`);
      throw error;
    }
    if (operation.moveTo === undefined) {
      file.after = patched;
      continue;
    }
    const target = await current(operation.moveTo);
    if (target !== file) {
      if (target.after !== null) {
        throw new ToolError(
          `The patch moves ${file.displayPath} to ${target.displayPath}, which already exists. No file was changed.`,
        );
      }
      file.after = null;
      target.movedFrom = file;
    }
    target.after = patched;
  }
}

/**
 * Memory over the agent's workspace files, for the search_memory tool: the lines that share the most
 * words with the question, with the file and line numbers to cite. A plain scan (no index): text files
 * up to MAX_FILE_BYTES, at most MAX_FILES of them, skipping what .gitignore / .ignore leave out, `.git`,
 * `node_modules`, and whatever the workspace hides (Sage's folders, credential folders).
 */

import type { Workspace } from "../agent/tool-contract.ts";
import { compareCodePoints } from "../core/text-order.ts";
import { memoryWords } from "../memory/memory-words.ts";
import { looksBinary, skippedDirectoryNames, splitLines, walkTree } from "./fs-helpers.ts";
import { createIgnoreMatcher, ignoreWalkFilter } from "./ignore-rules.ts";

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_FILES = 5000;
/** Lines shown around a hit, before and after. */
const CONTEXT_LINES = 1;

export interface FileMemoryHit {
  /** Workspace-relative path. */
  path: string;
  /** 1-based first and last line of the excerpt. */
  startLine: number;
  endLine: number;
  /** The matching line (numbered) with its context lines. */
  excerpt: string;
  /** How many of the question's words the matching line has. */
  score: number;
  modifiedAt: number;
}

export async function searchWorkspaceFiles(
  workspace: Workspace,
  query: string,
  options: { limit: number; signal: AbortSignal },
): Promise<FileMemoryHit[]> {
  const words = memoryWords(query);
  if (words.length === 0) return [];
  const filter = ignoreWalkFilter(
    createIgnoreMatcher(workspace.root),
    (name) => skippedDirectoryNames.has(name),
    false,
  );
  const hits: FileMemoryHit[] = [];
  let files = 0;
  for await (const entry of walkTree(workspace.root, {
    signal: options.signal,
    isHidden: workspace.isHidden,
    descendInto: filter.descendInto,
  })) {
    if (entry.kind !== "file" || filter.excluded(entry)) continue;
    if (++files > MAX_FILES) break;
    const file = Bun.file(entry.absolutePath);
    if (file.size === 0 || file.size > MAX_FILE_BYTES) continue;
    let bytes: Uint8Array;
    try {
      bytes = await file.bytes();
    } catch {
      continue;
    }
    if (looksBinary(bytes)) continue;
    const lines = splitLines(new TextDecoder().decode(bytes).replaceAll("\r\n", "\n"));
    let best: { index: number; score: number } | undefined;
    lines.forEach((line, index) => {
      const lower = line.toLowerCase();
      const score = words.filter((word) => lower.includes(word)).length;
      if (score > 0 && (!best || score > best.score)) best = { index, score };
    });
    if (!best) continue;
    const start = Math.max(0, best.index - CONTEXT_LINES);
    const end = Math.min(lines.length - 1, best.index + CONTEXT_LINES);
    const excerpt = lines
      .slice(start, end + 1)
      .map((line, offset) => `${start + offset + 1}: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`)
      .join("\n");
    hits.push({
      path: workspace.relative(entry.absolutePath),
      startLine: start + 1,
      endLine: end + 1,
      excerpt,
      score: best.score,
      modifiedAt: file.lastModified,
    });
  }
  hits.sort((a, b) => b.score - a.score || b.modifiedAt - a.modifiedAt || compareCodePoints(a.path, b.path));
  return hits.slice(0, options.limit);
}

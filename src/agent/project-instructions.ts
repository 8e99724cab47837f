/**
 * Project instructions: `AGENTS.md` (or `CLAUDE.md` when there is no `AGENTS.md`) in Sage's config folder
 * (global, for every agent) and at the agent's workspace root, read at each turn into the system prompt.
 *
 * Each file enters the prompt up to `INSTRUCTIONS_MAX_BYTES` (cut at a line end where possible, with a note
 * that tells the model how to read the rest). Only regular files are read; a workspace file whose real path
 * leaves the workspace (a link to elsewhere) is ignored, as the file tools would refuse it. A missing or
 * unreadable file is simply absent: instructions are optional.
 */
import { open, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import {
  INSTRUCTION_FILE_NAMES,
  INSTRUCTIONS_MAX_BYTES,
  type InstructionFile,
} from "../shared/project-context.ts";

export interface LoadedInstructions {
  files: InstructionFile[];
  /** The system-prompt section, or "" when there are no files. */
  prompt: string;
}

interface ReadResult {
  file: InstructionFile;
  text: string;
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

async function readCapped(
  path: string,
  scope: InstructionFile["scope"],
  name: string,
  maxBytes: number,
): Promise<ReadResult | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, "r");
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(info.size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let text = new TextDecoder("utf-8").decode(buffer.subarray(0, bytesRead));
    const truncated = info.size > maxBytes;
    if (truncated) {
      // Drop a possibly split last character and cut at the last line end when there is one.
      text = text.replace(/\uFFFD+$/, "");
      const lineEnd = text.lastIndexOf("\n");
      if (lineEnd > maxBytes / 2) text = text.slice(0, lineEnd);
    }
    return { file: { scope, name, path, bytes: info.size, truncated }, text: text.trim() };
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** The first of AGENTS.md / CLAUDE.md found in `dir`, read up to the limit. */
async function findIn(
  dir: string,
  scope: InstructionFile["scope"],
  maxBytes: number,
  confineTo?: string,
): Promise<ReadResult | undefined> {
  for (const name of INSTRUCTION_FILE_NAMES) {
    const path = join(dir, name);
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      continue;
    }
    if (confineTo !== undefined && !inside(real, confineTo)) continue;
    const result = await readCapped(real, scope, name, maxBytes);
    if (result) return { ...result, file: { ...result.file, path } };
  }
  return undefined;
}

function section(result: ReadResult, maxBytes: number): string {
  const where =
    result.file.scope === "global" ? "the user's global instructions" : "the project's instructions";
  const lines = [`<instructions file="${result.file.path}" source="${where}">`, result.text];
  if (result.file.truncated) {
    lines.push(
      `[Only the first ${maxBytes} of ${result.file.bytes} bytes are shown; read the file for the rest.]`,
    );
  }
  lines.push("</instructions>");
  return lines.join("\n");
}

/** Read the global and the workspace instructions (in that order: the project's come last and win). */
export async function loadProjectInstructions(options: {
  configDir: string;
  workspaceRoot: string;
  maxBytes?: number;
}): Promise<LoadedInstructions> {
  const maxBytes = options.maxBytes ?? INSTRUCTIONS_MAX_BYTES;
  let workspaceReal: string | undefined;
  try {
    workspaceReal = await realpath(options.workspaceRoot);
  } catch {
    workspaceReal = undefined;
  }
  const found: ReadResult[] = [];
  const global = await findIn(options.configDir, "global", maxBytes);
  if (global) found.push(global);
  if (workspaceReal) {
    const project = await findIn(options.workspaceRoot, "workspace", maxBytes, workspaceReal);
    if (project) found.push(project);
  }
  if (found.length === 0) return { files: [], prompt: "" };
  const prompt = [
    "## Instructions from files",
    "",
    "The user keeps these instructions in files; follow them (the project's take precedence over the " +
      "global ones where they disagree).",
    "",
    ...found.map((result) => section(result, maxBytes)),
  ].join("\n");
  return { files: found.map((result) => result.file), prompt };
}

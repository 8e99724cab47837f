/**
 * The skill library behind /api/skills: what the skills page lists, opens, edits, creates, imports,
 * exports, deletes and resets, over the app's `SkillService` (which is refreshed after every change, so
 * the next turn sees it) and the agents' enabled-skill settings.
 *
 * Errors are the app's named errors (ValidationError 400, NotFoundError 404, ConflictError 409): the
 * skills core's own errors are translated here, with their messages kept.
 */
import { lstat, mkdir, rename, rm, unlink } from "node:fs/promises";
import { basename, isAbsolute, join, relative } from "node:path";
import { ConflictError, ContentTooLargeError, NotFoundError, ValidationError } from "../core/errors.ts";
import { compareCodePoints } from "../core/text-order.ts";
import { createWorkspace } from "../sandbox/workspace.ts";
import type { Agent, AgentConfig } from "../shared/agent.ts";
import type {
  SkillDetailResponse,
  SkillDiffFile,
  SkillEntry,
  SkillImportResponse,
  SkillListResponse,
  SkillProblem,
  SkillSourceKind,
  SkillWriteResponse,
} from "../shared/skills.ts";
import { isSkillArchiveName, SKILL_ZIP_MAX_BYTES } from "../shared/skills.ts";
import { type PathRoot, readRegularFile, resolveRequestPath } from "../workspace/request-path.ts";
import { diffSkillWithBuiltin } from "./diff.ts";
import { isSkillEnabled, withSkillEnabled } from "./enablement.ts";
import { IMPORT_MARKER_FILE, pathExists } from "./files.ts";
import {
  exportSkillZip,
  importSkillFromFolder,
  importSkillFromZip,
  MAX_IMPORT_BYTES,
  type SkillImportResult,
} from "./import.ts";
import type { SkillService } from "./service.ts";
import {
  deleteSkillFile,
  listSkillFiles,
  readSkillFile,
  skillFolder,
  writeSkillFile,
} from "./skill-files.ts";
import { BACKUP_FOLDER, builtinStagingDir } from "./sync.ts";
import { type CreateSkillInput, createSkillFromTemplate } from "./templates.ts";
import type { SkillDiagnostic } from "./types.ts";

/** The part of the agent store the library needs (AgentRepository satisfies it). */
export interface AgentDirectory {
  list(): Agent[];
  /** The default agent, created on first use. */
  defaultAgent(): Agent;
  get(id: string): Agent;
  update(id: string, config: AgentConfig): Agent;
}

export interface SkillLibraryOptions {
  skills: SkillService;
  agents: AgentDirectory;
  /** Folders no import may read from (Sage's data, config and logs), with what they are. */
  ownFolders?: readonly { folder: string; what: string }[];
}

/** Imports from a path may name any folder or .zip on this computer ... */
const anywhere = (): PathRoot => ({ workspace: createWorkspace("/"), name: "this computer", kind: "folder" });
/** ... except these, whose files are endless, block, or describe the running system. */
const PSEUDO_FILE_SYSTEMS = [
  { folder: "/proc", what: "the system's /proc" },
  { folder: "/sys", what: "the system's /sys" },
  { folder: "/dev", what: "the system's /dev" },
];

/** Turn the skills core's errors into the app's named errors; anything else is rethrown as is. */
export function translateSkillError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const reason = (error as { reason?: string }).reason;
  switch (error.name) {
    case "SkillImportError":
      if (reason === "name-taken") return new ConflictError(error.message);
      if (reason === "too-large") return new ContentTooLargeError(error.message, MAX_IMPORT_BYTES);
      return new ValidationError(error.message);
    case "SkillExportError":
    case "SkillSyncError":
    case "SkillDiffError":
      return new ValidationError(error.message);
    default:
      return error;
  }
}

async function translated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateSkillError(error);
  }
}

export class SkillLibrary {
  constructor(private readonly options: SkillLibraryOptions) {}

  private get skills(): SkillService {
    return this.options.skills;
  }

  private get root(): string {
    return this.options.skills.userSkillsDir;
  }

  /** Every skill folder (valid or not) with its problems and the agents using it; re-reads the disk. */
  async list(): Promise<SkillListResponse> {
    await this.skills.refresh();
    const agents = this.agentList();
    const byFolder = new Map<string, SkillDiagnostic[]>();
    const folderProblems: SkillProblem[] = [];
    for (const diagnostic of this.skills.problems()) {
      if (diagnostic.skill === "") {
        folderProblems.push(this.problem(diagnostic, ""));
        continue;
      }
      const list = byFolder.get(diagnostic.skill) ?? [];
      list.push(diagnostic);
      byFolder.set(diagnostic.skill, list);
    }
    const entries: SkillEntry[] = [];
    const valid = new Set<string>();
    for (const skill of this.skills.list()) {
      valid.add(skill.name);
      entries.push(this.entry(skill.name, skill.source, skill.description, skill.files, byFolder, agents));
    }
    for (const folder of byFolder.keys()) {
      if (valid.has(folder)) continue;
      entries.push(this.entry(folder, await this.sourceOf(folder), "", [], byFolder, agents));
    }
    entries.sort((left, right) => compareCodePoints(left.name, right.name));
    return {
      skills: entries,
      problems: folderProblems,
      deletedBuiltins: [...this.skills.deletedBuiltins()],
      agents: agents.map((agent) => ({
        id: agent.id,
        name: agent.config.name,
        emoji: agent.config.emoji,
        allSkills: agent.config.skills === "all",
        isDefault: agent.isDefault,
      })),
      skillsDir: this.root,
    };
  }

  /** One skill's entry, as of now (re-reads the disk). */
  async entryOf(folder: string): Promise<SkillEntry> {
    const listing = await this.list();
    const found = listing.skills.find((entry) => entry.name === folder);
    if (!found) throw new NotFoundError("Skill", folder);
    return found;
  }

  async detail(folder: string): Promise<SkillDetailResponse> {
    const dir = await skillFolder(this.root, folder);
    const skill = await this.entryOf(folder);
    const { files, truncated } = await listSkillFiles(dir);
    return { skill, files, filesTruncated: truncated };
  }

  async readFile(folder: string, path: string): Promise<{ path: string; text: string; size: number }> {
    const dir = await skillFolder(this.root, folder);
    return { path, ...(await readSkillFile(dir, path)) };
  }

  async writeFile(folder: string, path: string, text: string): Promise<SkillWriteResponse> {
    const dir = await skillFolder(this.root, folder);
    const size = await writeSkillFile(dir, path, text);
    return { path, size, skill: await this.entryOf(folder) };
  }

  async deleteFile(folder: string, path: string): Promise<SkillEntry> {
    const dir = await skillFolder(this.root, folder);
    await deleteSkillFile(dir, path);
    return this.entryOf(folder);
  }

  async create(input: CreateSkillInput): Promise<SkillEntry> {
    await this.skills.refresh();
    await createSkillFromTemplate(this.root, input, this.skills.deletedBuiltins());
    return this.entryOf(input.name);
  }

  /**
   * Delete a skill folder. It is moved to `.backup/<name>-deleted-<time>` (a top-level link is only
   * removed); a deleted built-in stays deleted across restarts (the sync manifest remembers it).
   */
  async delete(folder: string): Promise<void> {
    const dir = await skillFolder(this.root, folder);
    if ((await lstat(dir)).isSymbolicLink()) {
      await unlink(dir);
    } else {
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      await mkdir(join(this.root, BACKUP_FOLDER), { recursive: true });
      await rename(dir, join(this.root, BACKUP_FOLDER, `${folder}-deleted-${stamp}`));
    }
    await rm(builtinStagingDir(this.root, folder), { recursive: true, force: true });
    await this.skills.refresh();
  }

  /** Replace the folder with the shipped built-in (also restores a deleted one). */
  async resetToBuiltin(folder: string): Promise<SkillEntry> {
    await translated(() => this.skills.resetToBuiltin(folder));
    return this.entryOf(folder);
  }

  /** Differences from the staged shipped version to the user's copy. */
  async diffWithBuiltin(folder: string): Promise<SkillDiffFile[]> {
    await skillFolder(this.root, folder);
    return translated(() => diffSkillWithBuiltin(this.root, folder));
  }

  async exportZip(folder: string): Promise<Uint8Array> {
    const dir = await skillFolder(this.root, folder);
    return translated(() => exportSkillZip(dir));
  }

  async importZip(data: Uint8Array, label: string, overwrite: boolean): Promise<SkillImportResponse> {
    return this.imported(() => importSkillFromZip(data, { userSkillsDir: this.root, overwrite, label }));
  }

  /**
   * Import from a folder on this machine, or from a `.zip` file given by its full path. The path goes
   * through the request-path resolver (symlinks resolved; NUL, over-long names, FIFOs and devices
   * refused), and never into the system's pseudo file systems or Sage's own folders.
   */
  async importPath(path: string, overwrite: boolean): Promise<SkillImportResponse> {
    const target = await resolveRequestPath(anywhere(), path, {
      form: "absolute",
      expect: "file-or-folder",
      refused: [...PSEUDO_FILE_SYSTEMS, ...(this.options.ownFolders ?? [])],
    });
    const options = { userSkillsDir: this.root, overwrite };
    if (target.stats?.isDirectory()) {
      return this.imported(() => importSkillFromFolder(target.absolute, options));
    }
    if (!isSkillArchiveName(target.absolute)) {
      throw new ValidationError(`${path} is neither a folder nor a .zip or .skill file.`, "path");
    }
    const data = await readRegularFile(target.absolute, SKILL_ZIP_MAX_BYTES, path);
    return this.imported(() => importSkillFromZip(data, { ...options, label: basename(target.absolute) }));
  }

  /** Turn a skill on or off for one agent; returns the agent's new setting. */
  async setEnabled(folder: string, agentId: string, on: boolean): Promise<"all" | string[]> {
    await this.skills.refresh();
    const agent = this.options.agents.get(agentId);
    const installed = this.skills.list().map((skill) => skill.name);
    if (on && !installed.includes(folder)) {
      throw new ValidationError(`'${folder}' is not a usable skill; fix its problems before enabling it.`);
    }
    const skills = withSkillEnabled(agent.config.skills, folder, on, installed);
    this.options.agents.update(agentId, { ...agent.config, skills });
    return skills;
  }

  private async imported(work: () => Promise<SkillImportResult>): Promise<SkillImportResponse> {
    const result = await translated(work);
    await this.skills.refresh();
    return {
      name: result.name,
      replaced: result.replaced,
      warnings: result.warnings.map((warning) => this.problem(warning, result.name)),
    };
  }

  /** Every agent; the default one exists from the start (it is otherwise made by the first chat). */
  private agentList(): Agent[] {
    const list = this.options.agents.list();
    return list.length > 0 ? list : [this.options.agents.defaultAgent()];
  }

  private entry(
    name: string,
    source: SkillSourceKind,
    description: string,
    files: string[],
    byFolder: Map<string, SkillDiagnostic[]>,
    agents: Agent[],
  ): SkillEntry {
    const problems = (byFolder.get(name) ?? []).map((diagnostic) => this.problem(diagnostic, name));
    return {
      name,
      description,
      source,
      valid: !problems.some((problem) => problem.severity === "error"),
      files,
      problems,
      resettable: this.skills.shippedBuiltins().has(name),
      builtinUpdate: this.skills.builtinUpdates().has(name),
      enabledFor: agents
        .filter((agent) => isSkillEnabled(agent.config.skills, name))
        .map((agent) => agent.id),
    };
  }

  /** A diagnostic with its path made relative to the skill folder. */
  private problem(diagnostic: SkillDiagnostic, folder: string): SkillProblem {
    const base = folder === "" ? this.root : join(this.root, folder);
    const inside = relative(base, diagnostic.path);
    const file = inside.startsWith("..") || isAbsolute(inside) ? diagnostic.path : inside;
    const problem: SkillProblem = { severity: diagnostic.severity, file, message: diagnostic.message };
    if (diagnostic.field) problem.field = diagnostic.field;
    if (diagnostic.line) problem.line = diagnostic.line;
    return problem;
  }

  private async sourceOf(folder: string): Promise<SkillSourceKind> {
    if (await pathExists(join(this.root, folder, IMPORT_MARKER_FILE))) return "imported";
    return this.skills.shippedBuiltins().has(folder) ? "builtin" : "user";
  }
}

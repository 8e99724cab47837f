/**
 * Skills for the running app: syncs the built-ins into the user's skills dir at start, keeps the
 * discovered skills (and their diagnostics) in memory, and builds the per-agent catalog a turn uses.
 *
 * A catalog's `materialize` copies a skill into the agent's workspace under `.skills/<name>` (refreshed
 * when any file of the source changed), so confined file tools and the sandboxed shell can read and run it.
 */
import { cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import { join, relative as relativePath } from "node:path";
import type { Logger } from "../core/logger.ts";
import { builtinSkillSourceFromDir, builtinSkillSourceFromEmbedded } from "./builtin.ts";
import { createSkillCatalog } from "./catalog.ts";
import { discoverSkills } from "./discover.ts";
import { pathExists, walkFiles } from "./files.ts";
import {
  discoverLiveSkills,
  inPrecedenceOrder,
  type LiveSkills,
  type SkillSourceSwitches,
} from "./live-sources.ts";
import {
  BUILTIN_STAGING_FOLDER,
  builtinSkillNames,
  type ResetResult,
  readSyncManifest,
  resetSkillToBuiltin,
  syncBuiltinSkills,
} from "./sync.ts";
import type { BuiltinSkillSource, Skill, SkillCatalog, SkillDiagnostic, SkillSyncReport } from "./types.ts";

export const WORKSPACE_SKILLS_FOLDER = ".skills";

export interface SkillServiceOptions {
  userSkillsDir: string;
  manifestPath: string;
  compiled: boolean;
  logger: Logger;
  /** The user's home, where `~/.agents/skills` and `~/.claude/skills` are read from. */
  home?: string;
  /** Folders no skill may be read from (Sage's own folders, credential stores), read at each discovery. */
  hiddenPaths?: () => readonly string[];
}

export class SkillService {
  private skills: Skill[] = [];
  private diagnostics: SkillDiagnostic[] = [];
  private shipped = new Set<string>();
  private staged = new Set<string>();
  private deleted: string[] = [];
  lastSync: SkillSyncReport | undefined;
  private startup: Promise<void> | undefined;

  constructor(private readonly options: SkillServiceOptions) {}

  /**
   * Sync built-ins (first run, upgrades) then discover, once. Never throws: problems become
   * diagnostics. Start-up does not wait for it (it is file work the first screen does not need);
   * everything that reads skills awaits `ready()` first.
   */
  start(): Promise<void> {
    this.startup ??= this.syncAndDiscover();
    return this.startup;
  }

  /** Resolves once the first sync and discovery are done (starting them if needed). */
  ready(): Promise<void> {
    return this.start();
  }

  private async syncAndDiscover(): Promise<void> {
    try {
      this.lastSync = await syncBuiltinSkills({
        source: await builtinSource(this.options.compiled),
        userSkillsDir: this.options.userSkillsDir,
        manifestPath: this.options.manifestPath,
      });
      const { added, updated, keptEdited, warnings } = this.lastSync;
      if (added.length + updated.length + keptEdited.length > 0) {
        this.options.logger.info("built-in skills synced", {
          added,
          updated,
          keptEdited: keptEdited.map((k) => k.name),
        });
      }
      for (const warning of warnings) this.options.logger.warn(`skills: ${warning}`);
    } catch (error) {
      this.options.logger.error("built-in skill sync failed", error);
    }
    await this.discover();
  }

  /** Discover again (after edits, imports, deletes). */
  async refresh(): Promise<void> {
    await this.ready();
    await this.discover();
  }

  private async discover(): Promise<void> {
    const manifest = await readSyncManifest(this.options.manifestPath);
    const result = await discoverSkills(this.options.userSkillsDir, {
      builtinNames: builtinSkillNames(manifest),
    });
    this.skills = result.skills;
    this.diagnostics = result.diagnostics;
    this.shipped = new Set(Object.keys(manifest.skills));
    this.staged = await stagedBuiltins(this.options.userSkillsDir);
    const deleted: string[] = [];
    for (const name of [...this.shipped].sort()) {
      if (!(await pathExists(join(this.options.userSkillsDir, name)))) deleted.push(name);
    }
    this.deleted = deleted;
  }

  /** The user's home as configured (where other tools' skill folders are), if any. */
  get home(): string | undefined {
    return this.options.home;
  }

  /** The folder holding the user's skills (built-in copies, own and imported skills). */
  get userSkillsDir(): string {
    return this.options.userSkillsDir;
  }

  /** Names of the shipped built-ins, as of the last refresh: "reset to built-in" applies to these. */
  shippedBuiltins(): ReadonlySet<string> {
    return this.shipped;
  }

  /** Edited built-ins for which sync staged a different shipped version (`.builtin/<name>`). */
  builtinUpdates(): ReadonlySet<string> {
    return this.staged;
  }

  /** Shipped built-ins whose folder the user deleted (sync leaves them deleted). */
  deletedBuiltins(): readonly string[] {
    return this.deleted;
  }

  /** Replace the user's copy with the shipped version (the old copy goes to `.backup/`), then refresh. */
  async resetToBuiltin(name: string): Promise<ResetResult> {
    const result = await resetSkillToBuiltin(name, {
      source: await builtinSource(this.options.compiled),
      userSkillsDir: this.options.userSkillsDir,
      manifestPath: this.options.manifestPath,
    });
    await this.refresh();
    return result;
  }

  list(): Skill[] {
    return this.skills;
  }

  problems(): SkillDiagnostic[] {
    return this.diagnostics;
  }

  /**
   * Read the workspace's and the home's skills now (they are never cached: an edit shows at the next read).
   * Without a configured home, only the workspace is read.
   */
  async liveSkills(workspaceRoot: string, switches: SkillSourceSwitches): Promise<LiveSkills> {
    return discoverLiveSkills({
      workspaceRoot,
      home: this.options.home ?? "",
      switches: { workspace: switches.workspace, home: switches.home && Boolean(this.options.home) },
      hiddenPaths: this.options.hiddenPaths?.() ?? [],
    });
  }

  /**
   * The skills an agent has enabled, able to copy themselves into `workspaceRoot`. `enabled` filters the
   * library; `live` skills (already filtered by the agent's source switches) join in precedence order.
   */
  catalogFor(enabled: "all" | readonly string[], workspaceRoot: string, live?: LiveSkills): SkillCatalog {
    const library = createSkillCatalog(this.skills, enabled).list();
    const catalog = createSkillCatalog(live ? inPrecedenceOrder(live, library) : library);
    return {
      ...catalog,
      materialize: (skill) => materializeSkill(skill, workspaceRoot),
    };
  }
}

async function stagedBuiltins(userSkillsDir: string): Promise<Set<string>> {
  try {
    const names = await readdir(join(userSkillsDir, BUILTIN_STAGING_FOLDER));
    return new Set(names.filter((name) => !name.startsWith(".")));
  } catch {
    return new Set();
  }
}

async function builtinSource(compiled: boolean): Promise<BuiltinSkillSource> {
  if (compiled) {
    const embedded = await import("sage:embedded-skills");
    return builtinSkillSourceFromEmbedded(embedded.files);
  }
  return builtinSkillSourceFromDir(join(import.meta.dir, "..", "..", "skills"));
}

/**
 * Copy the skill into `<workspace>/.skills/<name>` unless the copy matches the source (same files, sizes
 * and modification times; the copy keeps the source's times), so any edit, addition or deletion in the
 * skill's folder is picked up. Returns the workspace-relative path.
 */
async function materializeSkill(skill: Skill, workspaceRoot: string): Promise<string> {
  // A workspace skill is already where the agent's tools can reach it (live-sources.ts checked that).
  if (skill.source === "workspace") return relativePath(workspaceRoot, skill.dir).split("\\").join("/");
  const relative = `${WORKSPACE_SKILLS_FOLDER}/${skill.name}`;
  const target = join(workspaceRoot, WORKSPACE_SKILLS_FOLDER, skill.name);
  const [source, copy] = await Promise.all([treeSignature(skill.dir), treeSignature(target)]);
  if (copy !== source) {
    await rm(target, { recursive: true, force: true });
    await mkdir(join(workspaceRoot, WORKSPACE_SKILLS_FOLDER), { recursive: true });
    await cp(skill.dir, target, { recursive: true, preserveTimestamps: true });
  }
  return relative;
}

/** "path size mtime" of every file under `dir` (the skill walk's rules), or undefined when it is missing. */
async function treeSignature(dir: string): Promise<string | undefined> {
  try {
    const { files } = await walkFiles(dir);
    const stats = await Promise.all(files.map((file) => stat(join(dir, file))));
    return files
      .map((file, i) => `${file} ${stats[i]?.size} ${Math.trunc(stats[i]?.mtimeMs ?? 0)}`)
      .join("\n");
  } catch {
    return undefined;
  }
}

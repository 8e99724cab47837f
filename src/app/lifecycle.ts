/**
 * Start-up and shut-down of the backend, in a fixed order:
 *   data dirs -> SQLite (checked before anything writes; WAL, busy_timeout, foreign keys) -> migrations
 *   -> daily backups (first one a minute after start-up, off the server's thread) -> local user
 *   -> built-in skills sync -> tool registry and per-agent tool services (browsers) -> MCP servers
 *   -> session manager (recovers interrupted turns) -> the "try it" tool runner
 * `shutdown()` undoes them in reverse (running turns are stopped and saved, then the agents' browsers
 * close) and checkpoints the WAL, so a clean exit leaves no -wal file.
 */

import { join } from "node:path";
import { AgentRepository } from "../agent-configs/repository.ts";
import type { RunMode } from "../core/args.ts";
import { setColdBundleFolder } from "../core/cold-bundles.ts";
import type { Logger } from "../core/logger.ts";
import { ensurePaths, type Paths } from "../core/paths.ts";
import { ensureLocalUser } from "../core/user.ts";
import { VERSION } from "../core/version.ts";
import { openExternal } from "../desktop/shell-control.ts";
import { DatabaseMaintenance } from "../housekeeping/database-maintenance.ts";
import { FolderSizeCache } from "../housekeeping/folder-size-cache.ts";
import { McpConfigStore } from "../mcp/config-store.ts";
import { McpManager } from "../mcp/manager.ts";
import { McpOAuthStore } from "../mcp/oauth-store.ts";
import { EncryptedFileStore } from "../providers/encrypted-file-store.ts";
import { KeychainStore } from "../providers/keychain-store.ts";
import { ProviderRepository } from "../providers/repository.ts";
import { SelectedSecretStore } from "../providers/select-secret-store.ts";
import { probeSandbox, sandboxStatus, secretStorePaths } from "../sandbox/bubblewrap.ts";
import { protectedPaths } from "../sandbox/protected-paths.ts";
import { Scheduler } from "../schedule/scheduler.ts";
import { SessionLauncher } from "../schedule/session-launcher.ts";
import { TaskRepository } from "../schedule/task-repository.ts";
import { ScheduledTasks } from "../schedule/task-service.ts";
import { type Clock, systemClock } from "../schedule/types.ts";
import { webSearchServiceFor } from "../search/web-search.ts";
import { WebSearchKeys } from "../search/web-search-keys.ts";
import { AuditLog } from "../sessions/audit-log.ts";
import { SessionManager } from "../sessions/manager.ts";
import { ManualToolRunner } from "../sessions/manual-tool-run.ts";
import { RememberedApprovals } from "../sessions/remembered-approvals.ts";
import { SessionRepository } from "../sessions/repository.ts";
import { SessionMemory } from "../sessions/session-memory.ts";
import { EnvironmentVariables } from "../settings/environment.ts";
import { SettingsRepository } from "../settings/repository.ts";
import type { SessionCommands } from "../shared/client-messages.ts";
import { browserHeadedOf } from "../shared/settings.ts";
import type { StartupNotice } from "../shared/storage.ts";
import { SkillService } from "../skills/service.ts";
import { ApprovalStore } from "../store/approval-store.ts";
import { BackupService } from "../store/backup-service.ts";
import { backupsDirFor, listBackups } from "../store/backups.ts";
import { closeDatabase, openDatabase } from "../store/database.ts";
import { EventJournal, journalPathFor } from "../store/event-journal.ts";
import { EventLog } from "../store/event-log.ts";
import { BUILTIN_TOOLS } from "../tools/registry.ts";
import { workspaceRulesFor } from "../workspace/workspace-location.ts";
import { AgentServices } from "./agent-services.ts";
import type { AppContext } from "./context.ts";
import { IdleCollector } from "./idle-collector.ts";

export interface InitializeOptions {
  paths: Paths;
  logger: Logger;
  mode: RunMode;
  compiled: boolean;
  /** The environment (display, SAGE_BROWSER, test overrides); `process.env` when absent. */
  env?: Record<string, string | undefined>;
  /**
   * Where to look for bwrap instead of the PATH and the usual places (tests: a missing binary shows
   * the unsandboxed path, where every shell command asks).
   */
  bwrapCandidates?: string[];
  /** The scheduler's clock (tests move time by hand); the system clock when absent. */
  clock?: Clock;
}

export interface Backend {
  context: AppContext;
  /** What WebSocket clients may ask of the sessions (submit, stop, approve ...). */
  commands: SessionCommands;
  shutdown(): Promise<void>;
}

/** Database upkeep waits until no turn has run for this long (src/housekeeping/database-maintenance.ts). */
const MAINTENANCE_QUIET_MS = 2 * 60_000;

export async function initialize(options: InitializeOptions): Promise<Backend> {
  const { paths, logger } = options;
  const started = performance.now();
  ensurePaths(paths);
  setColdBundleFolder(paths.modules);
  const { db, migration, wasEmpty, fullCheck } = openDatabase(paths.database);
  if (migration.applied.length > 0) {
    logger.info(`database schema ${migration.from} -> ${migration.to}`, { applied: migration.applied });
  }
  if (fullCheck)
    logger.info(`database checked (quick_check) in ${(performance.now() - started).toFixed(1)} ms`);
  const undo: (() => void | Promise<void>)[] = [() => closeDatabase(db)];
  try {
    const env = options.env ?? process.env;
    const backups = new BackupService({
      databasePath: paths.database,
      logger: logger.child("backup"),
      compiled: options.compiled,
      // SAGE_BACKUP_DELAY_MS (with SAGE_TEST_HOOKS=1 only): tests see the first backup sooner.
      firstDelayMs:
        env.SAGE_TEST_HOOKS === "1" && env.SAGE_BACKUP_DELAY_MS
          ? Number(env.SAGE_BACKUP_DELAY_MS)
          : undefined,
    });
    backups.start();
    // Before the database closes: a running backup's read connection would keep it in WAL mode.
    undo.push(() => backups.stop());
    const notices = startupNotices(paths.database, wasEmpty, logger);

    const user = ensureLocalUser(db);
    // Stores what a crash left in the journal before anything reads the log (recovery, subscribers).
    const events = new EventLog(db, { journal: new EventJournal(journalPathFor(paths.database)) });
    undo.push(() => events.close());

    const settings = new SettingsRepository(db, user.id);
    const credentialFolders = () => settings.value("credentialFolders");
    const skills = new SkillService({
      userSkillsDir: paths.skills,
      manifestPath: join(paths.data, "skills-manifest.json"),
      compiled: options.compiled,
      logger: logger.child("skills"),
      home: paths.userHome,
      // The same protected paths as the file tools and the shell (read at each discovery).
      hiddenPaths: () => [...protectedPaths(paths, credentialFolders()), ...secretStorePaths(process.env)],
    });
    // The built-in skills sync runs here, in order, without holding up the first request; readers of
    // skills await `skills.ready()`.
    void skills.start();
    undo.push(() => skills.ready());

    // Keys: the OS keychain when a probe round trip works, else the encrypted file (decided in the
    // background; a start with secret environment variables waits for it).
    const secretStore = new SelectedSecretStore({
      keychain: new KeychainStore(),
      fallback: new EncryptedFileStore(paths.secretsFile),
      logger: logger.child("keys"),
    });
    const onSecret = (value: string) => logger.addSecret(value);
    const environment = new EnvironmentVariables(settings, secretStore, { onSecret });
    if (environment.hasSecrets()) await environment.load();

    const tools = BUILTIN_TOOLS;
    // The sandbox probe runs child processes: it starts now, in the background, and the first
    // turn, "try it" run or MCP launch awaits the one cached answer (nothing blocks the server).
    const probed = options.bwrapCandidates ? probeSandbox(options.bwrapCandidates) : undefined;
    const sandbox = probed ? () => probed : sandboxStatus;
    sandbox().catch((error) => logger.error("sandbox probe failed", error));
    const webSearchKeys = new WebSearchKeys(secretStore, onSecret);
    const agentServices = new AgentServices({
      webSearch: () => {
        const provider = settings.value("webSearchProvider");
        try {
          return webSearchServiceFor(provider, settings.value("webSearchUrl"), () =>
            webSearchKeys.get(provider),
          );
        } catch (error) {
          return error as Error;
        }
      },
      browserHeaded: () => browserHeadedOf(settings.value("browserMode")),
      webFetchLocal: () => settings.value("webFetchLocal"),
      profilesRoot: paths.browserProfiles,
      mode: options.mode,
      env,
      logger: logger.child("browser"),
    });
    // Runs after the sessions' shutdown (undo runs in reverse): turns stop before their browsers close.
    undo.push(() => agentServices.dispose());
    const agents = new AgentRepository(db, user.id, () => workspaceRulesFor(paths, credentialFolders()));
    // MCP servers: configs in the settings table, secrets in the key store; servers start lazily (or
    // eagerly, per server) and stop after the sessions at shutdown (undo runs in reverse).
    const mcpStore = new McpConfigStore(settings, secretStore, { onSecret });
    const mcp = new McpManager({
      store: mcpStore,
      oauth: new McpOAuthStore(secretStore, onSecret),
      // Window mode opens the sign-in page in the system browser; in a browser tab the panel's link does.
      openBrowser: options.mode === "window" ? openExternal : undefined,
      agents,
      paths,
      logger: logger.child("mcp"),
      version: VERSION,
      compiled: options.compiled,
      env,
      sandbox,
      userEnvironment: () => environment.values(),
    });
    undo.push(() => mcp.dispose());
    const mcpSecrets = setTimeout(() => {
      void mcpStore
        .loadSecrets()
        .then(() => mcp.loadSignIns())
        .then(() => mcp.startEager());
    }, 0);
    undo.push(() => clearTimeout(mcpSecrets));
    // Keys are read when first needed (a model call, a connection test, Settings → Providers' hints)
    // and dropped from memory when idle (src/providers/key-cache.ts); nothing reads them at start-up.
    const providers = new ProviderRepository(db, user.id, secretStore, { onSecret });
    undo.push(() => providers.dispose());
    // The scheduled-task tools reach the tasks through their services; the tasks exist once the sessions do.
    let scheduledTasks: ScheduledTasks | undefined;
    const memory = new SessionMemory(db, user.id);
    const toolServices = (
      agent: Parameters<AgentServices["forAgent"]>[0],
      workspace: Parameters<AgentServices["forAgent"]>[1],
    ) => ({
      ...agentServices.forAgent(agent, workspace),
      ...(scheduledTasks ? { scheduledTasks } : {}),
      memory,
    });
    const sessionRepo = new SessionRepository(db, user.id);
    const sessions = new SessionManager({
      db,
      userId: user.id,
      repo: sessionRepo,
      events,
      logger: logger.child("sessions"),
      paths,
      agents,
      providers,
      skills,
      tools,
      sandbox,
      userEnvironment: () => environment.values(),
      credentialFolders,
      agentServices: toolServices,
      mcp,
    });
    const recovered = sessions.recover();
    if (recovered > 0) logger.info(`marked ${recovered} turn(s) interrupted by the last exit as interrupted`);
    const tidied = sessions.tidy();
    if (tidied.untouched + tidied.purged > 0)
      logger.info(`removed ${tidied.untouched} untouched and ${tidied.purged} deleted session(s)`);
    undo.push(() => sessions.shutdown());
    // Idle: one full garbage collection when the last running turn ends.
    const collector = new IdleCollector({ events, logger: logger.child("idle") });
    undo.push(() => collector.stop());
    const maintenance = new DatabaseMaintenance({
      db,
      databasePath: paths.database,
      compiled: options.compiled,
      logger: logger.child("maintenance"),
      // Not between the turns of someone chatting: a VACUUM holds SQLite's write lock, and a turn's
      // first write would wait for it (see database-maintenance.ts).
      isIdle: () => sessions.runningCount() === 0 && collector.idleForMs() >= MAINTENANCE_QUIET_MS,
    });
    maintenance.start();
    undo.push(() => maintenance.stop());

    // Scheduled tasks: after the sessions recovered (a run's interrupted turn is already marked); the
    // scheduler stops before the sessions do (undo runs in reverse), so runs cut short by the quit are
    // recorded as interrupted.
    const clock = options.clock ?? systemClock;
    const taskRepo = new TaskRepository(db, user.id);
    const scheduler = new Scheduler({
      repo: taskRepo,
      clock,
      logger: logger.child("schedule"),
      launcher: new SessionLauncher({
        sessions,
        agents,
        subscribe: (listener) => events.subscribe(listener),
      }),
    });
    scheduledTasks = new ScheduledTasks({ repo: taskRepo, scheduler, clock, agents });
    scheduler.start();
    undo.push(() => scheduler.stop());

    const audit = new AuditLog(db, user.id);
    const toolRunner = new ManualToolRunner({
      paths,
      agents,
      skills,
      tools,
      audit,
      sandbox,
      userEnvironment: () => environment.values(),
      credentialFolders,
      agentServices: toolServices,
      mcp,
    });
    undo.push(() => toolRunner.dispose());

    const context: AppContext = {
      version: VERSION,
      mode: options.mode,
      compiled: options.compiled,
      startedAt: Date.now(),
      paths,
      logger,
      db,
      user,
      events,
      agents,
      providers,
      skills,
      tools,
      sessionRepo,
      sessions,
      sandbox,
      credentialFolders,
      agentServices,
      mcp,
      toolRunner,
      audit,
      approvals: new RememberedApprovals(new ApprovalStore(db, user.id), agents),
      settings,
      environment,
      webSearchKeys,
      backups,
      maintenance,
      folderSizes: new FolderSizeCache({ logger: logger.child("storage") }),
      notices,
      scheduler,
      scheduledTasks,
    };
    logger.info(`backend ready in ${(performance.now() - started).toFixed(1)} ms`, { data: paths.home });
    let stopped = false;
    const commands: SessionCommands = sessions;
    return {
      context,
      commands,
      async shutdown() {
        if (stopped) return;
        stopped = true;
        for (const step of undo.reverse()) {
          try {
            await step();
          } catch (error) {
            logger.error("shutdown step failed", error);
          }
        }
        logger.info("backend stopped");
      },
    };
  } catch (error) {
    for (const step of undo.reverse()) await step();
    throw error;
  }
}

/** An empty database file is not an error, but the user must hear of it and of the backup that exists. */
function startupNotices(databasePath: string, wasEmpty: boolean, logger: Logger): StartupNotice[] {
  if (!wasEmpty) return [];
  const [backup] = listBackups(backupsDirFor(databasePath));
  const notice: StartupNotice = {
    code: "database-was-empty",
    path: databasePath,
    ...(backup ? { backup: { name: backup.name, createdAt: backup.createdAt, size: backup.size } } : {}),
  };
  logger.warn(describeStartupNotice(notice));
  return [notice];
}

/** A notice in words, for the terminal and the log (the UI has its own, translated). */
export function describeStartupNotice(notice: StartupNotice): string {
  const backup = notice.backup
    ? ` A backup from ${new Date(notice.backup.createdAt).toLocaleString()} exists: quit Sage and run ` +
      "`sage --restore-backup` to bring it back."
    : " There is no backup to restore.";
  return `The database file ${notice.path} was empty (0 bytes), so Sage started with a new, empty database.${backup}`;
}

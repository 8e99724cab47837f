/**
 * The application context: everything the backend needs, built once by `initialize()` and passed
 * explicitly (no globals, no DI framework). Routes read from it; nothing below src/server imports it.
 */
import type { Database } from "bun:sqlite";
import type { AnyTool } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import type { RunMode } from "../core/args.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import type { LocalUser } from "../core/user.ts";
import type { DatabaseMaintenance } from "../housekeeping/database-maintenance.ts";
import type { FolderSizeCache } from "../housekeeping/folder-size-cache.ts";
import type { McpManager } from "../mcp/manager.ts";
import type { ProviderRepository } from "../providers/repository.ts";
import type { SandboxStatus } from "../sandbox/types.ts";
import type { Scheduler } from "../schedule/scheduler.ts";
import type { ScheduledTasks } from "../schedule/task-service.ts";
import type { WebSearchKeys } from "../search/web-search-keys.ts";
import type { AuditLog } from "../sessions/audit-log.ts";
import type { SessionManager } from "../sessions/manager.ts";
import type { ManualToolRunner } from "../sessions/manual-tool-run.ts";
import type { RememberedApprovals } from "../sessions/remembered-approvals.ts";
import type { SessionRepository } from "../sessions/repository.ts";
import type { EnvironmentVariables } from "../settings/environment.ts";
import type { SettingsRepository } from "../settings/repository.ts";
import type { StartupNotice } from "../shared/storage.ts";
import type { SkillService } from "../skills/service.ts";
import type { BackupService } from "../store/backup-service.ts";
import type { EventLog } from "../store/event-log.ts";
import type { AgentServices } from "./agent-services.ts";

export interface AppContext {
  version: string;
  mode: RunMode;
  /** True when running from the `bun build --compile` executable. */
  compiled: boolean;
  startedAt: number;
  paths: Paths;
  logger: Logger;
  db: Database;
  user: LocalUser;
  events: EventLog;
  agents: AgentRepository;
  providers: ProviderRepository;
  skills: SkillService;
  tools: readonly AnyTool[];
  sessionRepo: SessionRepository;
  sessions: SessionManager;
  sandbox(): Promise<SandboxStatus>;
  /** The credential folder entries hidden from every tool (Settings → Tools & approvals), read now. */
  credentialFolders(): readonly string[];
  /** Per-agent tool services: the browser of each agent, web_fetch settings. */
  agentServices: AgentServices;
  /** MCP servers: configs, running instances, health, their tools for turns. */
  mcp: McpManager;
  /** The Tools page's "try it" runner. */
  toolRunner: ManualToolRunner;
  /** The audit log of tool runs. */
  audit: AuditLog;
  /** "Always for this agent" approvals (Settings → Tools & approvals). */
  approvals: RememberedApprovals;
  /** User settings (Settings → General) and the environment variables tools see. */
  settings: SettingsRepository;
  environment: EnvironmentVariables;
  /** Web search API keys (keychain), one per provider. */
  webSearchKeys: WebSearchKeys;
  /** The database's automatic backups. */
  backups: BackupService;
  /** Database upkeep when idle (optimize, vacuum) and Settings → Storage → Compact. */
  maintenance: DatabaseMaintenance;
  /** Settings → Storage's folder sizes, measured in the background. */
  folderSizes: FolderSizeCache;
  /** Found while starting and shown by the UI at once (an empty database file ...). */
  notices: StartupNotice[];
  /** Scheduled tasks (Tasks page, agent tools) and the scheduler that runs them. */
  scheduledTasks: ScheduledTasks;
  scheduler: Scheduler;
}

export function isCompiled(): boolean {
  return Bun.isStandaloneExecutable;
}

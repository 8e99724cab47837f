/** Every feature's routes, one Elysia plugin each, in the order they are mounted. */
import type { AnyElysia } from "elysia";
import type { AppContext } from "../../app/context.ts";
import type { DesktopServices } from "../../app/desktop-services.ts";
import type { ShellControl } from "../../desktop/shell-control.ts";
import { agentRoutes } from "./agents.ts";
import { appControlRoutes } from "./app-control.ts";
import { approvalRoutes } from "./approvals.ts";
import { backupRoutes } from "./backups.ts";
import { healthRoutes } from "./health.ts";
import { mcpRoutes } from "./mcp.ts";
import { providerRoutes } from "./providers.ts";
import { scheduledTaskRoutes } from "./scheduled-tasks.ts";
import { sessionRoutes } from "./sessions.ts";
import { settingsRoutes } from "./settings.ts";
import { setupRoutes } from "./setup.ts";
import { shellJobRoutes } from "./shell-jobs.ts";
import { skillRoutes } from "./skills.ts";
import { storageRoutes } from "./storage.ts";
import { toolRoutes } from "./tools.ts";
import { turnUndoRoutes } from "./turn-undo.ts";
import { workspaceRoutes } from "./workspace.ts";

/**
 * The plugins in mounting order, as a tuple so that their route types stay apart: ApiRoutes is derived
 * from this one list, so a plugin mounted here is always in the UI's typed client too.
 */
function routePlugins(app: AppContext, shell: ShellControl, desktop?: DesktopServices) {
  const chooseSavePath = desktop
    ? (fileName: string, title: string) => desktop.chooseSavePath(fileName, title)
    : undefined;
  return [
    healthRoutes(app),
    appControlRoutes(app, shell, desktop),
    sessionRoutes(app),
    skillRoutes(app),
    toolRoutes(app),
    mcpRoutes(app),
    approvalRoutes(app),
    turnUndoRoutes(app),
    shellJobRoutes(app),
    workspaceRoutes(app, { chooseSavePath }),
    providerRoutes(app),
    storageRoutes(app),
    agentRoutes(app),
    settingsRoutes(app, { chooseSavePath }),
    setupRoutes(app),
    backupRoutes(app),
    scheduledTaskRoutes(app),
  ] as const;
}

export function featureRoutes(app: AppContext, shell: ShellControl, desktop?: DesktopServices): AnyElysia[] {
  return [...routePlugins(app, shell, desktop)];
}

/** The intersection of every plugin's `~Routes` in a tuple of plugins. */
type RoutesOf<Plugins> = Plugins extends readonly [infer First, ...infer Rest]
  ? (First extends { "~Routes": infer Routes } ? Routes : never) & RoutesOf<Rest>
  : unknown;

/**
 * Every HTTP route's types as Elysia infers them (path -> method -> params, query, body, response): what the
 * UI's typed client (ui/src/lib/api-client.ts) reads. A type only; nothing server-side reaches the UI bundle.
 */
export type ApiRoutes = RoutesOf<ReturnType<typeof routePlugins>>;

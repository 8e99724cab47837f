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

export function featureRoutes(app: AppContext, shell: ShellControl, desktop?: DesktopServices): AnyElysia[] {
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
    workspaceRoutes(app, {
      chooseSavePath: desktop ? (fileName, title) => desktop.chooseSavePath(fileName, title) : undefined,
    }),
    providerRoutes(app),
    storageRoutes(app),
    agentRoutes(app),
    settingsRoutes(app, {
      chooseSavePath: desktop ? (fileName, title) => desktop.chooseSavePath(fileName, title) : undefined,
    }),
    setupRoutes(app),
    backupRoutes(app),
    scheduledTaskRoutes(app),
  ];
}

type RoutesOf<Plugin extends (...args: never[]) => { "~Routes": object }> = ReturnType<Plugin>["~Routes"];

/**
 * Every HTTP route's types as Elysia infers them (path -> method -> params, query, body, response): what the
 * UI's typed client (ui/src/lib/api-client.ts) reads. A type only; nothing server-side reaches the UI bundle.
 */
export type ApiRoutes = RoutesOf<typeof healthRoutes> &
  RoutesOf<typeof appControlRoutes> &
  RoutesOf<typeof sessionRoutes> &
  RoutesOf<typeof skillRoutes> &
  RoutesOf<typeof toolRoutes> &
  RoutesOf<typeof mcpRoutes> &
  RoutesOf<typeof approvalRoutes> &
  RoutesOf<typeof turnUndoRoutes> &
  RoutesOf<typeof shellJobRoutes> &
  RoutesOf<typeof workspaceRoutes> &
  RoutesOf<typeof providerRoutes> &
  RoutesOf<typeof storageRoutes> &
  RoutesOf<typeof agentRoutes> &
  RoutesOf<typeof settingsRoutes> &
  RoutesOf<typeof setupRoutes> &
  RoutesOf<typeof backupRoutes>;

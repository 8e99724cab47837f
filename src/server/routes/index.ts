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
  ];
}

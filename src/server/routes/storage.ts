/**
 * /api/storage (Settings → Storage): what takes space in Sage's folders, and the safe clean-ups —
 * saved tool outputs older than N days, deleted chats still kept for undo, compacting the database.
 * Nothing here touches a chat that is not deleted or a file outside the tool-output folders.
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { ConflictError } from "../../core/errors.ts";
import {
  databaseSize,
  folderSize,
  removeOldToolOutputs,
  toolOutputSize,
} from "../../housekeeping/storage-usage.ts";
import { MaintenanceReport, StorageUsage } from "../../shared/storage.ts";
import { backupsDirFor } from "../../store/backups.ts";
import { workspaceRootOf } from "../../workspace/workspace-location.ts";

const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_DAYS = 30;
const Days = t.Integer({ minimum: 0, maximum: 3650 });

/** Distinct workspace folders with the names of the agents that use each. */
function workspaces(app: AppContext): Map<string, string[]> {
  const byRoot = new Map<string, string[]>();
  for (const agent of app.agents.list()) {
    const root = workspaceRootOf(agent, app.paths.workspaces);
    byRoot.set(root, [...(byRoot.get(root) ?? []), agent.config.name]);
  }
  return byRoot;
}

export function storageRoutes(app: AppContext) {
  return new Elysia({ name: "storage", detail: { tags: ["app"] } })
    .get(
      "/api/storage",
      async ({ query }): Promise<StorageUsage> => {
        const olderThanDays = query.olderThanDays ?? DEFAULT_DAYS;
        const olderThan = Date.now() - olderThanDays * DAY;
        const roots = [...workspaces(app)];
        const [database, backups, logs, browserProfiles, skills, workspaceSizes] = await Promise.all([
          databaseSize(app.db, app.paths.database),
          folderSize(backupsDirFor(app.paths.database)),
          folderSize(app.paths.logs),
          folderSize(app.paths.browserProfiles),
          folderSize(app.paths.skills),
          Promise.all(
            roots.map(async ([root, agents]) => {
              const [size, outputs] = await Promise.all([folderSize(root), toolOutputSize(root, olderThan)]);
              const { bytes, files, oldBytes, oldFiles } = outputs;
              return { agents, size, toolOutputs: { bytes, files, oldBytes, oldFiles } };
            }),
          ),
        ]);
        return {
          database,
          backups,
          logs,
          browserProfiles,
          skills,
          workspaces: workspaceSizes,
          olderThanDays,
          deletedChats: app.sessionRepo.deletedCount(),
          maintenance: app.maintenance.status(),
        };
      },
      {
        query: t.Object({ olderThanDays: t.Optional(t.Numeric({ minimum: 0, maximum: 3650 })) }),
        response: StorageUsage,
        detail: { summary: "What takes space: database, backups, logs, browser profiles, workspaces" },
      },
    )
    .post(
      "/api/storage/tool-outputs/clean",
      async ({ body }) => {
        const olderThan = Date.now() - body.olderThanDays * DAY;
        const removed = { files: 0, bytes: 0 };
        for (const root of workspaces(app).keys()) {
          const result = await removeOldToolOutputs(root, olderThan);
          removed.files += result.files;
          removed.bytes += result.bytes;
        }
        app.logger.info(`removed ${removed.files} saved tool output(s), ${removed.bytes} bytes`);
        return removed;
      },
      {
        body: t.Object({ olderThanDays: Days }),
        response: t.Object({ files: t.Number(), bytes: t.Number() }),
        detail: { summary: "Remove saved tool outputs older than N days, in every agent's workspace" },
      },
    )
    .post(
      "/api/storage/deleted-chats/purge",
      () => {
        const purged = app.sessionRepo.purgeDeleted(Number.POSITIVE_INFINITY);
        app.logger.info(`purged ${purged} deleted chat(s)`);
        return { purged };
      },
      {
        response: t.Object({ purged: t.Number() }),
        detail: { summary: "Remove deleted chats now instead of after the undo window" },
      },
    )
    .post(
      "/api/storage/compact",
      (): Promise<MaintenanceReport> => {
        if (app.sessions.runningCount() > 0)
          throw new ConflictError("A turn is running: compact the database when every chat is idle.");
        return app.maintenance.maintain({ vacuum: true });
      },
      { response: MaintenanceReport, detail: { summary: "Optimize and compact (VACUUM) the database now" } },
    );
}

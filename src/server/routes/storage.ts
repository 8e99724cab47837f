/**
 * /api/storage (Settings → Storage): what takes space in Sage's folders, and the safe clean-ups —
 * saved tool outputs older than N days, deleted chats still kept for undo, compacting the database.
 * Nothing here touches a chat that is not deleted or a file outside the tool-output folders. Folder sizes
 * come from app.folderSizes (measured in the background, never walked on each visit).
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { ConflictError } from "../../core/errors.ts";
import { databaseSize, removeOldToolOutputs, toolOutputSize } from "../../housekeeping/storage-usage.ts";
import { MaintenanceReport, StorageUsage } from "../../shared/storage.ts";
import { backupsDirFor } from "../../store/backups.ts";
import { workspaceRootOf } from "../../workspace/workspace-location.ts";

const DAY = 24 * 60 * 60 * 1000;
const DEFAULT_DAYS = 30;
const Days = t.Integer({ minimum: 0, maximum: 3650 });
/** How long a visit waits for folders never measured before answering with "measuring". */
const FIRST_VISIT_WAIT_MS = 500;

/** Distinct workspace folders with the names of the agents that use each. */
function workspaces(app: AppContext): Map<string, string[]> {
  const byRoot = new Map<string, string[]>();
  for (const agent of app.agents.list()) {
    const root = workspaceRootOf(agent, app.paths.workspaces);
    byRoot.set(root, [...(byRoot.get(root) ?? []), agent.config.name]);
  }
  return byRoot;
}

/** The folders whose sizes the cache keeps: backups, logs, browser profiles, skills, then each workspace. */
function folderPaths(app: AppContext, roots: [string, string[]][]): string[] {
  const { paths } = app;
  return [
    backupsDirFor(paths.database),
    paths.logs,
    paths.browserProfiles,
    paths.skills,
    ...roots.map(([root]) => root),
  ];
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("storage: a measurement is missing");
  return value;
}

export function storageRoutes(app: AppContext) {
  return new Elysia({ name: "storage", detail: { tags: ["app"] } })
    .get(
      "/api/storage",
      async ({ query }): Promise<StorageUsage> => {
        const olderThanDays = query.olderThanDays ?? DEFAULT_DAYS;
        const olderThan = Date.now() - olderThanDays * DAY;
        const roots = [...workspaces(app)];
        const paths = folderPaths(app, roots);
        // Folder sizes come from the cache; a folder never measured gets a short wait (small folders
        // are done by then), a large one is shown as "measuring" and the UI asks again.
        if (app.folderSizes.read(paths).some((folder) => folder.measuredAt === null))
          await app.folderSizes.settle(FIRST_VISIT_WAIT_MS);
        const [backups, logs, browserProfiles, skills, ...workspaceSizes] = app.folderSizes.read(paths);
        const [database, outputs] = await Promise.all([
          databaseSize(app.db, app.paths.database),
          Promise.all(roots.map(([root]) => toolOutputSize(root, olderThan))),
        ]);
        return {
          database,
          backups: required(backups),
          logs: required(logs),
          browserProfiles: required(browserProfiles),
          skills: required(skills),
          workspaces: roots.map(([, agents], index) => {
            const { bytes, files, oldBytes, oldFiles } = required(outputs[index]);
            return {
              agents,
              size: required(workspaceSizes[index]),
              toolOutputs: { bytes, files, oldBytes, oldFiles },
            };
          }),
          olderThanDays,
          measuring: app.folderSizes.measuring(),
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
      "/api/storage/measure",
      () => {
        void app.folderSizes.refresh(folderPaths(app, [...workspaces(app)]));
        return { measuring: app.folderSizes.measuring() };
      },
      {
        response: t.Object({ measuring: t.Boolean() }),
        detail: {
          summary: "Measure the folder sizes again, in the background (GET /api/storage shows them)",
        },
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
        // The workspaces shrank: measure them again in the background.
        if (removed.files > 0) void app.folderSizes.refresh([...workspaces(app).keys()]);
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

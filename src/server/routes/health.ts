/** GET /api/health: liveness plus the facts a support request needs. */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { StartupNotice } from "../../shared/storage.ts";
import { journalMode } from "../../store/database.ts";

export const HealthResponse = t.Object({
  status: t.Literal("ok"),
  version: t.String(),
  mode: t.String(),
  compiled: t.Boolean(),
  uptimeMs: t.Number(),
  dataDir: t.String(),
  logFile: t.Union([t.String(), t.Null()]),
  database: t.Object({ path: t.String(), journalMode: t.String() }),
  user: t.Object({ id: t.String(), name: t.String() }),
  /** Storage news from start-up the UI shows at once (see src/shared/storage.ts). */
  notices: t.Array(StartupNotice),
});

export function healthRoutes(app: AppContext) {
  return new Elysia({ name: "health" }).get(
    "/api/health",
    () => ({
      status: "ok" as const,
      version: app.version,
      mode: app.mode,
      compiled: app.compiled,
      uptimeMs: Date.now() - app.startedAt,
      dataDir: app.paths.home,
      logFile: app.logger.filePath ?? null,
      database: { path: app.paths.database, journalMode: journalMode(app.db) },
      user: app.user,
      notices: app.notices,
    }),
    { response: HealthResponse, detail: { summary: "Health and paths", tags: ["app"] } },
  );
}

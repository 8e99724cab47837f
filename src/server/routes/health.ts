/** GET /api/health: liveness plus the facts a support request needs. */
import { Elysia } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { HealthResponse } from "../../shared/health.ts";
import { journalMode } from "../../store/database.ts";

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

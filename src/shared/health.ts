/** GET /api/health: liveness plus the facts a support request needs (Settings → About shows them). */
import { type Static, Type as T } from "@sinclair/typebox";
import { StartupNotice } from "./storage.ts";

export const HealthResponse = T.Object({
  status: T.Literal("ok"),
  version: T.String(),
  mode: T.String(),
  compiled: T.Boolean(),
  uptimeMs: T.Number(),
  dataDir: T.String(),
  logFile: T.Union([T.String(), T.Null()]),
  database: T.Object({ path: T.String(), journalMode: T.String() }),
  user: T.Object({ id: T.String(), name: T.String() }),
  /** Storage news from start-up the UI shows at once (see src/shared/storage.ts). */
  notices: T.Array(StartupNotice),
});
export type HealthResponse = Static<typeof HealthResponse>;

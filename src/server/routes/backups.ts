/**
 * /api/backups: the database's automatic backups (Settings → General) — list them, make one now.
 * Restoring is deliberately not here: it replaces the database under a running app, so it is a
 * start-up flag (`sage --restore-backup`) only.
 */
import { Elysia, t } from "elysia";
import type { AppContext } from "../../app/context.ts";
import { BackupSummary, BackupsResponse } from "../../shared/storage.ts";
import { BACKUP_DAYS_KEPT, type BackupInfo } from "../../store/backups.ts";

const summary = (backup: BackupInfo): BackupSummary => ({
  name: backup.name,
  createdAt: backup.createdAt,
  size: backup.size,
});

export function backupRoutes(app: AppContext) {
  return new Elysia({ name: "backups", detail: { tags: ["app"] } })
    .get(
      "/api/backups",
      (): BackupsResponse => {
        const status = app.backups.status();
        return {
          dir: status.dir,
          backups: status.backups.map(summary),
          daysKept: BACKUP_DAYS_KEPT,
          running: status.running,
          lastError: status.lastError,
        };
      },
      { response: BackupsResponse, detail: { summary: "The database backups, newest first" } },
    )
    .post(
      "/api/backups",
      async ({ set }) => {
        const backup = await app.backups.backUpNow();
        set.status = 201;
        return { backup: summary(backup) };
      },
      {
        response: { 201: t.Object({ backup: BackupSummary }) },
        detail: { summary: "Back the database up now (older backups are rotated out)" },
      },
    );
}

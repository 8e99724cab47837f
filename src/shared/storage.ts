/**
 * What the UI learns about Sage's own storage: notices from start-up (GET /api/health `notices`) and
 * the database backups (GET/POST /api/backups).
 */
import { type Static, Type as T } from "@sinclair/typebox";

export const BackupSummary = T.Object({
  name: T.String(),
  /** ms since the epoch. */
  createdAt: T.Number(),
  size: T.Number(),
});
export type BackupSummary = Static<typeof BackupSummary>;

/** Something about storage the user must hear of at once, found while starting. */
export const StartupNotice = T.Union([
  /**
   * `sage.db` was there but 0 bytes long, so Sage started with a new, empty database. `backup` is the
   * newest backup, which `sage --restore-backup` brings back.
   */
  T.Object({
    code: T.Literal("database-was-empty"),
    path: T.String(),
    backup: T.Optional(BackupSummary),
  }),
]);
export type StartupNotice = Static<typeof StartupNotice>;

export const BackupsResponse = T.Object({
  /** The folder the backups are in. */
  dir: T.String(),
  /** Newest first. */
  backups: T.Array(BackupSummary),
  /** How many days keep their newest backup. */
  daysKept: T.Number(),
  running: T.Boolean(),
  /** Why the last backup failed, until one succeeds. */
  lastError: T.Union([T.String(), T.Null()]),
});
export type BackupsResponse = Static<typeof BackupsResponse>;

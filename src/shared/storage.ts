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

/**
 * A folder's size; `complete: false` means the walk stopped at its limit and the figures are lower bounds.
 * Sizes come from a cache measured in the background: `measuredAt` is when (ms since the epoch), null
 * while the folder was never measured yet (then `bytes` is 0 and `complete` false).
 */
export const FolderUsage = T.Object({
  path: T.String(),
  bytes: T.Number(),
  files: T.Number(),
  complete: T.Boolean(),
  measuredAt: T.Union([T.Number(), T.Null()]),
});
export type FolderUsage = Static<typeof FolderUsage>;

export const MaintenanceReport = T.Object({
  at: T.Number(),
  vacuumed: T.Boolean(),
  freedBytes: T.Number(),
  durationMs: T.Number(),
  error: T.Optional(T.String()),
});
export type MaintenanceReport = Static<typeof MaintenanceReport>;

/** GET /api/storage: what takes space (Settings → Storage). */
export const StorageUsage = T.Object({
  database: T.Object({
    path: T.String(),
    /** File + WAL + shared memory. */
    bytes: T.Number(),
    walBytes: T.Number(),
    /** Free pages inside the file: what compacting gives back. */
    freeBytes: T.Number(),
  }),
  backups: FolderUsage,
  logs: FolderUsage,
  browserProfiles: FolderUsage,
  skills: FolderUsage,
  /** One per distinct workspace folder, with the agents that use it. */
  workspaces: T.Array(
    T.Object({
      agents: T.Array(T.String()),
      size: FolderUsage,
      /** Long tool outputs saved in full (`.sage/tool-output`); `old*`: older than `olderThanDays`. */
      toolOutputs: T.Object({
        bytes: T.Number(),
        files: T.Number(),
        oldBytes: T.Number(),
        oldFiles: T.Number(),
      }),
    }),
  ),
  olderThanDays: T.Number(),
  /** Folder sizes are being measured in the background: ask again for fresher figures. */
  measuring: T.Boolean(),
  /** Deleted chats kept for undo until they are purged. */
  deletedChats: T.Object({ sessions: T.Number(), messages: T.Number() }),
  maintenance: T.Object({
    last: T.Union([MaintenanceReport, T.Null()]),
    nextAt: T.Union([T.Number(), T.Null()]),
    /** Optimizing or compacting runs now (off the server's thread). */
    running: T.Boolean(),
  }),
});
export type StorageUsage = Static<typeof StorageUsage>;

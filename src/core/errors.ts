/**
 * Named errors shared across the backend. Each has a literal `name` and typed data; code checks
 * `error.name`, never `instanceof` (errors cross worker and module boundaries). The codes clients see
 * (HTTP status and code, WebSocket error code) come from one table: src/server/error-codes.ts.
 */
import { type FieldIssue, issueMessage } from "../shared/validation.ts";

export class ValidationError extends Error {
  override readonly name = "ValidationError";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} not found: ${id}`);
  }
}

export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/** A request body, an uploaded or named file, or what an archive inflates to is over a limit (413). */
export class ContentTooLargeError extends Error {
  override readonly name = "ContentTooLargeError";
  constructor(
    message: string,
    readonly limitBytes: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A sub-agent's chat (a child session) takes no messages, edits or regenerations of the user's: its turns
 * are started by the parent's delegate call, and a turn started in it would report to no one (409).
 */
export class SubAgentChatReadOnlyError extends Error {
  override readonly name = "SubAgentChatReadOnlyError";
  constructor(
    readonly sessionId: string,
    readonly parentSessionId: string,
  ) {
    super(
      "This chat is a sub-agent's work for another chat and takes no new messages; continue in the parent chat.",
    );
  }
}

/** A body in a format the route does not take (415): e.g. a form sent to a JSON route. */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = "UnsupportedMediaTypeError";
}

/** The database was written by a newer Sage; we refuse to touch it. */
export class DatabaseTooNewError extends Error {
  override readonly name = "DatabaseTooNewError";
  constructor(
    readonly databaseVersion: number,
    readonly supportedVersion: number,
    readonly path: string,
  ) {
    super(
      `The database at ${path} was created by a newer version of Sage (schema ${databaseVersion}; ` +
        `this version understands up to ${supportedVersion}). Update Sage, or start with another ` +
        `--data-dir. The database was not changed.`,
    );
  }
}

/** Where a backup is and when it was made (for messages that offer it). */
export interface BackupRef {
  path: string;
  createdAt: number;
}

/**
 * The database file is damaged (not a database, garbage pages, failed `quick_check`). Sage refused to
 * use it and did not change it; the message says which file and the two ways on.
 */
export class DatabaseDamagedError extends Error {
  override readonly name = "DatabaseDamagedError";
  constructor(
    readonly path: string,
    /** SQLite's own words ("database disk image is malformed", the first quick_check line ...). */
    readonly detail: string,
    /** The newest backup, when one exists. */
    readonly backup: BackupRef | undefined,
  ) {
    super(damagedMessage(path, detail, backup));
  }
}

function damagedMessage(path: string, detail: string, backup: BackupRef | undefined): string {
  const aside = `mv "${path}" "${path}.damaged"`;
  const lines = [
    `The database ${path} is damaged (${detail}). Sage did not change it.`,
    "To go on, either:",
    backup
      ? `  - restore the last good backup, made ${new Date(backup.createdAt).toLocaleString()}: sage --restore-backup` +
        `
    (it moves the damaged file aside, never deletes it; the backup is ${backup.path})`
      : "  - (there is no backup yet to restore)",
    `  - or move the damaged file aside and start with an empty database: ${aside}`,
  ];
  return lines.join("\n");
}

/** A write failed because the disk (or the quota) is full. */
export class DiskFullError extends Error {
  override readonly name = "DiskFullError";
  constructor(
    readonly path: string,
    override readonly cause?: unknown,
  ) {
    super(
      `The disk is full: Sage could not save to ${path}. Free some space on that disk, then go on; ` +
        "what is shown since the disk filled up may not have been saved.",
    );
  }
}

/** What the user reads when saving to `database` failed, and the error part's code (disk full or not). */
export function storageFailureReport(
  error: unknown,
  database: string,
): { code: "disk_full" | "storage_failed"; message: string } {
  if (isDiskFull(error)) return { code: "disk_full", message: new DiskFullError(database, error).message };
  return {
    code: "storage_failed",
    message:
      `Sage could not save this conversation to ${database} (${errorMessage(error)}). ` +
      "Check that disk, then go on; what is shown since may not have been saved.",
  };
}

/**
 * True when saving failed because of the storage itself (full, I/O error, read-only, damaged), not
 * because of what was saved (a constraint is a bug and stays an ordinary error).
 */
export function isStorageFailure(error: unknown): boolean {
  if (isDiskFull(error)) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" && /^SQLITE_(IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|NOMEM|PROTOCOL)/.test(code)
  );
}

/** True for SQLite's "database or disk is full" and the file system's ENOSPC / EDQUOT. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT";
}

export class MigrationError extends Error {
  override readonly name = "MigrationError";
  constructor(
    readonly migration: string,
    override readonly cause: unknown,
  ) {
    super(
      `Migration ${migration} failed and was rolled back: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Throw the first of some validation issues (src/shared/validation.ts) as the named errors above: a
 * duplicate name is a `ConflictError` (409), anything else a `ValidationError` (400).
 */
export function throwFirstIssue(issues: readonly FieldIssue[]): void {
  const first = issues[0];
  if (!first) return;
  if (first.code === "duplicate")
    throw Object.assign(new ConflictError(issueMessage(first)), { field: first.field });
  throw new ValidationError(issueMessage(first), first.field);
}

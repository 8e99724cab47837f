/**
 * Named errors of the workspace browser and attachments. Each has a literal `name`; their HTTP statuses
 * and codes (and the sandbox's `WorkspaceEscapeError`'s) are in the one table, src/server/error-codes.ts.
 */
import { formatBytes } from "../shared/byte-size.ts";

/** The path does not exist in the workspace (or in the named root of a request path). */
export class WorkspaceNotFoundError extends Error {
  override readonly name = "WorkspaceNotFoundError";
  constructor(
    readonly path: string,
    rootName = "the workspace",
  ) {
    super(`No file or folder "${path}" in ${rootName}.`);
  }
}

/** A path in a request that is unusable as text: NUL, backslash, too long, wrong form (400). */
export class UnsafePathError extends Error {
  override readonly name = "UnsafePathError";
  constructor(
    message: string,
    readonly field = "path",
  ) {
    super(message);
  }
}

/** A path in a request that resolves outside its root (not a workspace: see WorkspaceEscapeError) (403). */
export class PathOutsideRootError extends Error {
  override readonly name = "PathOutsideRootError";
  constructor(
    message: string,
    readonly field = "path",
  ) {
    super(message);
  }
}

/** A folder was expected (tree listing). */
export class NotAFolderError extends Error {
  override readonly name = "NotAFolderError";
  constructor(readonly path: string) {
    super(`"${path}" is a file, not a folder.`);
  }
}

/** A regular file was expected (download, preview). */
export class NotAFileError extends Error {
  override readonly name = "NotAFileError";
  constructor(readonly path: string) {
    super(`"${path}" is not a regular file.`);
  }
}

/** An uploaded file is bigger than the limit; nothing of the request was stored. */
export class AttachmentTooLargeError extends Error {
  override readonly name = "AttachmentTooLargeError";
  constructor(
    readonly fileName: string,
    readonly limitBytes: number,
  ) {
    super(`"${fileName}" is larger than the ${formatBytes(limitBytes)} limit for attachments.`);
  }
}

/** The upload request itself is unusable (no files, too many, unreadable form). */
export class AttachmentRequestError extends Error {
  override readonly name = "AttachmentRequestError";
}

/** A Range header that asks for bytes the file does not have. */
export class RangeNotSatisfiableError extends Error {
  override readonly name = "RangeNotSatisfiableError";
  constructor(readonly size: number) {
    super(`The requested byte range is outside the file (${size} bytes).`);
  }
}

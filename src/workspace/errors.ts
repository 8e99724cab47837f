/**
 * Named errors of the workspace browser and attachments. Each has a literal `name`; the workspace
 * routes map them (and the sandbox's `WorkspaceEscapeError`) to HTTP statuses in one function.
 */

/** The path does not exist in the workspace. */
export class WorkspaceNotFoundError extends Error {
  override readonly name = "WorkspaceNotFoundError";
  constructor(readonly path: string) {
    super(`No file or folder "${path}" in the workspace.`);
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
    super(
      `"${fileName}" is larger than the ${Math.round(limitBytes / (1024 * 1024))} MB limit for attachments.`,
    );
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

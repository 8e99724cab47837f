/**
 * Upload limits, shared by the server (its 413 answers) and the UI (checked before uploading). Apart from
 * workspace.ts's TypeBox schemas so the UI's entry chunk needs no TypeBox.
 */

/** Limits on uploads, sent in 413 messages and used by the UI before it uploads. */
export const ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024;
/** Most files in one upload request. */
export const ATTACHMENT_MAX_FILES = 20;
/** Most bytes in one upload request (all its files together). */
export const ATTACHMENT_REQUEST_MAX_BYTES = 200 * 1024 * 1024;

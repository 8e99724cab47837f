/**
 * The workspace browsing and attachment API, as the UI sees it. This file imports nothing, so the UI
 * may import it too.
 *
 * Routes (all confined to the agent's workspace; paths are workspace-relative, "/"-separated):
 * - GET    /api/agents/:id/workspace/tree?path=&depth=   -> WorkspaceListing
 * - GET    /api/agents/:id/workspace/info?path=          -> WorkspaceFileInfo
 * - GET    /api/agents/:id/workspace/file?path=[&download=1]  the bytes (Range supported)
 * - DELETE /api/agents/:id/workspace/file?path=          -> { deleted: true, path }
 * - POST   /api/agents/:id/workspace/open {path}         -> { opened, folder }
 * - GET    /api/agents/:id/workspace/changes             Server-Sent Events: `workspace.changed`
 * - POST   /api/sessions/:id/attachments                 multipart or raw body -> { attachments }
 * Errors use the app's shape `{ error: { code, message } }`: 400 invalid, 403 outside_workspace,
 * 404 not_found, 413 too_large, 416 range_not_satisfiable; 400 invalid_path for a path unusable as text
 * (NUL, backslash, over-long: src/workspace/request-path.ts).
 */

export type WorkspaceEntryType = "file" | "directory" | "other";

export interface WorkspaceEntry {
  name: string;
  /** Workspace-relative, "/"-separated. */
  path: string;
  /** What the entry is (for a symlink inside the workspace: what its target is). */
  type: WorkspaceEntryType;
  /** Bytes (files); 0 for folders. */
  size: number;
  /** Modification time, ms since the epoch. */
  mtime: number;
  /** The name starts with "." (.sage, .skills, .git ...): shown, but never expanded by `depth`. */
  hidden: boolean;
  /**
   * Set for symbolic links: "inside" (target in the workspace, usable), "outside" (refused by the
   * confinement: target outside the workspace, or a loop; listed, never followed) or "broken" (target
   * missing).
   */
  link?: "inside" | "outside" | "broken";
  /** Present when `depth` reached into this folder. */
  children?: WorkspaceEntry[];
  /** The folder had more entries than were returned (see `WorkspaceListing.limit`). */
  truncated?: boolean;
}

export interface WorkspaceListing {
  /** The workspace's absolute (real) root, for display. */
  root: string;
  /** The listed folder, workspace-relative ("." for the root). */
  path: string;
  /** Folders first, then files; each group by name (natural order, case-insensitive). */
  entries: WorkspaceEntry[];
  /** The listed folder had more entries than `limit`. */
  truncated: boolean;
  /** Most entries returned per folder. */
  limit: number;
}

/** How the UI should preview a file. */
export type PreviewKind = "text" | "markdown" | "image" | "pdf" | "none";

export interface WorkspaceFileInfo {
  name: string;
  path: string;
  size: number;
  mtime: number;
  /** The content type the file route sends (charset included for text). */
  mime: string;
  preview: PreviewKind;
  /** A language name for syntax highlighting of text files (shiki's names), when known. */
  language?: string;
}

/** Limits on uploads, sent in 413 messages and used by the UI before it uploads. */
export const ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024;
/** Most files in one upload request. */
export const ATTACHMENT_MAX_FILES = 20;
/** Most bytes in one upload request (all its files together). */
export const ATTACHMENT_REQUEST_MAX_BYTES = 200 * 1024 * 1024;

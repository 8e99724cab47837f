/**
 * The workspace browsing and attachment API, as the UI sees it: TypeBox schemas (the routes declare them as
 * their answers), types and limits; no Bun or Node imports.
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

import { type Static, Type as T } from "@sinclair/typebox";

export const WorkspaceEntryType = T.Union([T.Literal("file"), T.Literal("directory"), T.Literal("other")]);
export type WorkspaceEntryType = Static<typeof WorkspaceEntryType>;

export const WorkspaceEntry = T.Recursive(
  (Entry) =>
    T.Object({
      name: T.String(),
      /** Workspace-relative, "/"-separated. */
      path: T.String(),
      /** What the entry is (for a symlink inside the workspace: what its target is). */
      type: WorkspaceEntryType,
      /** Bytes (files); 0 for folders. */
      size: T.Number(),
      /** Modification time, ms since the epoch. */
      mtime: T.Number(),
      /** The name starts with "." (.sage, .skills, .git ...): shown, but never expanded by `depth`. */
      hidden: T.Boolean(),
      /**
       * Set for symbolic links: "inside" (target in the workspace, usable), "outside" (refused by the
       * confinement: target outside the workspace, or a loop; listed, never followed) or "broken" (target
       * missing).
       */
      link: T.Optional(T.Union([T.Literal("inside"), T.Literal("outside"), T.Literal("broken")])),
      /** Present when `depth` reached into this folder. */
      children: T.Optional(T.Array(Entry)),
      /** The folder had more entries than were returned (see `WorkspaceListing.limit`). */
      truncated: T.Optional(T.Boolean()),
    }),
  { $id: "WorkspaceEntry" },
);
export type WorkspaceEntry = Static<typeof WorkspaceEntry>;

export const WorkspaceListing = T.Object({
  /** The workspace's absolute (real) root, for display. */
  root: T.String(),
  /** The listed folder, workspace-relative ("." for the root). */
  path: T.String(),
  /** Folders first, then files; each group by name (natural order, case-insensitive). */
  entries: T.Array(WorkspaceEntry),
  /** The listed folder had more entries than `limit`. */
  truncated: T.Boolean(),
  /** Most entries returned per folder. */
  limit: T.Number(),
});
export type WorkspaceListing = Static<typeof WorkspaceListing>;

/** How the UI should preview a file. */
export const PreviewKind = T.Union([
  T.Literal("text"),
  T.Literal("markdown"),
  T.Literal("image"),
  T.Literal("pdf"),
  T.Literal("none"),
]);
export type PreviewKind = Static<typeof PreviewKind>;

export const WorkspaceFileInfo = T.Object({
  name: T.String(),
  path: T.String(),
  size: T.Number(),
  mtime: T.Number(),
  /** The content type the file route sends (charset included for text). */
  mime: T.String(),
  preview: PreviewKind,
  /** A language name for syntax highlighting of text files (shiki's names), when known. */
  language: T.Optional(T.String()),
});
export type WorkspaceFileInfo = Static<typeof WorkspaceFileInfo>;

export {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MAX_FILES,
  ATTACHMENT_REQUEST_MAX_BYTES,
} from "./attachment-limits.ts";

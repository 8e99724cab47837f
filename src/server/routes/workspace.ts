/**
 * /api/agents/:id/workspace/*: the workspace panel (tree, file info, file bytes, delete, open in the
 * file manager, live changes) and /api/sessions/:id/attachments (files attached to a message).
 * Shapes and statuses: src/shared/workspace.ts. Every path goes through the workspace's confinement.
 *
 * Live changes are Server-Sent Events (`GET .../changes`), not session events: a panel is about an
 * agent's folder, not one session, and a file watcher's noise does not belong in the durable session
 * log. The watch exists only while a panel holds the stream open (see src/workspace/watcher.ts); each
 * message's data is a `workspace.changed` event (sessionId "", seq 0) from src/shared/events.ts.
 */
import { copyFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { Elysia, t } from "elysia";
import type { Workspace } from "../../agent/tool-contract.ts";
import type { AppContext } from "../../app/context.ts";
import type { SaveChoice } from "../../desktop/file-chooser.ts";
import { openExternal } from "../../desktop/shell-control.ts";
import { copyToDownloads, downloadsFolder } from "../../settings/downloads.ts";
import { Attachment } from "../../shared/client-messages.ts";
import { SavedFile } from "../../shared/desktop.ts";
import type { EventOf } from "../../shared/events.ts";
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MAX_FILES,
  ATTACHMENT_REQUEST_MAX_BYTES,
  WorkspaceFileInfo,
  WorkspaceListing,
} from "../../shared/workspace.ts";
import { type IncomingFile, storeAttachment, streamChunks } from "../../workspace/attachments.ts";
import { AttachmentRequestError, AttachmentTooLargeError } from "../../workspace/errors.ts";
import { fileInfo, fileResponse, regularFile, removeEntry } from "../../workspace/files.ts";
import { DEFAULT_LIST_LIMIT, listFolder, MAX_LIST_DEPTH } from "../../workspace/listing.ts";
import { workspaceLocator } from "../../workspace/locate.ts";
import { resolveRequestPath, workspaceRoot } from "../../workspace/request-path.ts";
import { WorkspaceWatchers } from "../../workspace/watcher.ts";
import { bodyLimit, MULTIPART_FRAMING_BYTES } from "../body-limits.ts";
import { errorResponse, json } from "../http-errors.ts";
import { fileAnswer } from "../responses.ts";

export interface WorkspaceRouteOptions {
  /** Opens a file:// URL in the system file manager (default: openExternal). */
  openPath?: (target: string) => boolean;
  watchers?: WorkspaceWatchers;
  /** Largest attachment, bytes. */
  maxAttachmentBytes?: number;
  now?: () => Date;
  /** Where "save to Downloads" copies files (default: the user's Downloads folder). */
  downloads?: () => string;
  /** "Save as" with the desktop's own dialog (src/desktop/file-chooser.ts); absent: Downloads only. */
  chooseSavePath?: (fileName: string, title: string) => Promise<SaveChoice>;
  /** Interval of SSE keep-alive comments. */
  keepAliveMs?: number;
}

const id = t.String({ minLength: 1, maxLength: 200 });
const path = t.String({ maxLength: 4096 });

export function workspaceRoutes(app: AppContext, options: WorkspaceRouteOptions = {}) {
  const locator = workspaceLocator({
    paths: app.paths,
    credentialFolders: app.credentialFolders,
    agents: app.agents,
    sessions: app.sessions,
  });
  const watchers = options.watchers ?? new WorkspaceWatchers();
  const openPath = options.openPath ?? openExternal;
  const maxBytes = options.maxAttachmentBytes ?? ATTACHMENT_MAX_BYTES;
  const now = options.now ?? (() => new Date());
  const downloads = options.downloads ?? (() => downloadsFolder(app.paths.userHome));
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const agentWorkspace = (agentId: string): Workspace => locator.forAgent(agentId).workspace;

  return new Elysia({ name: "workspace", prefix: "/api", detail: { tags: ["workspace"] } })
    .onError(({ code, error }) => {
      // Handler failures get the app's one mapping here too, so the plugin answers the same when mounted
      // alone (tests); what Elysia itself refused (validation, parsing, routing) is the app's to answer.
      if (code === "VALIDATION" || code === "PARSE" || code === "NOT_FOUND") return;
      return errorResponse(error, app.logger);
    })
    .get(
      "/agents/:id/workspace/tree",
      ({ params, query }) =>
        listFolder(agentWorkspace(params.id), query.path ?? ".", {
          depth: query.depth ?? 1,
          limit: query.limit ?? DEFAULT_LIST_LIMIT,
        }),
      {
        params: t.Object({ id }),
        query: t.Object({
          path: t.Optional(path),
          depth: t.Optional(t.Integer({ minimum: 1, maximum: MAX_LIST_DEPTH })),
          limit: t.Optional(t.Integer({ minimum: 1, maximum: 10_000 })),
        }),
        // Checked against the full schema; typed through Unsafe because Elysia's route types do not
        // unfold a recursive schema (WorkspaceEntry's children).
        response: t.Unsafe<WorkspaceListing>(WorkspaceListing),
        detail: { summary: "List a workspace folder: folders first; hidden folders listed but not expanded" },
      },
    )
    .get(
      "/agents/:id/workspace/info",
      ({ params, query }) => fileInfo(agentWorkspace(params.id), query.path),
      {
        params: t.Object({ id }),
        query: t.Object({ path }),
        response: WorkspaceFileInfo,
        detail: { summary: "Size, content type and preview kind of a workspace file" },
      },
    )
    .get(
      "/agents/:id/workspace/file",
      ({ params, query, request }) =>
        fileResponse(agentWorkspace(params.id), query.path, {
          download: query.download === "1" || query.download === "true",
          range: request.headers.get("range"),
        }),
      {
        params: t.Object({ id }),
        query: t.Object({ path, download: t.Optional(t.String()) }),
        detail: {
          summary: "A workspace file's bytes (inline, or as a download with download=1; Range supported)",
          ...fileAnswer("The file's bytes, with its own content type", {
            "application/octet-stream": "binary",
          }),
        },
      },
    )
    .delete(
      "/agents/:id/workspace/file",
      async ({ params, query }) => ({
        deleted: true,
        path: await removeEntry(agentWorkspace(params.id), query.path),
      }),
      {
        params: t.Object({ id }),
        query: t.Object({ path }),
        response: t.Object({ deleted: t.Literal(true), path: t.String() }),
        detail: { summary: "Delete a workspace file or folder (a symlink itself, never its target)" },
      },
    )
    .post(
      "/agents/:id/workspace/save-download",
      async ({ params, body }) => {
        const { absolute } = await regularFile(agentWorkspace(params.id), body.path);
        // With `ask`: the desktop's "save as" dialog picks the place; without one, Downloads as before.
        const choice =
          body.ask && options.chooseSavePath
            ? await options.chooseSavePath(basename(absolute), body.title ?? "Save")
            : ({ kind: "unavailable" } as const);
        if (choice.kind === "cancelled") return { cancelled: true };
        if (choice.kind === "chosen") {
          copyFileSync(absolute, choice.path);
          return { path: choice.path, chosen: true };
        }
        return { path: copyToDownloads(downloads(), basename(absolute), absolute) };
      },
      {
        params: t.Object({ id }),
        body: t.Object({
          path,
          /** Ask where to save with the desktop's dialog (when there is one). */
          ask: t.Optional(t.Boolean()),
          title: t.Optional(t.String({ maxLength: 200 })),
        }),
        response: SavedFile,
        detail: {
          summary:
            "Save a workspace file the window cannot download: where the desktop's dialog says, else into Downloads",
        },
      },
    )
    .post(
      "/agents/:id/workspace/open",
      async ({ params, body }) => {
        const workspace = agentWorkspace(params.id);
        const target = await resolveRequestPath(workspaceRoot(workspace), body?.path ?? ".", {
          form: "either",
          expect: "file-or-folder",
        });
        const folder = target.stats?.isDirectory() ? target.absolute : dirname(target.absolute);
        return { opened: openPath(pathToFileURL(folder).href), folder: workspace.relative(folder) };
      },
      {
        params: t.Object({ id }),
        body: t.Optional(t.Object({ path: t.Optional(path) })),
        response: t.Object({
          opened: t.Boolean(),
          folder: t.String({ description: "The folder opened, relative to the workspace" }),
        }),
        detail: { summary: "Open a workspace folder (or a file's folder) in the system file manager" },
      },
    )
    .get(
      "/agents/:id/workspace/changes",
      ({ params, request, server }) => {
        const workspace = agentWorkspace(params.id);
        // A long-lived stream: the server's idle timeout must not cut it (keep-alives also flow).
        server?.timeout(request, 0);
        return changeStream(watchers, params.id, workspace.root, request.signal, keepAliveMs);
      },
      {
        params: t.Object({ id }),
        detail: {
          summary: "Server-Sent Events: workspace.changed while the stream is open",
          ...fileAnswer(
            "An event stream: `ready`, then one `workspace.changed` event (src/shared/events.ts) per change",
            { "text/event-stream": "text" },
          ),
        },
      },
    )
    .post(
      "/sessions/:id/attachments",
      async ({ params, request }) => {
        const { workspace } = locator.forSession(params.id);
        const incoming = await incomingFiles(request, maxBytes);
        const stored: Attachment[] = [];
        try {
          for (const file of incoming)
            stored.push(await storeAttachment(workspace, file, { maxBytes, now: now() }));
        } catch (error) {
          await Promise.all(stored.map((done) => removeEntry(workspace, done.path).catch(() => {})));
          throw error;
        }
        return json(201, { attachments: stored });
      },
      {
        params: t.Object({ id }),
        parse: "none",
        response: { 201: t.Object({ attachments: t.Array(Attachment) }) },
        detail: {
          summary:
            "Store files attached to a message in the session agent's workspace (multipart with one or more " +
            "files, or a raw body named by the x-file-name header); returns { attachments: Attachment[] } for `submit`",
          ...bodyLimit(ATTACHMENT_REQUEST_MAX_BYTES + MULTIPART_FRAMING_BYTES),
        },
      },
    );
}

/** The files of an upload request; sizes are checked before anything is stored. */
async function incomingFiles(request: Request, maxBytes: number): Promise<IncomingFile[]> {
  const type = request.headers.get("content-type") ?? "";
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new AttachmentRequestError("The upload is not a readable multipart form.");
    }
    const blobs: File[] = [];
    for (const value of form.values()) if (typeof value !== "string") blobs.push(value);
    if (blobs.length === 0) throw new AttachmentRequestError("The form contains no files.");
    if (blobs.length > ATTACHMENT_MAX_FILES) {
      throw new AttachmentRequestError(`At most ${ATTACHMENT_MAX_FILES} files can be attached at once.`);
    }
    for (const blob of blobs) {
      if (blob.size > maxBytes) throw new AttachmentTooLargeError(blob.name || "pasted file", maxBytes);
    }
    return blobs.map((blob) => ({ name: blob.name, mime: blob.type, chunks: streamChunks(blob.stream()) }));
  }
  if (!request.body) throw new AttachmentRequestError("The request has no file in its body.");
  const name = decodeName(request.headers.get("x-file-name"));
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw new AttachmentTooLargeError(name || "pasted file", maxBytes);
  return [{ name, mime: type, chunks: streamChunks(request.body) }];
}

function decodeName(header: string | null): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

function changeStream(
  watchers: WorkspaceWatchers,
  agentId: string,
  root: string,
  aborted: AbortSignal,
  keepAliveMs: number,
): Response {
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const unwatch = watchers.watch(root, {
        changed(paths) {
          const event: EventOf<"workspace.changed"> = {
            type: "workspace.changed",
            sessionId: "",
            seq: 0,
            at: Date.now(),
            agentId,
            paths,
          };
          send(`data: ${JSON.stringify(event)}\n\n`);
        },
        failed(message) {
          send(`event: unavailable\ndata: ${JSON.stringify({ message })}\n\n`);
        },
      });
      const keepAlive = setInterval(() => send(": keep-alive\n\n"), keepAliveMs);
      let stopped = false;
      stop = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(keepAlive);
        unwatch();
        try {
          controller.close();
        } catch {
          // already closed or cancelled
        }
      };
      aborted.addEventListener("abort", () => stop(), { once: true });
      send(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ agentId })}\n\n`);
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}

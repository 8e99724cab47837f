/**
 * The workspace panel's calls to the server (routes: src/server/routes/workspace.ts) and its live-change
 * stream. URLs used as <img>/<iframe> sources carry the token as a query parameter when the host gave
 * one (window mode has no cookie); in serve mode the cookie authenticates them.
 */
import type { EventOf } from "../../../../src/shared/events.ts";
import { savedTo } from "../../actions/save-file.ts";
import { t } from "../../i18n/index.ts";
import { ApiError, authHeaders } from "../../lib/api.ts";
import { call } from "../../lib/api-client.ts";
import { host, inNativeWindow } from "../../lib/env.ts";
import { notify, notifyError } from "../../state/toasts.ts";

function base(agentId: string): string {
  return `/api/agents/${encodeURIComponent(agentId)}/workspace`;
}

export function listFolder(agentId: string, path: string) {
  return call("GET /api/agents/:id/workspace/tree", { params: { id: agentId }, query: { path } });
}

export function fileInfo(agentId: string, path: string) {
  return call("GET /api/agents/:id/workspace/info", { params: { id: agentId }, query: { path } });
}

/** The file's URL for src= and href= attributes; `version` defeats caches after a change. */
export function fileUrl(
  agentId: string,
  path: string,
  options: { download?: boolean; version?: number } = {},
): string {
  const params = new URLSearchParams({ path });
  if (options.download) params.set("download", "1");
  if (options.version !== undefined) params.set("v", String(Math.round(options.version)));
  if (host.token) params.set("token", host.token);
  return `${base(agentId)}/file?${params}`;
}

/** The first `maxBytes` of a text file, decoded as UTF-8; `truncated` when the file is longer. */
export async function readText(
  agentId: string,
  path: string,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  let response: Response;
  try {
    response = await fetch(fileUrl(agentId, path), {
      headers: { ...authHeaders(), range: `bytes=0-${maxBytes - 1}` },
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("Sage's server cannot be reached.", 0, "offline");
  }
  if (response.status === 416) return { text: "", truncated: false };
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string; code?: string } };
    throw new ApiError(
      body.error?.message ?? `Request failed (${response.status}).`,
      response.status,
      body.error?.code ?? "error",
    );
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const total = Number(response.headers.get("content-range")?.split("/")[1] ?? bytes.length);
  return { text: new TextDecoder().decode(bytes), truncated: total > bytes.length };
}

export function openInFileManager(agentId: string, path: string) {
  return call("POST /api/agents/:id/workspace/open", { params: { id: agentId }, json: { path } });
}

/**
 * A click handler for a workspace file's download link: a normal download in a browser; in the native
 * window (no downloads) the server copies the file where the desktop's "save as" dialog says, or into
 * Downloads without one, and a toast says where.
 */
export function downloadHandler(agentId: string, path: string): (event: MouseEvent) => void {
  return (event) => {
    if (!inNativeWindow()) return;
    event.preventDefault();
    call("POST /api/agents/:id/workspace/save-download", {
      params: { id: agentId },
      json: { path, ask: true, title: t("settings.save.dialogTitle") },
    }).then(
      (saved) => {
        if ("cancelled" in saved) return;
        if (saved.chosen) notify(t("settings.save.savedTo", { path: saved.path }));
        else savedTo(saved.path);
      },
      (error: Error) => notifyError(error.message),
    );
  };
}

export function deleteEntry(agentId: string, path: string) {
  return call("DELETE /api/agents/:id/workspace/file", { params: { id: agentId }, query: { path } });
}

export type LiveState = "connecting" | "live" | "off";

/**
 * Follow an agent's workspace changes. `onChange(paths)` gets workspace-relative paths (empty: many
 * changed, reload everything) and is also called with [] each time the watch becomes ready (changes
 * before that may have been missed). Returns the function that stops following.
 */
export function watchWorkspace(
  agentId: string,
  handlers: { onChange(paths: string[]): void; onState(state: LiveState): void },
): () => void {
  const params = host.token ? `?${new URLSearchParams({ token: host.token })}` : "";
  const source = new EventSource(`${base(agentId)}/changes${params}`, { withCredentials: true });
  handlers.onState("connecting");
  source.addEventListener("ready", () => {
    handlers.onState("live");
    // Changes made before the watch was ready (also the first time: the tree's first listing may
    // predate it) are only seen by reading again.
    handlers.onChange([]);
  });
  source.addEventListener("unavailable", () => handlers.onState("off"));
  source.onmessage = (message) => {
    try {
      const event = JSON.parse(String(message.data)) as EventOf<"workspace.changed">;
      if (event.type === "workspace.changed") handlers.onChange(event.paths);
    } catch {
      // not an event of ours
    }
  };
  source.onerror = () => handlers.onState(source.readyState === EventSource.CLOSED ? "off" : "connecting");
  return () => source.close();
}

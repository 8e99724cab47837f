/** URLs of workspace files for <img>/<iframe>: the token rides along when the host gave one (window mode). */
import { host } from "../../../lib/env.ts";

export function workspaceFileUrl(agentId: string, path: string, download = false): string {
  const params = new URLSearchParams({ path });
  if (download) params.set("download", "1");
  if (host.token) params.set("token", host.token);
  return `/api/agents/${encodeURIComponent(agentId)}/workspace/file?${params}`;
}

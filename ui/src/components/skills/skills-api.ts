/** Calls to /api/skills (see src/server/routes/skills.ts). Failures throw ApiError with the server's message. */
import type { SkillCreateRequest } from "../../../../src/shared/skills.ts";
import { saveFromUrl } from "../../actions/save-file.ts";
import { ApiError } from "../../lib/api.ts";
import { call } from "../../lib/api-client.ts";

const one = (name: string) => `/api/skills/${encodeURIComponent(name)}`;

export const skillsApi = {
  list: () => call("GET /api/skills"),
  detail: (name: string) => call("GET /api/skills/:name", { params: { name } }),
  create: (request: SkillCreateRequest) => call("POST /api/skills", { json: request }),
  remove: (name: string) => call("DELETE /api/skills/:name", { params: { name } }),
  readFile: (name: string, path: string) =>
    call("GET /api/skills/:name/file", { params: { name }, query: { path } }),
  writeFile: (name: string, path: string, text: string) =>
    call("PUT /api/skills/:name/file", { params: { name }, json: { path, text } }),
  deleteFile: (name: string, path: string) =>
    call("DELETE /api/skills/:name/file", { params: { name }, query: { path } }),
  reset: (name: string) => call("POST /api/skills/:name/reset", { params: { name } }),
  diff: (name: string) => call("GET /api/skills/:name/diff", { params: { name } }),
  setEnabled: (name: string, agentId: string, enabled: boolean) =>
    call("PUT /api/skills/:name/agents/:agentId", { params: { name, agentId }, json: { enabled } }),
  sources: () => call("GET /api/skills/import/sources"),
  importPath: (path: string, overwrite = false) =>
    call("POST /api/skills/import/path", { json: { path, overwrite } }),
  importZip: (file: File, overwrite = false) => {
    const form = new FormData();
    form.set("file", file, file.name);
    return call("POST /api/skills/import/zip", { query: overwrite ? { overwrite } : {}, body: form });
  },
  /** Save the skill as `<name>.zip` (a download, or Downloads through the server in the window). */
  exportZip: (name: string): Promise<void> => saveFromUrl(`${one(name)}/export`, `${name}.zip`),
};

/** A 409 from an import: a skill of that name exists; the caller may offer to replace it. */
export function isNameTaken(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

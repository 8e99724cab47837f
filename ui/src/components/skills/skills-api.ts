/** Calls to /api/skills (see src/server/routes/skills.ts). Failures throw ApiError with the server's message. */
import type {
  ExternalSkillSource,
  SkillCreateRequest,
  SkillDetailResponse,
  SkillDiffFile,
  SkillEntry,
  SkillFileContent,
  SkillImportResponse,
  SkillListResponse,
  SkillWriteResponse,
} from "../../../../src/shared/skills.ts";
import { saveFromUrl } from "../../actions/save-file.ts";
import { ApiError, api } from "../../lib/api.ts";

const base = "/api/skills";
const one = (name: string) => `${base}/${encodeURIComponent(name)}`;

export const skillsApi = {
  list: () => api<SkillListResponse>(base),
  detail: (name: string) => api<SkillDetailResponse>(one(name)),
  create: (request: SkillCreateRequest) => api<SkillEntry>(base, { method: "POST", json: request }),
  remove: (name: string) => api<{ deleted: boolean }>(one(name), { method: "DELETE" }),
  readFile: (name: string, path: string) =>
    api<SkillFileContent>(`${one(name)}/file?path=${encodeURIComponent(path)}`),
  writeFile: (name: string, path: string, text: string) =>
    api<SkillWriteResponse>(`${one(name)}/file`, { method: "PUT", json: { path, text } }),
  deleteFile: (name: string, path: string) =>
    api<SkillEntry>(`${one(name)}/file?path=${encodeURIComponent(path)}`, { method: "DELETE" }),
  reset: (name: string) => api<SkillEntry>(`${one(name)}/reset`, { method: "POST" }),
  diff: (name: string) => api<{ files: SkillDiffFile[] }>(`${one(name)}/diff`),
  setEnabled: (name: string, agentId: string, enabled: boolean) =>
    api<{ skills: "all" | string[] }>(`${one(name)}/agents/${encodeURIComponent(agentId)}`, {
      method: "PUT",
      json: { enabled },
    }),
  sources: () => api<{ sources: ExternalSkillSource[] }>(`${base}/import/sources`),
  importPath: (path: string, overwrite = false) =>
    api<SkillImportResponse>(`${base}/import/path`, { method: "POST", json: { path, overwrite } }),
  importZip: (file: File, overwrite = false) => {
    const form = new FormData();
    form.set("file", file, file.name);
    return api<SkillImportResponse>(`${base}/import/zip${overwrite ? "?overwrite=true" : ""}`, {
      method: "POST",
      body: form,
    });
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

/**
 * Typed calls to the providers, agents, settings and setup APIs. Failures throw `ApiError` (lib/api.ts)
 * with the server's message and field.
 */
import type { AgentConfig } from "../../../../src/shared/agent.ts";
import type {
  ConnectionTestRequest,
  ProviderDraft,
  ProviderUpdate,
} from "../../../../src/shared/provider-input.ts";
import type { EnvironmentVariableInput, SettingsPatch } from "../../../../src/shared/settings.ts";
import { type AnswerOf, call } from "../../lib/api-client.ts";

export type { AppPaths } from "../../../../src/shared/settings.ts";
export type SettingsImportResult = AnswerOf<"POST /api/settings/import">;
export type FolderName = "data" | "logs" | "config" | "workspaces" | "skills" | "downloads";
/** The web search providers that take an API key. */
export type KeyedWebSearchProvider = "brave" | "tavily" | "serper";

export const providersApi = {
  list: () => call("GET /api/providers"),
  presets: () => call("GET /api/providers/presets"),
  detectLocal: () => call("GET /api/providers/detect-local"),
  test: (request: ConnectionTestRequest) => call("POST /api/providers/test", { json: request }),
  create: (draft: ProviderDraft) => call("POST /api/providers", { json: draft }),
  update: (id: string, update: ProviderUpdate) =>
    call("PATCH /api/providers/:id", { params: { id }, json: update }),
  remove: (id: string) => call("DELETE /api/providers/:id", { params: { id } }),
  setDefault: (id: string) => call("POST /api/providers/:id/default", { params: { id } }),
  refreshModels: (id: string) => call("POST /api/providers/:id/refresh-models", { params: { id } }),
};

export const agentsApi = {
  create: (config: AgentConfig) => call("POST /api/agents", { json: config }),
  update: (id: string, config: AgentConfig) => call("PUT /api/agents/:id", { params: { id }, json: config }),
  duplicate: (id: string) => call("POST /api/agents/:id/duplicate", { params: { id } }),
  setDefault: (id: string) => call("POST /api/agents/:id/default", { params: { id } }),
  remove: (id: string) => call("DELETE /api/agents/:id", { params: { id } }),
  exportUrl: (id: string, format: "json" | "yaml") =>
    `/api/agents/${encodeURIComponent(id)}/export?format=${format}`,
  /** What importing the file would create, and the permissions it widens (nothing is written). */
  previewImport: (content: string, fileName?: string) =>
    call("POST /api/agents/import/preview", { json: { content, fileName } }),
  /** Import, granting only the widened permissions in `accept` (ids from the preview). */
  importFile: (content: string, fileName?: string, accept: string[] = []) =>
    call("POST /api/agents/import", { json: { content, fileName, accept } }),
  /** The tool catalogue; undefined when the tools API is not available. */
  tools: () =>
    call("GET /api/tools")
      .then((result) => result.tools)
      .catch(() => undefined),
  /** Installed skills; undefined when the skills API is not available. */
  skills: () =>
    call("GET /api/skills")
      .then((result) => result.skills.filter((skill) => skill.valid).map((skill) => skill.name))
      .catch(() => undefined),
};

export const settingsApi = {
  get: () => call("GET /api/settings"),
  update: (patch: SettingsPatch) => call("PATCH /api/settings", { json: patch }),
  environment: () => call("GET /api/settings/environment"),
  saveEnvironment: (variables: EnvironmentVariableInput[]) =>
    call("PUT /api/settings/environment", { json: { variables } }),
  exportUrl: "/api/settings/export",
  diagnosticsUrl: "/api/settings/diagnostics",
  previewImport: (content: string) => call("POST /api/settings/import/preview", { json: { content } }),
  /** Import, granting each agent (by its name in the file) only the widened permissions in `accept`. */
  importFile: (content: string, accept: Record<string, string[]> = {}, acceptServers: string[] = []) =>
    call("POST /api/settings/import", { json: { content, accept, acceptServers } }),
  paths: () => call("GET /api/settings/paths"),
  webSearchKeys: () => call("GET /api/settings/web-search"),
  setWebSearchKey: (provider: KeyedWebSearchProvider, key: string) =>
    call("PUT /api/settings/web-search/key", { json: { provider, key } }),
  openFolder: (folder: FolderName, path?: string) =>
    call("POST /api/settings/open-folder", { json: { folder, path } }),
};

export const setupApi = {
  status: () => call("GET /api/setup/status"),
  skip: () => call("POST /api/setup/skip"),
  complete: (providerId: string, model: string, fastModel?: string) =>
    call("POST /api/setup/complete", { json: { providerId, model, fastModel } }),
};

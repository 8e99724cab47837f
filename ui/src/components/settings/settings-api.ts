/**
 * Typed calls to the providers, agents, settings and setup APIs. Failures throw `ApiError` (lib/api.ts)
 * with the server's message and field.
 */
import type { Agent, AgentConfig } from "../../../../src/shared/agent.ts";
import type {
  AgentImportPreview,
  AgentImportResult,
  SettingsImportPreview,
  WidenedPermission,
} from "../../../../src/shared/permissions.ts";
import type { Provider } from "../../../../src/shared/provider.ts";
import type {
  ConnectionTestRequest,
  ConnectionTestResult,
  KeyStorage,
  LocalServer,
  ProviderDraft,
  ProviderPreset,
  ProviderUpdate,
} from "../../../../src/shared/provider-input.ts";
import type {
  EnvironmentVariableInput,
  EnvironmentVariableView,
  SettingsPatch,
  SetupStatus,
  UserSettings,
  WebSearchKeyState,
  WebSearchProviderId,
} from "../../../../src/shared/settings.ts";
import type { SkillListResponse } from "../../../../src/shared/skills.ts";
import type { ToolInfo } from "../../../../src/shared/tools-api.ts";
import { api } from "../../lib/api.ts";

export interface SettingsImportResult {
  providers: { created: string[]; updated: string[] };
  agents: { created: string[]; updated: string[] };
  environment: number;
  needKeys: string[];
  warnings: string[];
  /** Widened permissions not granted (not confirmed), per agent. */
  withheld: { agent: string; permissions: WidenedPermission[] }[];
  /** MCP server definitions: not confirmed ones are withheld; ones missing secrets are disabled. */
  mcpServers: {
    created: string[];
    updated: string[];
    withheld: string[];
    needSecrets: { server: string; names: string[] }[];
  };
}

export interface AppPaths {
  version: string;
  mode: string;
  home: string;
  data: string;
  logs: string;
  config: string;
  workspaces: string;
  skills: string;
  downloads: string;
  database: string;
  logFile: string | null;
  keyStorage: KeyStorage;
}

export type FolderName = "data" | "logs" | "config" | "workspaces" | "skills" | "downloads";

const json = (method: string, body?: unknown): RequestInit & { json?: unknown } => ({ method, json: body });

export const providersApi = {
  list: () => api<{ providers: Provider[]; keyStorage: KeyStorage }>("/api/providers"),
  presets: () => api<{ presets: ProviderPreset[] }>("/api/providers/presets"),
  detectLocal: () => api<{ servers: LocalServer[] }>("/api/providers/detect-local"),
  test: (request: ConnectionTestRequest) =>
    api<ConnectionTestResult>("/api/providers/test", json("POST", request)),
  create: (draft: ProviderDraft) => api<Provider>("/api/providers", json("POST", draft)),
  update: (id: string, update: ProviderUpdate) =>
    api<Provider>(`/api/providers/${id}`, json("PATCH", update)),
  remove: (id: string) =>
    api<{ deleted: boolean; agentsReset: number }>(`/api/providers/${id}`, { method: "DELETE" }),
  setDefault: (id: string) => api<Provider>(`/api/providers/${id}/default`, { method: "POST" }),
  refreshModels: (id: string) => api<Provider>(`/api/providers/${id}/refresh-models`, { method: "POST" }),
};

export const agentsApi = {
  create: (config: AgentConfig) => api<Agent>("/api/agents", json("POST", config)),
  update: (id: string, config: AgentConfig) => api<Agent>(`/api/agents/${id}`, json("PUT", config)),
  duplicate: (id: string) => api<Agent>(`/api/agents/${id}/duplicate`, { method: "POST" }),
  setDefault: (id: string) => api<Agent>(`/api/agents/${id}/default`, { method: "POST" }),
  remove: (id: string) =>
    api<{ deleted: boolean; defaultAgentId: string }>(`/api/agents/${id}`, { method: "DELETE" }),
  exportUrl: (id: string, format: "json" | "yaml") => `/api/agents/${id}/export?format=${format}`,
  /** What importing the file would create, and the permissions it widens (nothing is written). */
  previewImport: (content: string, fileName?: string) =>
    api<AgentImportPreview>("/api/agents/import/preview", json("POST", { content, fileName })),
  /** Import, granting only the widened permissions in `accept` (ids from the preview). */
  importFile: (content: string, fileName?: string, accept: string[] = []) =>
    api<AgentImportResult>("/api/agents/import", json("POST", { content, fileName, accept })),
  /** The tool catalogue; undefined when the tools API is not available. */
  tools: () =>
    api<{ tools: ToolInfo[] }>("/api/tools")
      .then((result) => result.tools)
      .catch(() => undefined),
  /** Installed skills; undefined when the skills API is not available. */
  skills: () =>
    api<SkillListResponse>("/api/skills")
      .then((result) => result.skills.filter((skill) => skill.valid).map((skill) => skill.name))
      .catch(() => undefined),
};

export const settingsApi = {
  get: () => api<UserSettings>("/api/settings"),
  update: (patch: SettingsPatch) => api<UserSettings>("/api/settings", json("PATCH", patch)),
  environment: () => api<{ variables: EnvironmentVariableView[] }>("/api/settings/environment"),
  saveEnvironment: (variables: EnvironmentVariableInput[]) =>
    api<{ variables: EnvironmentVariableView[] }>("/api/settings/environment", json("PUT", { variables })),
  exportUrl: "/api/settings/export",
  diagnosticsUrl: "/api/settings/diagnostics",
  previewImport: (content: string) =>
    api<SettingsImportPreview>("/api/settings/import/preview", json("POST", { content })),
  /** Import, granting each agent (by its name in the file) only the widened permissions in `accept`. */
  importFile: (content: string, accept: Record<string, string[]> = {}, acceptServers: string[] = []) =>
    api<SettingsImportResult>("/api/settings/import", json("POST", { content, accept, acceptServers })),
  paths: () => api<AppPaths>("/api/settings/paths"),
  webSearchKeys: () => api<WebSearchKeyState[]>("/api/settings/web-search"),
  setWebSearchKey: (provider: WebSearchProviderId, key: string) =>
    api<WebSearchKeyState>("/api/settings/web-search/key", json("PUT", { provider, key })),
  openFolder: (folder: FolderName, path?: string) =>
    api<{ opened: boolean; path: string }>("/api/settings/open-folder", json("POST", { folder, path })),
};

export const setupApi = {
  status: () => api<SetupStatus>("/api/setup/status"),
  skip: () => api<{ skipped: boolean }>("/api/setup/skip", { method: "POST" }),
  complete: (providerId: string, model: string, fastModel?: string) =>
    api<{ provider: Provider; agent: Agent }>(
      "/api/setup/complete",
      json("POST", { providerId, model, fastModel }),
    ),
};

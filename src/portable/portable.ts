/**
 * Portable settings: everything but secrets as one JSON file, format "sage.settings.v1", to move Sage
 * to another machine.
 *
 *   { "format": "sage.settings.v1", "exportedAt": "...", "appVersion": "0.1.0",
 *     "settings": { "language", "theme", "browserMode", "webSearchProvider", "webSearchUrl",
 *                   "notifyTurnEnded", "notifyTurnFailed", "notifyNeedsInput", "credentialFolders" },
 *     "environment": [ { "name", "secret", "value"? } ],      // secret ones without value
 *     "providers": [ { "name", "kind", "preset"?, "baseUrl", "models", "defaultModel"?, "fastModel"?,
 *                      "isDefault", "hadKey" } ],             // never a key
 *     "agents": [ { ...sage.agent.v1 agent, "isDefault" } ],
 *     "mcpServers": [ McpServerInput without secret values ],
 *     "mcpSecrets": [ { "server", "kind": "env" | "header", "name" } ] }  // to enter again
 *
 * Import merges by name (case-insensitive): a provider or agent with the same name is updated, others
 * are created; an agent gets permissions beyond its baseline (the agent it updates, else a new agent's
 * defaults; src/agent-configs/permission-review.ts) only when the user confirmed them (`accept`, after
 * `previewSettingsImport`), else it keeps the baseline's value; providers keep the key they have here, new ones arrive without one (the result lists
 * them). Secret variables arrive as names without values; the web search key is never in the file (the
 * import route lists the search provider among `needKeys` when this machine has no key for it).
 * Credential folders merge: an import adds folders to hide, never removes one. Not carried, as they
 * widen what the agent may reach or belong to one machine: local addresses for web_fetch and the browser,
 * close-to-tray, the desktop-entry offer and a skipped setup. MCP server definitions are reviewed and
 * applied by portable-mcp.ts (new or changed ones need `acceptServers`). The file is validated completely first, and
 * everything is written in one transaction, so a bad file changes nothing.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import {
  newAgentBaseline,
  PortableAgent,
  parseStructuredText,
  resolvePortableAgent,
  toPortableAgent,
} from "../agent-configs/agent-file.ts";
import {
  type PermissionContext,
  restrictToAccepted,
  reviewPermissions,
} from "../agent-configs/permission-review.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { ValidationError } from "../core/errors.ts";
import type { McpConfigStore } from "../mcp/config-store.ts";
import type { ProviderRepository } from "../providers/repository.ts";
import type { EnvironmentVariables } from "../settings/environment.ts";
import type { SettingsRepository } from "../settings/repository.ts";
import { type Agent, type AgentConfig, upgradeAgentConfig } from "../shared/agent.ts";
import { agentConfigIssues } from "../shared/agent-input.ts";
import { McpServerInput } from "../shared/mcp.ts";
import type { SettingsImportPreview, SettingsImportResult } from "../shared/permissions.ts";
import { ModelInfo, ProviderKind } from "../shared/provider.ts";
import { providerDraftIssues } from "../shared/provider-input.ts";
import {
  BrowserMode,
  EnvironmentVariableInput,
  environmentIssues,
  LanguageChoice,
  ThemeChoice,
  UserSettings,
} from "../shared/settings.ts";
import { type FieldIssue, issueMessage, schemaIssues } from "../shared/validation.ts";
import {
  carriedSecretValues,
  checkAcceptedServers,
  exportMcpServers,
  importMcpServers,
  PortableMcpSecret,
  portableMcpIssues,
  reviewMcpServers,
} from "./portable-mcp.ts";

export const SETTINGS_FILE_FORMAT = "sage.settings.v1";
export const SETTINGS_FILE_MAX_BYTES = 20 * 1024 * 1024;

const PortableProvider = T.Object({
  name: T.String({ minLength: 1, maxLength: 80 }),
  kind: ProviderKind,
  preset: T.Optional(T.String({ maxLength: 40 })),
  baseUrl: T.String({ minLength: 1, maxLength: 2000 }),
  models: T.Array(ModelInfo, { maxItems: 5000, default: [] }),
  defaultModel: T.Optional(T.String({ maxLength: 200 })),
  fastModel: T.Optional(T.String({ maxLength: 200 })),
  isDefault: T.Boolean({ default: false }),
  hadKey: T.Boolean({ default: false }),
});

export const SettingsFile = T.Object({
  format: T.Literal(SETTINGS_FILE_FORMAT),
  exportedAt: T.Optional(T.String()),
  appVersion: T.Optional(T.String()),
  settings: T.Object({
    language: T.Optional(LanguageChoice),
    theme: T.Optional(ThemeChoice),
    browserMode: T.Optional(BrowserMode),
    webSearchProvider: T.Optional(UserSettings.properties.webSearchProvider),
    webSearchUrl: T.Optional(UserSettings.properties.webSearchUrl),
    notifyTurnEnded: T.Optional(T.Boolean()),
    notifyTurnFailed: T.Optional(T.Boolean()),
    notifyNeedsInput: T.Optional(T.Boolean()),
    credentialFolders: T.Optional(UserSettings.properties.credentialFolders),
  }),
  environment: T.Array(EnvironmentVariableInput, { maxItems: 500, default: [] }),
  providers: T.Array(PortableProvider, { maxItems: 200, default: [] }),
  agents: T.Array(T.Object({ ...PortableAgent.properties, isDefault: T.Boolean({ default: false }) }), {
    maxItems: 1000,
    default: [],
  }),
  mcpServers: T.Array(McpServerInput, { maxItems: 200, default: [] }),
  mcpSecrets: T.Array(PortableMcpSecret, { maxItems: 20_000, default: [] }),
});
export type SettingsFile = Static<typeof SettingsFile>;

export interface PortableDeps {
  settings: SettingsRepository;
  environment: EnvironmentVariables;
  providers: ProviderRepository;
  agents: AgentRepository;
  /** MCP server configs; its secret cache must be loaded before a preview or import. */
  mcp: McpConfigStore;
  version: string;
  /** For the review of permissions imported agents would widen. */
  permissions: PermissionContext;
}

export type { SettingsImportResult };

export function exportSettings(deps: PortableDeps): SettingsFile {
  const providers = deps.providers.list();
  return {
    format: SETTINGS_FILE_FORMAT,
    exportedAt: new Date().toISOString(),
    appVersion: deps.version,
    settings: portableSettings(deps.settings.get()),
    environment: deps.environment
      .list()
      .map((variable) =>
        variable.secret
          ? { name: variable.name, secret: true }
          : { name: variable.name, secret: false, value: variable.value ?? "" },
      ),
    providers: providers.map((provider) => {
      const portable: Static<typeof PortableProvider> = {
        name: provider.name,
        kind: provider.kind,
        baseUrl: provider.baseUrl,
        models: provider.models,
        isDefault: provider.isDefault,
        hadKey: provider.hasKey,
      };
      if (provider.preset) portable.preset = provider.preset;
      if (provider.defaultModel) portable.defaultModel = provider.defaultModel;
      if (provider.fastModel) portable.fastModel = provider.fastModel;
      return portable;
    }),
    agents: deps.agents
      .list()
      .map((agent) => ({ ...toPortableAgent(agent, providers), isDefault: agent.isDefault })),
    ...exportMcpServers(deps.mcp),
  };
}

/** The settings a file carries (see the module comment for what stays behind). */
function portableSettings(settings: UserSettings): SettingsFile["settings"] {
  const { language, theme, browserMode, webSearchProvider, webSearchUrl, credentialFolders } = settings;
  const { notifyTurnEnded, notifyTurnFailed, notifyNeedsInput } = settings;
  return {
    language,
    theme,
    browserMode,
    webSearchProvider,
    webSearchUrl,
    notifyTurnEnded,
    notifyTurnFailed,
    notifyNeedsInput,
    credentialFolders: [...credentialFolders],
  };
}

/** Parse and check a settings file completely (schemas, names, URLs, agent configs). */
export function parseSettingsFile(text: string): SettingsFile {
  if (new TextEncoder().encode(text).length > SETTINGS_FILE_MAX_BYTES) {
    throw new ValidationError("The file is too large to be a Sage settings file (over 20 MB).", "file");
  }
  const data = parseStructuredText(text, "a Sage settings file");
  const format = (data as { format?: unknown } | null)?.format;
  if (typeof data !== "object" || data === null || format !== SETTINGS_FILE_FORMAT) {
    throw new ValidationError(
      format === undefined
        ? `This is not a Sage settings file: "format": "${SETTINGS_FILE_FORMAT}" is missing.`
        : `Unsupported settings file format "${String(format)}" (expected ${SETTINGS_FILE_FORMAT}).`,
      "file",
    );
  }
  const upgraded = structuredClone(data) as { agents?: unknown };
  if (Array.isArray(upgraded.agents)) upgraded.agents = upgraded.agents.map(upgradeAgentConfig);
  const withDefaults = Value.Default(SettingsFile, upgraded);
  fail(schemaIssues(SettingsFile, withDefaults));
  const file = Value.Clean(SettingsFile, withDefaults) as SettingsFile;
  fail(prefixed("environment", environmentIssues({ variables: file.environment })));
  const providerNames = new Set<string>();
  file.providers.forEach((provider, index) => {
    const key = provider.name.trim().toLowerCase();
    if (providerNames.has(key)) fail([{ field: `providers.${index}.name`, code: "duplicate" }]);
    providerNames.add(key);
    fail(prefixed(`providers.${index}`, providerDraftIssues(provider)));
  });
  const agentNames = new Set<string>();
  file.agents.forEach((agent, index) => {
    const key = agent.name.trim().toLowerCase();
    if (agentNames.has(key)) fail([{ field: `agents.${index}.name`, code: "duplicate" }]);
    agentNames.add(key);
    const { provider: _provider, isDefault: _default, ...config } = agent;
    fail(prefixed(`agents.${index}`, agentConfigIssues(config)));
  });
  fail(portableMcpIssues(file.mcpServers));
  return file;
}

/** An agent of the file as this machine would store it, the agent it updates (if any) and its baseline. */
function plannedAgent(
  deps: PortableDeps,
  portable: SettingsFile["agents"][number],
  providers: ReturnType<ProviderRepository["list"]>,
): { config: AgentConfig; existing: Agent | undefined; baseline: AgentConfig; warnings: string[] } {
  const { isDefault: _default, ...agentFields } = portable;
  const { config, warnings } = resolvePortableAgent(agentFields, providers);
  const existing = deps.agents
    .list()
    .find((agent) => agent.config.name.toLowerCase() === config.name.trim().toLowerCase());
  const name = existing?.config.name ?? config.name.trim();
  return {
    config: deps.agents.validate({ ...config, name }, existing?.id),
    existing,
    baseline: existing?.config ?? newAgentBaseline(name),
    warnings,
  };
}

/**
 * What importing the file would widen, per agent: compared with the agent it updates, or with a new
 * agent's defaults. Writes nothing.
 */
export function previewSettingsImport(deps: PortableDeps, text: string): SettingsImportPreview {
  const file = parseSettingsFile(text);
  const providers = deps.providers.list();
  return {
    agents: file.agents.map((portable) => {
      const planned = plannedAgent(deps, portable, providers);
      return {
        name: portable.name.trim(),
        existing: planned.existing !== undefined,
        widened: reviewPermissions(planned.config, planned.baseline, deps.permissions),
      };
    }),
    mcpServers: reviewMcpServers(file.mcpServers, deps.mcp),
  };
}

/**
 * Import a checked file in one transaction; any failure rolls everything back. An agent gets only the
 * widened permissions listed for it in `accept` (by its name in the file; ids from the preview).
 */
export function importSettings(
  deps: PortableDeps,
  text: string,
  accept: Readonly<Record<string, readonly string[]>> = {},
  acceptServers: readonly string[] = [],
): SettingsImportResult {
  const file = parseSettingsFile(text);
  checkAcceptedServers(file.mcpServers, acceptServers);
  const names = new Set(file.agents.map((agent) => agent.name.trim().toLowerCase()));
  const stray = Object.keys(accept).find((name) => !names.has(name.trim().toLowerCase()));
  if (stray !== undefined) {
    throw new ValidationError(`The file has no agent named "${stray.slice(0, 80)}".`, "accept");
  }
  const accepted = (name: string) =>
    Object.entries(accept).find(([key]) => key.trim().toLowerCase() === name.trim().toLowerCase())?.[1] ?? [];
  const result: SettingsImportResult = {
    providers: { created: [], updated: [] },
    agents: { created: [], updated: [] },
    environment: 0,
    needKeys: [],
    warnings: [],
    withheld: [],
    mcpServers: { created: [], updated: [], withheld: [], needSecrets: [] },
  };
  for (const carried of carriedSecretValues(file.mcpServers))
    result.warnings.push(
      `${carried}: secret values in a settings file are ignored; enter it in Settings → MCP servers.`,
    );
  deps.settings.transaction(() => {
    const { credentialFolders, ...carried } = file.settings;
    const hidden = deps.settings.get().credentialFolders;
    deps.settings.update({
      ...carried,
      ...(credentialFolders
        ? { credentialFolders: [...hidden, ...credentialFolders.filter((entry) => !hidden.includes(entry))] }
        : {}),
    });
    result.environment = deps.environment.mergeImported(file.environment);
    result.mcpServers = importMcpServers(file.mcpServers, deps.mcp, acceptServers);

    for (const portable of file.providers) {
      const { hadKey, isDefault, ...fields } = portable;
      const existing = deps.providers
        .list()
        .find((p) => p.name.toLowerCase() === portable.name.trim().toLowerCase());
      const provider = existing
        ? deps.providers.updateWithoutKey(existing.id, {
            ...fields,
            name: existing.name,
            defaultModel: fields.defaultModel ?? "",
            fastModel: fields.fastModel ?? "",
          })
        : deps.providers.insertWithoutKey(fields);
      (existing ? result.providers.updated : result.providers.created).push(provider.name);
      if (isDefault) deps.providers.setDefault(provider.id);
      if (hadKey && !provider.hasKey) result.needKeys.push(provider.name);
    }

    const providers = deps.providers.list();
    for (const portable of file.agents) {
      const planned = plannedAgent(deps, portable, providers);
      const { config: full, existing, baseline } = planned;
      result.warnings.push(...planned.warnings.map((warning) => `${full.name}: ${warning}`));
      const { config, withheld } = restrictToAccepted(
        full,
        baseline,
        deps.permissions,
        accepted(portable.name),
      );
      if (withheld.length > 0) result.withheld.push({ agent: full.name, permissions: withheld });
      const agent = existing ? deps.agents.update(existing.id, config) : deps.agents.create(config);
      (existing ? result.agents.updated : result.agents.created).push(agent.config.name);
      if (portable.isDefault) deps.agents.setDefault(agent.id);
    }
  });
  return result;
}

function prefixed(prefix: string, issues: FieldIssue[]): FieldIssue[] {
  return issues.map((issue) => ({ ...issue, field: issue.field ? `${prefix}.${issue.field}` : prefix }));
}

/**
 * Throws for the first issue. The message says what is wrong and where, not that nothing was changed:
 * every refusal changes nothing, and the UI says so once around the reason (ui/src/lib/import-failure.ts).
 */
function fail(issues: FieldIssue[]): void {
  const first = issues[0];
  if (!first) return;
  // A field without a friendly label is named by its path in the message already: say it once.
  const message = issueMessage(first).replace(/\.$/, "");
  const where = first.field ? (message.includes(first.field) ? "" : ` (${first.field})`) : " (file)";
  throw new ValidationError(`The settings file is invalid: ${message}${where}.`, "file");
}

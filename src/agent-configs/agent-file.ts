/**
 * One agent as a file, to share or back up: format "sage.agent.v1", written as JSON or YAML.
 *
 *   format: sage.agent.v1
 *   exportedAt: 2025-01-01T00:00:00.000Z
 *   agent:
 *     name: Researcher
 *     emoji: "🔎"
 *     description: ...
 *     systemPrompt: ...
 *     provider: OpenRouter        # the provider's name (ids differ between machines); optional
 *     model: openai/gpt-4.1       # optional; without provider: the default provider's model
 *     fastModel: ...              # optional
 *     tools: all                  # or a list of tool names
 *     skills: all                 # or a list of skill names
 *     mcpServers: []
 *     workspace: /home/me/notes   # optional absolute path
 *     approvals: { shell: ask }   # per tool: allow | ask | deny
 *     network: internet           # isolated | internet | host (true/false from older files: internet/isolated)
 *     stepLimit: 40
 *     temperature: 0.7            # optional
 *
 * Agents hold no secrets (keys belong to providers), so nothing needs removing. On import the file is
 * validated completely before anything is written; a name already in use gets " (2)", " (3)" ...;
 * permissions beyond a new agent's defaults (looser approvals, a workspace outside Sage's workspaces
 * folder, MCP servers ...; src/agent-configs/permission-review.ts) are granted only when the user confirmed
 * each (`accept`, after `previewAgentImport`), else they fall back to the defaults;
 * a provider missing on this machine is dropped together with its models (the agent then uses the
 * default provider), and so is a workspace folder that cannot be created here — each with a warning.
 * A workspace in a forbidden place (src/workspace/workspace-location.ts) refuses the import.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import YAML from "yaml";
import { ValidationError } from "../core/errors.ts";
import { MAX_NESTING_DEPTH, nestingExceeds } from "../core/nesting.ts";
import { type Agent, AgentConfig, DEFAULT_AGENT_CONFIG, upgradeAgentConfig } from "../shared/agent.ts";
import type { AgentImportPreview, AgentImportResult } from "../shared/permissions.ts";
import type { Provider } from "../shared/provider.ts";
import { issueMessage, schemaIssues } from "../shared/validation.ts";
import { workspaceIssue } from "../workspace/workspace-location.ts";
import { type PermissionContext, restrictToAccepted, reviewPermissions } from "./permission-review.ts";
import type { AgentRepository } from "./repository.ts";

export const AGENT_FILE_FORMAT = "sage.agent.v1";
/** Larger files are refused before parsing. */
export const AGENT_FILE_MAX_BYTES = 2 * 1024 * 1024;

const { providerId: _providerId, ...portableProperties } = AgentConfig.properties;

/** An agent's configuration without machine-specific ids: the provider is named, not referenced. */
export const PortableAgent = T.Object({
  ...portableProperties,
  provider: T.Optional(T.String({ minLength: 1, maxLength: 80 })),
});
export type PortableAgent = Static<typeof PortableAgent>;

export const AgentFile = T.Object({
  format: T.Literal(AGENT_FILE_FORMAT),
  exportedAt: T.Optional(T.String()),
  agent: PortableAgent,
});
export type AgentFile = Static<typeof AgentFile>;

export type AgentFileFormat = "json" | "yaml";

export function toPortableAgent(
  agent: Agent,
  providers: readonly Pick<Provider, "id" | "name">[],
): PortableAgent {
  const { providerId, ...rest } = agent.config;
  const portable: PortableAgent = structuredClone(rest);
  const provider = providers.find((candidate) => candidate.id === providerId);
  if (provider) portable.provider = provider.name;
  return portable;
}

export function serializeAgentFile(
  agent: Agent,
  providers: readonly Pick<Provider, "id" | "name">[],
  format: AgentFileFormat,
): string {
  const file: AgentFile = {
    format: AGENT_FILE_FORMAT,
    exportedAt: new Date().toISOString(),
    agent: toPortableAgent(agent, providers),
  };
  return format === "yaml" ? YAML.stringify(file, { lineWidth: 0 }) : `${JSON.stringify(file, null, 2)}\n`;
}

/** Parse JSON or YAML text into a checked agent file; a `ValidationError` says what is wrong. */
export function parseAgentFile(text: string): AgentFile {
  if (new TextEncoder().encode(text).length > AGENT_FILE_MAX_BYTES) {
    throw new ValidationError("The file is too large to be an agent file (over 2 MB).", "file");
  }
  const data = parseStructuredText(text, "an agent file");
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValidationError(
      "This is not an agent file (expected an object with format and agent).",
      "file",
    );
  }
  const format = (data as { format?: unknown }).format;
  if (format !== AGENT_FILE_FORMAT) {
    throw new ValidationError(
      format === undefined
        ? `This is not an agent file: "format: ${AGENT_FILE_FORMAT}" is missing.`
        : `Unsupported agent file format "${String(format)}" (expected ${AGENT_FILE_FORMAT}).`,
      "file",
    );
  }
  const upgraded = structuredClone(data) as { agent?: unknown };
  upgraded.agent = upgradeAgentConfig(upgraded.agent);
  const withDefaults = Value.Default(AgentFile, upgraded);
  const issue = schemaIssues(AgentFile, withDefaults)[0];
  if (issue) {
    throw new ValidationError(
      `The agent file is invalid: ${issueMessage(issue).replace(/\.$/, "")} (${issue.field}).`,
      "file",
    );
  }
  return Value.Clean(AgentFile, withDefaults) as AgentFile;
}

/** JSON when it looks like JSON, else YAML; a parse error becomes a `ValidationError`. */
export function parseStructuredText(text: string, what: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) throw new ValidationError(`The file is empty; expected ${what}.`, "file");
  // Parsing and checking recurse per level: a 100,000-deep file would overflow the stack (core/nesting.ts).
  if (nestingExceeds(trimmed)) {
    throw new ValidationError(
      `The file nests deeper than ${MAX_NESTING_DEPTH} levels; expected ${what}.`,
      "file",
    );
  }
  try {
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) return JSON.parse(trimmed);
    return YAML.parse(trimmed, { maxAliasCount: 50 });
  } catch (error) {
    const detail = error instanceof Error ? (error.message.split("\n")[0] ?? "") : "";
    throw new ValidationError(`The file cannot be read as JSON or YAML (${detail.slice(0, 200)}).`, "file");
  }
}

export interface ResolvedPortableAgent {
  config: AgentConfig;
  warnings: string[];
}

/** A portable agent as this machine's config: provider name to id, unusable workspace dropped. */
export function resolvePortableAgent(
  portable: PortableAgent,
  providers: readonly Pick<Provider, "id" | "name">[],
): ResolvedPortableAgent {
  const warnings: string[] = [];
  const { provider: providerName, ...rest } = structuredClone(portable);
  const config: AgentConfig = rest;
  if (providerName) {
    const provider = providers.find(
      (candidate) => candidate.name.toLowerCase() === providerName.toLowerCase(),
    );
    if (provider) config.providerId = provider.id;
    else {
      warnings.push(
        `No provider named "${providerName}" here: the agent uses the default provider and its model.`,
      );
      delete config.model;
      delete config.fastModel;
    }
  }
  // A folder this machine cannot create is dropped; a forbidden one (/, $HOME, a system folder, Sage's
  // or a credential folder) is kept, so that saving the agent refuses the import with the reason.
  const workspace = config.workspace ? workspaceIssue(config.workspace) : undefined;
  if (workspace && workspace.code !== "forbiddenLocation") {
    warnings.push(
      `The workspace folder ${config.workspace} cannot be used here: the agent gets its own folder.`,
    );
    delete config.workspace;
  }
  return { config, warnings };
}

/**
 * A new agent's configuration: the baseline an imported agent's permissions are compared with. It
 * hands tasks to none of the user's other agents: an imported agent does so only when confirmed.
 */
export function newAgentBaseline(name: string): AgentConfig {
  return { ...structuredClone(DEFAULT_AGENT_CONFIG), name, delegates: [] };
}

/**
 * What importing `text` would create: the agent with every widening granted, and the widenings
 * (compared with a new agent's defaults) the user must confirm. Writes nothing.
 */
export function previewAgentImport(
  text: string,
  agents: AgentRepository,
  providers: readonly Pick<Provider, "id" | "name">[],
  permissions: PermissionContext,
): AgentImportPreview {
  const file = parseAgentFile(text);
  const { config, warnings } = resolvePortableAgent(file.agent, providers);
  const original = config.name.trim();
  const name = agents.uniqueName(original);
  const full = agents.validate({ ...config, name });
  const widened = reviewPermissions(full, newAgentBaseline(name), permissions);
  return name === original
    ? { name, config: full, widened, warnings }
    : { name, renamedFrom: original, config: full, widened, warnings };
}

/**
 * Validate `text` fully, then create the agent (renamed when the name is taken) with only the widened
 * permissions listed in `accept` (ids from the preview); the others fall back to a new agent's
 * defaults. Nothing is written on error.
 */
export function importAgentFile(
  text: string,
  agents: AgentRepository,
  providers: readonly Pick<Provider, "id" | "name">[],
  permissions: PermissionContext,
  accept: readonly string[] = [],
): AgentImportResult {
  const file = parseAgentFile(text);
  const resolved = resolvePortableAgent(file.agent, providers);
  const warnings = resolved.warnings;
  const original = resolved.config.name.trim();
  const name = agents.uniqueName(original);
  const full = agents.validate({ ...resolved.config, name });
  const { config, withheld } = restrictToAccepted(full, newAgentBaseline(name), permissions, accept);
  const agent = agents.create(config);
  return name === original
    ? { agent, warnings, withheld }
    : { agent, warnings, renamedFrom: original, withheld };
}

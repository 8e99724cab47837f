/**
 * Permissions an import would widen, and the import API shapes around them (TypeBox schemas shared by
 * the server, whose routes declare them as their answers, and the UI). See src/agent-configs/permission-review.ts for how they are found and taken back.
 *
 * - POST /api/agents/import/preview { content }            -> AgentImportPreview
 * - POST /api/agents/import { content, accept?: string[] }  -> AgentImportResult
 * - POST /api/settings/import/preview { content }          -> SettingsImportPreview
 * - POST /api/settings/import { content, accept?: { [agent name]: string[] }, acceptServers?: string[] }
 *                                                           -> SettingsImportResult
 *
 * Without `accept`, no widening is granted: every widened field falls back to the baseline (a new
 * agent's defaults, or the existing agent's own value when an import updates it).
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { Agent, AgentConfig, ApprovalRule, NetworkMode } from "./agent.ts";
import { DelegateTargets } from "./delegation.ts";

export const WidenedPermission = T.Union([
  /** The tool's approval rule is looser than the baseline's (e.g. shell: ask -> allow). */
  T.Object({
    id: T.String(),
    kind: T.Literal("approval"),
    tool: T.String(),
    from: ApprovalRule,
    to: ApprovalRule,
  }),
  /** A built-in tool the baseline does not enable. */
  T.Object({ id: T.String(), kind: T.Literal("tool"), tool: T.String() }),
  /** An MCP server (and its tools) the baseline does not use. */
  T.Object({ id: T.String(), kind: T.Literal("mcpServer"), server: T.String() }),
  /** A workspace folder outside Sage's own workspaces folder (`from`: the baseline's, null = default). */
  T.Object({
    id: T.Literal("workspace"),
    kind: T.Literal("workspace"),
    from: T.Union([T.String(), T.Null()]),
    to: T.String(),
  }),
  /** A wider network for shell commands than the baseline's (isolated < internet < host). */
  T.Object({ id: T.Literal("network"), kind: T.Literal("network"), from: NetworkMode, to: NetworkMode }),
  /**
   * The agent may hand tasks (the delegate tool) to configured agents the baseline may not: "all", or
   * agent ids. `from`: what the baseline allows ([] for none; a new agent's baseline allows none).
   */
  T.Object({
    id: T.Literal("delegates"),
    kind: T.Literal("delegates"),
    from: DelegateTargets,
    to: DelegateTargets,
  }),
  /**
   * A settings import adds an MCP server definition, or changes one of this machine's (`before`): a
   * program Sage may start or an address it connects to. Only settings files produce it (id
   * `mcpServerDefinition:<name>`); `secrets` names the values the user must enter here.
   */
  T.Object({
    id: T.String(),
    kind: T.Literal("mcpServerDefinition"),
    server: T.String(),
    /** The command line (stdio) or URL (http/sse) as imported. */
    launch: T.String(),
    /** The same for the server it replaces. */
    before: T.Optional(T.String()),
    secrets: T.Array(T.String()),
  }),
]);
export type WidenedPermission = Static<typeof WidenedPermission>;

export const AgentImportPreview = T.Object({
  /** The name the agent will get (" (2)" ... when taken). */
  name: T.String(),
  renamedFrom: T.Optional(T.String()),
  /** The agent as it would be with every widening granted. */
  config: AgentConfig,
  /** What it may do beyond a new agent's defaults; each needs the user's confirmation. */
  widened: T.Array(WidenedPermission),
  warnings: T.Array(T.String()),
});
export type AgentImportPreview = Static<typeof AgentImportPreview>;

export const AgentImportResult = T.Object({
  agent: Agent,
  warnings: T.Array(T.String()),
  renamedFrom: T.Optional(T.String()),
  /** Widenings not confirmed: the agent got the default instead. */
  withheld: T.Array(WidenedPermission),
});
export type AgentImportResult = Static<typeof AgentImportResult>;

export const SettingsImportPreview = T.Object({
  agents: T.Array(
    T.Object({
      /** The agent's name in the file (an existing agent of that name is updated). */
      name: T.String(),
      existing: T.Boolean(),
      widened: T.Array(WidenedPermission),
    }),
  ),
  /** MCP server definitions of the file that differ from this machine's; each needs confirmation. */
  mcpServers: T.Array(
    T.Object({
      name: T.String(),
      existing: T.Boolean(),
      /** One `mcpServerDefinition` widening. */
      widened: T.Array(WidenedPermission),
    }),
  ),
});
export type SettingsImportPreview = Static<typeof SettingsImportPreview>;

/** The MCP server definitions of a settings import. */
export const McpImportResult = T.Object({
  created: T.Array(T.String()),
  updated: T.Array(T.String()),
  /** Definitions the user did not confirm: new ones were not added, changed ones kept this machine's. */
  withheld: T.Array(T.String()),
  /** Servers stored disabled until these secrets are entered. */
  needSecrets: T.Array(T.Object({ server: T.String(), names: T.Array(T.String()) })),
});
export type McpImportResult = Static<typeof McpImportResult>;

export const SettingsImportResult = T.Object({
  providers: T.Object({ created: T.Array(T.String()), updated: T.Array(T.String()) }),
  agents: T.Object({ created: T.Array(T.String()), updated: T.Array(T.String()) }),
  environment: T.Number(),
  /** Providers that need a key entered on this machine. */
  needKeys: T.Array(T.String()),
  warnings: T.Array(T.String()),
  /** Widened permissions not confirmed, per agent: each agent kept its baseline value instead. */
  withheld: T.Array(T.Object({ agent: T.String(), permissions: T.Array(WidenedPermission) })),
  mcpServers: McpImportResult,
});
export type SettingsImportResult = Static<typeof SettingsImportResult>;

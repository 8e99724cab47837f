/**
 * Permissions an import would widen, and the import API shapes around them (shared by the server and
 * the UI). See src/agent-configs/permission-review.ts for how they are found and taken back.
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
import type { Agent, AgentConfig, ApprovalRule, NetworkMode } from "./agent.ts";

export type WidenedPermission =
  /** The tool's approval rule is looser than the baseline's (e.g. shell: ask -> allow). */
  | { id: string; kind: "approval"; tool: string; from: ApprovalRule; to: ApprovalRule }
  /** A built-in tool the baseline does not enable. */
  | { id: string; kind: "tool"; tool: string }
  /** An MCP server (and its tools) the baseline does not use. */
  | { id: string; kind: "mcpServer"; server: string }
  /** A workspace folder outside Sage's own workspaces folder (`from`: the baseline's, null = default). */
  | { id: "workspace"; kind: "workspace"; from: string | null; to: string }
  /** A wider network for shell commands than the baseline's (isolated < internet < host). */
  | { id: "network"; kind: "network"; from: NetworkMode; to: NetworkMode }
  /**
   * A settings import adds an MCP server definition, or changes one of this machine's (`before`): a
   * program Sage may start or an address it connects to. Only settings files produce it (id
   * `mcpServerDefinition:<name>`); `secrets` names the values the user must enter here.
   */
  | {
      id: string;
      kind: "mcpServerDefinition";
      server: string;
      /** The command line (stdio) or URL (http/sse) as imported. */
      launch: string;
      /** The same for the server it replaces. */
      before?: string;
      secrets: string[];
    };

export interface AgentImportPreview {
  /** The name the agent will get (" (2)" ... when taken). */
  name: string;
  renamedFrom?: string;
  /** The agent as it would be with every widening granted. */
  config: AgentConfig;
  /** What it may do beyond a new agent's defaults; each needs the user's confirmation. */
  widened: WidenedPermission[];
  warnings: string[];
}

export interface AgentImportResult {
  agent: Agent;
  warnings: string[];
  renamedFrom?: string;
  /** Widenings not confirmed: the agent got the default instead. */
  withheld: WidenedPermission[];
}

export interface SettingsImportPreview {
  agents: {
    /** The agent's name in the file (an existing agent of that name is updated). */
    name: string;
    existing: boolean;
    widened: WidenedPermission[];
  }[];
  /** MCP server definitions of the file that differ from this machine's; each needs confirmation. */
  mcpServers: {
    name: string;
    existing: boolean;
    /** One `mcpServerDefinition` widening. */
    widened: WidenedPermission[];
  }[];
}

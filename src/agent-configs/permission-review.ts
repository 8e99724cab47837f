/**
 * Permissions only a person can widen: what an imported agent (an agent file, or an agent inside a
 * settings file) would be allowed beyond its baseline — a new agent's defaults, or, when the import
 * updates an existing agent, that agent's current configuration — and the configuration with only the
 * widenings the user confirmed.
 *
 * Widened, field by field (the baseline value is what a refused widening falls back to):
 * - `approval:<tool>`: the tool's effective rule is looser (deny < ask < allow), e.g. shell "allow";
 *   tools that always ask (`ALWAYS_ASK`) are skipped: no rule loosens them.
 * - `tool:<name>`: a tool enabled that the baseline does not enable (when the baseline lists tools).
 * - `mcp:<server>`: an MCP server (and its tools) the baseline does not use.
 * - `workspace`: a workspace folder other than the baseline's and outside Sage's own workspaces folder
 *   (the default location) — the file tools and the sandboxed shell may write there.
 * - `network`: a wider network for shell commands than the baseline's (isolated < internet < host).
 * - `delegates`: the agent may hand tasks to configured agents the baseline may not (their tools, MCP
 *   servers and own workspaces then work for it). Only with the delegate tool enabled; absent means
 *   "all". A refused widening keeps the baseline's targets ([] when the baseline has no delegate tool).
 *
 * Contract: `reviewPermissions` lists each widening once, in field order; `restrictToAccepted` returns a
 * copy of the config in which every widening not in `accepted` is replaced by the baseline's value.
 * Nothing else in the config (name, prompt, model ...) is touched. Unknown ids in `accepted` are a
 * `ValidationError` (the caller offered them from a review of the same config).
 */
import { isAbsolute, relative, resolve } from "node:path";
import type { AnyTool } from "../agent/tool-contract.ts";
import { ValidationError } from "../core/errors.ts";
import { ALWAYS_ASK, defaultRule } from "../sandbox/approval-policy.ts";
import type { AgentConfig, ApprovalRule, NetworkMode } from "../shared/agent.ts";
import type { DelegateTargets } from "../shared/delegation.ts";
import type { WidenedPermission } from "../shared/permissions.ts";

export interface PermissionContext {
  /** The built-in tools (their default approval rules and the meaning of `tools: "all"`). */
  tools: readonly AnyTool[];
  /** Sage's own workspaces folder (`paths.workspaces`): workspaces inside it are the default location. */
  workspacesRoot: string;
}

const RANK: Record<ApprovalRule, number> = { deny: 0, ask: 1, allow: 2 };
const NETWORK_RANK: Record<NetworkMode, number> = { isolated: 0, internet: 1, host: 2 };

function effectiveRule(config: AgentConfig, name: string, tools: readonly AnyTool[]): ApprovalRule {
  const own = config.approvals[name];
  if (own) return own;
  const tool = tools.find((candidate) => candidate.name === name);
  return tool ? defaultRule(tool) : "ask";
}

function enabledTools(config: AgentConfig, tools: readonly AnyTool[]): string[] {
  return config.tools === "all" ? tools.map((tool) => tool.name) : [...config.tools];
}

/** The configured agents `config` may hand tasks to: none without the delegate tool. */
function delegateTargets(config: AgentConfig, tools: readonly AnyTool[]): DelegateTargets {
  if (!enabledTools(config, tools).includes("delegate")) return [];
  return config.delegates ?? "all";
}

function insideFolder(path: string, folder: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** What `config` may do beyond `baseline`. */
export function reviewPermissions(
  config: AgentConfig,
  baseline: AgentConfig,
  context: PermissionContext,
): WidenedPermission[] {
  const widened: WidenedPermission[] = [];
  const names = [...new Set([...Object.keys(baseline.approvals), ...Object.keys(config.approvals)])].sort();
  for (const tool of names) {
    if (ALWAYS_ASK.has(tool)) continue;
    const from = effectiveRule(baseline, tool, context.tools);
    const to = effectiveRule(config, tool, context.tools);
    if (RANK[to] > RANK[from]) widened.push({ id: `approval:${tool}`, kind: "approval", tool, from, to });
  }
  if (baseline.tools !== "all") {
    const before = new Set(enabledTools(baseline, context.tools));
    for (const tool of enabledTools(config, context.tools)) {
      if (!before.has(tool)) widened.push({ id: `tool:${tool}`, kind: "tool", tool });
    }
  }
  for (const server of config.mcpServers) {
    if (!baseline.mcpServers.includes(server))
      widened.push({ id: `mcp:${server}`, kind: "mcpServer", server });
  }
  const workspace = config.workspace?.trim();
  if (
    workspace &&
    workspace !== baseline.workspace?.trim() &&
    !insideFolder(workspace, context.workspacesRoot)
  ) {
    widened.push({
      id: "workspace",
      kind: "workspace",
      from: baseline.workspace?.trim() || null,
      to: workspace,
    });
  }
  if (NETWORK_RANK[config.network] > NETWORK_RANK[baseline.network]) {
    widened.push({ id: "network", kind: "network", from: baseline.network, to: config.network });
  }
  const from = delegateTargets(baseline, context.tools);
  const to = delegateTargets(config, context.tools);
  if (from !== "all" && (to === "all" || to.some((id) => !from.includes(id))))
    widened.push({ id: "delegates", kind: "delegates", from, to });
  return widened;
}

/**
 * `config` with every widening not in `accepted` taken back to the baseline. Throws a
 * `ValidationError` for an accepted id that is not one of the widenings.
 */
export function restrictToAccepted(
  config: AgentConfig,
  baseline: AgentConfig,
  context: PermissionContext,
  accepted: readonly string[],
): { config: AgentConfig; withheld: WidenedPermission[] } {
  const widened = reviewPermissions(config, baseline, context);
  const unknown = accepted.find((id) => !widened.some((permission) => permission.id === id));
  if (unknown !== undefined) {
    throw new ValidationError(
      `"${unknown.slice(0, 200)}" is not one of the permissions this import widens; review the import again.`,
      "accept",
    );
  }
  const restricted: AgentConfig = structuredClone(config);
  const withheld = widened.filter((permission) => !accepted.includes(permission.id));
  for (const permission of withheld) {
    switch (permission.kind) {
      case "approval": {
        const base = baseline.approvals[permission.tool];
        if (base) restricted.approvals[permission.tool] = base;
        else delete restricted.approvals[permission.tool];
        break;
      }
      case "tool":
        restricted.tools = enabledTools(restricted, context.tools).filter((tool) => tool !== permission.tool);
        break;
      case "mcpServer":
        restricted.mcpServers = restricted.mcpServers.filter((server) => server !== permission.server);
        break;
      case "workspace":
        if (baseline.workspace) restricted.workspace = baseline.workspace;
        else delete restricted.workspace;
        break;
      case "network":
        restricted.network = baseline.network;
        break;
      case "delegates":
        restricted.delegates = permission.from;
        break;
      case "mcpServerDefinition":
        // Not an agent's field: settings imports review and apply those (src/portable/portable-mcp.ts).
        break;
    }
  }
  return { config: restricted, withheld };
}

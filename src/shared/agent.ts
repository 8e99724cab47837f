/** Agent configurations (the original's agent configs): what an agent is, as stored and edited. */
import { type Static, Type as T } from "@sinclair/typebox";
import { DEFAULT_AGENT_CONFIG as DEFAULT_AGENT_VALUES, DEFAULT_NETWORK_MODE } from "./agent-defaults.ts";
import { DELEGATION_DEPTH_CEILING, DELEGATIONS_PER_TURN_CEILING } from "./delegation.ts";

export const ApprovalRule = T.Union([T.Literal("allow"), T.Literal("ask"), T.Literal("deny")]);
export type ApprovalRule = Static<typeof ApprovalRule>;

/**
 * What shell commands of an agent may reach over the network (enforced by the bubblewrap sandbox; see
 * src/sandbox/network.ts):
 * - "isolated": nothing, not even this computer's services;
 * - "internet": outside addresses through a private network stack (slirp4netns); nothing listening on
 *   this computer's loopback (Sage itself included) and no abstract Unix sockets. Runs as "isolated"
 *   where slirp4netns is not installed;
 * - "host": this computer's network as it is, including every local service (Sage's own port, other
 *   servers on 127.0.0.1, the ssh-agent, X11 and D-Bus abstract sockets).
 */
export const NetworkMode = T.Union([T.Literal("isolated"), T.Literal("internet"), T.Literal("host")]);
export type NetworkMode = Static<typeof NetworkMode>;

export { DEFAULT_NETWORK_MODE } from "./agent-defaults.ts";

/**
 * A stored or imported agent config in today's shape, before validation: configs from before the
 * network modes existed say `network: true` (now "internet": outside access, but not this computer's
 * own services) or `network: false` ("isolated"). Anything else is returned as it is.
 */
export function upgradeAgentConfig<T>(raw: T): T {
  if (typeof raw !== "object" || raw === null || !("network" in raw)) return raw;
  const network = (raw as { network: unknown }).network;
  if (typeof network !== "boolean") return raw;
  return { ...raw, network: network ? "internet" : "isolated" };
}

/** Longest memory notes an agent may have (they are in every request's system prompt). */
export const MEMORY_NOTES_MAX_LENGTH = 20_000;

export const AgentConfig = T.Object({
  name: T.String({ minLength: 1, maxLength: 80 }),
  emoji: T.String({ maxLength: 16, default: "🌿" }),
  description: T.String({ maxLength: 2000, default: "" }),
  systemPrompt: T.String({ maxLength: 100_000, default: "" }),
  /** Provider and model; empty means the default provider's default model. */
  providerId: T.Optional(T.String()),
  model: T.Optional(T.String()),
  /** Used for titles and summaries; empty means the provider's fast model, else the main model. */
  fastModel: T.Optional(T.String()),
  /** Enabled tools by name; "all" enables every built-in tool. */
  tools: T.Union([T.Literal("all"), T.Array(T.String())], { default: "all" }),
  /** Enabled skills by name; "all" enables every installed skill. */
  skills: T.Union([T.Literal("all"), T.Array(T.String())], { default: "all" }),
  /**
   * Skills read in place (src/skills/live-sources.ts): from the workspace's `.agents/skills`,
   * `.claude/skills`, `.opencode/skills`, `skills`, and from `~/.agents/skills`, `~/.claude/skills`.
   * Absent means both on.
   */
  skillSources: T.Optional(T.Object({ workspace: T.Boolean(), home: T.Boolean() })),
  mcpServers: T.Array(T.String(), { default: [] }),
  /**
   * Which other agents this one may hand tasks to with the delegate tool: "all" (also when absent) or
   * the listed agent ids. Sub-agents it defines on the spot are always allowed (the tool itself can be
   * turned off in `tools`).
   */
  delegates: T.Optional(
    T.Union([T.Literal("all"), T.Array(T.String({ maxLength: 200 }), { maxItems: 200 })]),
  ),
  /**
   * When another agent delegates a task to this one: work in this agent's own workspace (true), or in
   * the delegating agent's (false or absent: the default, so both see the same files).
   */
  ownWorkspaceWhenDelegated: T.Optional(T.Boolean()),
  /**
   * How many levels below the user's chat this agent's delegations may reach (absent: 2). A sub-agent
   * it defines on the spot delegates under the same limit.
   */
  delegationDepth: T.Optional(T.Integer({ minimum: 1, maximum: DELEGATION_DEPTH_CEILING })),
  /** How many delegations one of its turns may start (absent: 8). */
  delegationsPerTurn: T.Optional(T.Integer({ minimum: 1, maximum: DELEGATIONS_PER_TURN_CEILING })),
  /** Absolute path of the workspace folder; empty means <data>/workspaces/<agent id>. */
  workspace: T.Optional(T.String()),
  /** Per-tool overrides of the default approval policy. */
  approvals: T.Record(T.String(), ApprovalRule, { default: {} }),
  /** What shell commands may reach over the network (sandboxed shells only); see `NetworkMode`. */
  network: T.Union([T.Literal("isolated"), T.Literal("internet"), T.Literal("host")], {
    default: DEFAULT_NETWORK_MODE,
  }),
  /** Model steps per turn before Sage pauses and asks whether to continue. */
  stepLimit: T.Integer({ minimum: 1, maximum: 500, default: 40 }),
  temperature: T.Optional(T.Number({ minimum: 0, maximum: 2 })),
  maxOutputTokens: T.Optional(T.Integer({ minimum: 1, maximum: 1_000_000 })),
  reasoningEffort: T.Optional(T.Union([T.Literal("low"), T.Literal("medium"), T.Literal("high")])),
  /**
   * Memory: `search` offers the search_memory tool (past chats and workspace files); `notes` are the
   * user's "remember that ..." notes, which enter the agent's system prompt. Absent: search on, no notes.
   */
  memory: T.Optional(
    T.Object({
      search: T.Boolean(),
      notes: T.String({ maxLength: MEMORY_NOTES_MAX_LENGTH }),
    }),
  ),
});
export type AgentConfig = Static<typeof AgentConfig>;

/** The default agent's settings (agent-defaults.ts, schema-free for the UI), checked against the type here. */
export const DEFAULT_AGENT_CONFIG: AgentConfig = DEFAULT_AGENT_VALUES;

export const Agent = T.Object({
  id: T.String(),
  isDefault: T.Boolean(),
  createdAt: T.Number(),
  updatedAt: T.Number(),
  config: AgentConfig,
});
export type Agent = Static<typeof Agent>;

/**
 * Sub-agents (the `delegate` tool): what links a child session to its parent, the limits, and how the
 * parent's tool card learns which chat to open while the child runs.
 *
 * A delegation runs as a child session: its own context, stored and streamed like any session, with
 * a link to the parent session and to the delegate call that started it. Children are not listed in
 * the sidebar; the parent's tool card opens them.
 */
import { type Static, Type as T } from "@sinclair/typebox";

/**
 * The default depth limit: a session at this depth (the user's chat is 0) may not delegate further.
 * An agent may set its own (`AgentConfig.delegationDepth`, 1 to DELEGATION_DEPTH_CEILING).
 */
export const MAX_DELEGATION_DEPTH = 2;
/** The highest depth limit an agent may set. */
export const DELEGATION_DEPTH_CEILING = 5;
/**
 * The default number of delegations one turn may start (all of them, not only at once). An agent may
 * set its own (`AgentConfig.delegationsPerTurn`, 1 to DELEGATIONS_PER_TURN_CEILING).
 */
export const MAX_DELEGATIONS_PER_TURN = 8;
/** The highest per-turn limit an agent may set. */
export const DELEGATIONS_PER_TURN_CEILING = 32;

/**
 * The limits that bind an agent when it delegates: its own settings, else the defaults. The depth is
 * the delegating agent's: a sub-agent it defines runs as itself; a configured agent it hands a task to
 * delegates further under that agent's own limit.
 */
export function delegationLimits(config: { delegationDepth?: number; delegationsPerTurn?: number }): {
  depth: number;
  perTurn: number;
} {
  return {
    depth: config.delegationDepth ?? MAX_DELEGATION_DEPTH,
    perTurn: config.delegationsPerTurn ?? MAX_DELEGATIONS_PER_TURN,
  };
}
/** The child's final answer returned to the parent is cut to this many characters. */
export const DELEGATION_ANSWER_LIMIT = 20_000;

/** A sub-agent defined on the spot by the delegating agent. */
export const SubAgentSpec = T.Object({
  name: T.String({ minLength: 1, maxLength: 80 }),
  instructions: T.String({ minLength: 1, maxLength: 20_000 }),
  /** A subset of the parent's tools (names); absent: all of the parent's tools. */
  tools: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 200 }), { maxItems: 200 })),
});
export type SubAgentSpec = Static<typeof SubAgentSpec>;

/** Stored with a child session (sessions.delegation). */
export const SessionDelegation = T.Object({
  parentSessionId: T.String(),
  /** The parent's delegate tool call (its part id: the card that shows this child). */
  parentPartId: T.String(),
  /** 1 for a child of the user's chat, 2 for a grandchild ... */
  depth: T.Integer({ minimum: 1 }),
  /** The agent whose workspace the child works in (the parent's, unless configured otherwise). */
  workspaceAgentId: T.String(),
  /** Set for a sub-agent defined on the spot (it runs as the parent's agent with these). */
  subagent: T.Optional(SubAgentSpec),
});
export type SessionDelegation = Static<typeof SessionDelegation>;

/** Which agents an agent may hand tasks to: every other agent, or the listed ids (AgentConfig.delegates). */
export const DelegateTargets = T.Union([T.Literal("all"), T.Array(T.String())]);
export type DelegateTargets = Static<typeof DelegateTargets>;

export {
  childSessionLine,
  childSessionOf,
  DELEGATION_STEPS_KEPT,
  delegationStepLine,
  delegationSteps,
} from "./delegation-progress.ts";

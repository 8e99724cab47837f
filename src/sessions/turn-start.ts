/**
 * How a queued turn starts: its user message (a new one, an edit beside the original, or the existing
 * one for a regeneration), the model it runs on (named by the submit, else the session's pick), and the
 * `TurnRequest` the loop runs — agent, tools, workspace, history from the user message back, the
 * tool guard with the session's remembered approvals, and plan mode when the message asked for it. The session runner (session-runner.ts) decides
 * when; this file decides with what.
 */
import type { Database } from "bun:sqlite";
import type { TurnInteraction, TurnRequest, TurnSink } from "../agent/types.ts";
import { NotFoundError } from "../core/errors.ts";
import type { ShellJobs } from "../sandbox/shell-jobs.ts";
import type { AgentConfig } from "../shared/agent.ts";
import type { Attachment, SubmitOptions } from "../shared/client-messages.ts";
import type { DraftEvent, TodoItem } from "../shared/events.ts";
import type { Message } from "../shared/parts.ts";
import type { SessionModel } from "../shared/session.ts";
import { planTurn } from "./plan-turn.ts";
import { type ChildLink, relayedInteraction } from "./relayed-requests.ts";
import type { SessionRepository } from "./repository.ts";
import type { SessionRecord } from "./session-rows.ts";
import type { SubAgents } from "./sub-agents.ts";
import { createToolGuard } from "./tool-guard.ts";
import type { TurnRecorder } from "./turn-recorder.ts";
import { pickedModel, setUpTurn, type TurnSetupDeps } from "./turn-setup.ts";

/** What starts a turn: a new message, an edit of an earlier one, or a regeneration. */
export type TurnKind =
  | { kind: "message" }
  | { kind: "compact" }
  | { kind: "edit"; replaceMessageId: string }
  | { kind: "regenerate"; userMessageId: string };

export interface QueuedTurn {
  turnId: string;
  clientTurnId: string;
  text: string;
  attachments: Attachment[];
  options: SubmitOptions;
  start: TurnKind;
  /** A sub-agent's turn: the parent's delegate call it reports to (src/sessions/sub-agents.ts). */
  link?: ChildLink;
}

/** What preparing a turn needs besides the session's dependencies. */
export interface TurnStart {
  sessionId: string;
  session: SessionRecord;
  queued: QueuedTurn;
  /** The user message the turn answers ("" for a compaction of an empty session). */
  userMessageId: string;
  todos: { get(): TodoItem[]; set(items: TodoItem[]): void };
  shellJobs: ShellJobs;
  /** The session's remembered approvals (see GuardScope.sessionApprovals). */
  sessionApprovals: Set<string>;
  sink: TurnSink;
  interaction: TurnInteraction;
  signal: AbortSignal;
  /** Skills pinned with /skill-name in the message text. */
  pinnedSkills: string[];
  /** Records an event of this session (a sub-agent's requests are shown in its own chat too). */
  emit(draft: DraftEvent): void;
  /** Counts a request held by the parent's turn as this turn's own while it waits (a sub-agent's). */
  heldElsewhere<T>(request: Promise<T>): Promise<T>;
}

export interface TurnStartDeps extends TurnSetupDeps {
  db: Database;
  userId: string;
  repo: Pick<SessionRepository, "activePath" | "findSession">;
  /** Sub-agents for the delegate tool (absent: the tool says delegation is not available). */
  subAgents?: SubAgents;
}

/** Set the turn up (src/sessions/turn-setup.ts) and build the request the loop runs. */
export async function prepareTurn(deps: TurnStartDeps, start: TurnStart): Promise<TurnRequest> {
  const { queued, session } = start;
  const setup = await setUpTurn(
    deps,
    {
      agentId: session.agentId,
      todos: start.todos,
      shellJobs: start.shellJobs,
      delegation: session.delegation,
    },
    {
      ...turnModel(deps, queued.options, session.model),
      pinnedSkills: [...start.pinnedSkills, ...(queued.options.skills ?? [])],
      signal: start.signal,
    },
  );
  const history = start.userMessageId
    ? deps.repo.activePath(start.sessionId, { limit: 5000, fromMessageId: start.userMessageId })
    : [];
  const plan = planTurn(queued.options.plan, setup.tools, setup.services);
  // A sub-agent asks its approvals and questions on the parent's delegate card.
  const interaction = queued.link
    ? relayedInteraction(queued.link, start.interaction, start.signal, {
        sessionId: start.sessionId,
        emit: start.emit,
        waitFor: start.heldElsewhere,
      })
    : start.interaction;
  const delegation =
    deps.subAgents?.forTurnWithPrompt({
      record: session,
      agent: setup.agent,
      tools: plan.tools,
      interaction,
    }) ?? {};
  return {
    sessionId: start.sessionId,
    turnId: queued.turnId,
    agentId: setup.agent.id,
    agent: setup.agent.config,
    model: setup.model,
    history,
    systemExtras: delegation.prompt ? [...setup.systemExtras, delegation.prompt] : setup.systemExtras,
    tools: plan.tools,
    workspace: setup.workspace,
    services: delegation.service ? { ...plan.services, delegation: delegation.service } : plan.services,
    planMode: plan.planMode,
    sink: start.sink,
    interaction,
    guard: createToolGuard({
      db: deps.db,
      userId: deps.userId,
      sessionId: start.sessionId,
      agentId: setup.agent.id,
      turnId: queued.turnId,
      agent: setup.agent.config,
      workspace: setup.workspace,
      sandboxed: (await deps.sandbox()).mode !== "none",
      sessionApprovals: start.sessionApprovals,
      delegators: delegatorsOf(deps, session),
    }),
    signal: start.signal,
    reasoningEffort: queued.options.reasoningEffort,
    readAttachment: setup.readAttachment,
    toolOutputDir: ".sage/tool-output",
  };
}

/**
 * The agents that delegated a sub-agent's task, nearest first (none for a user's own chat). An agent
 * that no longer exists caps nothing; a chain is bounded by the delegation depth limit.
 */
export function delegatorsOf(
  deps: Pick<TurnStartDeps, "repo" | "agents">,
  session: SessionRecord,
): { agentId: string; agent: AgentConfig }[] {
  const found: { agentId: string; agent: AgentConfig }[] = [];
  let current: SessionRecord | undefined = session;
  for (let hops = 0; current?.delegation && hops < 16; hops++) {
    current = deps.repo.findSession(current.delegation.parentSessionId, true);
    const agent = current ? deps.agents.find(current.agentId) : undefined;
    if (current && agent) found.push({ agentId: agent.id, agent: agent.config });
  }
  return found;
}

/** The model for a turn: one named by the submit itself, else the session's pick (see pickedModel). */
export function turnModel(
  deps: Pick<TurnSetupDeps, "providers">,
  options: SubmitOptions,
  picked: SessionModel | undefined,
): { providerId?: string; model?: string } {
  if (options.providerId || options.model) return { providerId: options.providerId, model: options.model };
  return pickedModel(deps.providers, picked);
}

/**
 * The user's message for a new turn or an edit (recorded now); a regeneration reuses the existing one
 * and makes it the head. `NotFoundError` for a message of another session; undefined for a compaction.
 */
export function startMessages(
  deps: {
    repo: Pick<SessionRepository, "messagesById" | "message" | "setHead">;
    emit(draft: DraftEvent): void;
  },
  sessionId: string,
  recorder: Pick<TurnRecorder, "continueFrom" | "addUserMessage">,
  queued: QueuedTurn,
): Message | undefined {
  const { repo } = deps;
  if (queued.start.kind === "compact") return undefined;
  if (queued.start.kind === "regenerate") {
    const [existing] = repo.messagesById([queued.start.userMessageId]);
    if (!existing || existing.info.sessionId !== sessionId)
      throw new NotFoundError("Message", queued.start.userMessageId);
    recorder.continueFrom(existing.info.id);
    repo.setHead(sessionId, existing.info.id);
    deps.emit({ type: "session.head.changed", sessionId, headId: existing.info.id });
    return existing;
  }
  if (queued.start.kind === "edit") {
    const original = repo.message(queued.start.replaceMessageId);
    if (!original || original.sessionId !== sessionId)
      throw new NotFoundError("Message", queued.start.replaceMessageId);
    return recorder.addUserMessage(queued.text, queued.attachments, original.parentId, !!queued.options.plan);
  }
  return recorder.addUserMessage(queued.text, queued.attachments, undefined, !!queued.options.plan);
}

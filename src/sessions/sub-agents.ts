/**
 * Sub-agents: the session layer's side of the `delegate` tool (contract in src/agent/delegation.ts).
 * A delegation is a child session, linked to its parent (sessions.parent_id / delegation), whose one
 * turn runs the task through the ordinary session runner: stored, streamed and openable like any chat.
 *
 * - The parent's stop stops the child (its turn ends "stopped", its partial answer returns).
 * - The child's approvals and questions are asked in the parent's session on the delegate call's card
 *   and shown in the child's chat too (relayed-requests.ts); a child stopped on its own withdraws them.
 * - The child works in the parent's workspace, unless the configured agent it runs says to use its own
 *   (`AgentConfig.ownWorkspaceWhenDelegated`).
 * - Depth and per-turn count (the delegating agent's limits, `delegationLimits`) and its allowed targets
 *   (`AgentConfig.delegates`) are checked
 *   before anything starts; a refusal is a ToolError that tells the model what to do instead.
 */
import type { DelegationOutcome, DelegationRequest, DelegationService } from "../agent/delegation.ts";
import { type AnyTool, ToolError } from "../agent/tool-contract.ts";
import type { TurnInteraction } from "../agent/types.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { newId } from "../core/ids.ts";
import type { Agent } from "../shared/agent.ts";
import {
  childSessionLine,
  DELEGATION_ANSWER_LIMIT,
  DELEGATION_STEPS_KEPT,
  delegationLimits,
  delegationStepLine,
  type SessionDelegation,
} from "../shared/delegation.ts";
import type { Part } from "../shared/parts.ts";
import type { EventLog } from "../store/event-log.ts";
import type { ChildLink } from "./relayed-requests.ts";
import type { SessionRepository } from "./repository.ts";
import type { SessionRecord } from "./session-rows.ts";

export interface SubAgentDeps {
  repo: SessionRepository;
  agents: AgentRepository;
  events: EventLog;
  /** Queue the child's turn on its session runner, with the link. */
  startChild(childSessionId: string, clientTurnId: string, task: string, link: ChildLink): void;
  stopChild(childSessionId: string): void;
  /** Tell the windows about a new session (its summary names the parent). */
  announce(sessionId: string): void;
}

export interface ParentTurn {
  record: SessionRecord;
  agent: Agent;
  /** The tools of the parent's turn (a sub-agent may get a subset). */
  tools: readonly AnyTool[];
  interaction: TurnInteraction;
}

export class SubAgents {
  constructor(private readonly deps: SubAgentDeps) {}

  /** The configured agents `agent` may hand tasks to (never itself). */
  targetsOf(agent: Agent): Agent[] {
    const allowed = agent.config.delegates ?? "all";
    return this.deps.agents
      .list()
      .filter((other) => other.id !== agent.id && (allowed === "all" || allowed.includes(other.id)));
  }

  /**
   * The delegate tool's service and system prompt note for a turn whose tools include it (nothing
   * otherwise): the agents it may hand tasks to, by name and id.
   */
  forTurnWithPrompt(parent: ParentTurn): { service?: DelegationService; prompt?: string } {
    if (!parent.tools.some((tool) => tool.name === "delegate")) return {};
    const service = this.forTurn(parent);
    const targets = service.targets();
    const list = targets.length
      ? targets.map((t) => `- ${t.name} (id ${t.id})${t.description ? `: ${t.description}` : ""}`).join("\n")
      : "- none (define sub-agents with `subagent` instead)";
    return { service, prompt: `Agents you may delegate tasks to (delegate tool, \`agent\`):\n${list}` };
  }

  /** The service of one parent turn (its delegation count is per turn). */
  forTurn(parent: ParentTurn): DelegationService {
    let started = 0;
    return {
      targets: () =>
        this.targetsOf(parent.agent).map((agent) => ({
          id: agent.id,
          name: agent.config.name,
          description: agent.config.description,
        })),
      run: async (request, ctx) => {
        const depth = (parent.record.delegation?.depth ?? 0) + 1;
        const limits = delegationLimits(parent.agent.config);
        if (depth > limits.depth)
          throw new ToolError(
            `Delegation refused: this agent already works as a sub-agent ${depth - 1} level(s) below the user's chat, and sub-agents may not delegate deeper than ${limits.depth} levels. Do this task yourself.`,
          );
        if (started >= limits.perTurn)
          throw new ToolError(
            `Delegation refused: this turn already started ${limits.perTurn} delegations (the limit per turn). Do the rest yourself or combine tasks.`,
          );
        if (!ctx.messageId || !ctx.partId) throw new ToolError("Delegation needs a running turn.");
        const target = this.resolve(parent, request);
        started += 1;
        return this.runChild(parent, request, target, depth, {
          ...ctx,
          messageId: ctx.messageId,
          partId: ctx.partId,
        });
      },
    };
  }

  private resolve(parent: ParentTurn, request: DelegationRequest): { agent: Agent; name: string } {
    if (request.subagent) {
      const own = new Set(parent.tools.map((tool) => tool.name));
      const missing = (request.subagent.tools ?? []).filter((name) => !own.has(name));
      if (missing.length > 0)
        throw new ToolError(
          `A sub-agent may only get your own tools; you have no ${missing.join(", ")}. Yours: ${[...own].join(", ")}.`,
        );
      return { agent: parent.agent, name: request.subagent.name.trim() };
    }
    const wanted = (request.agent ?? "").trim();
    const targets = this.targetsOf(parent.agent);
    const listed = targets.map((agent) => `${agent.config.name} (${agent.id})`).join(", ") || "none";
    const found = this.deps.agents
      .list()
      .find((agent) => agent.id === wanted || agent.config.name.toLowerCase() === wanted.toLowerCase());
    if (!found) throw new ToolError(`There is no agent "${wanted}". Agents you may delegate to: ${listed}.`);
    if (found.id === parent.agent.id)
      throw new ToolError("That is you: define a sub-agent (`subagent`) to split your own work.");
    if (!targets.some((agent) => agent.id === found.id))
      throw new ToolError(
        `This agent's settings do not allow delegating to "${found.config.name}". Agents you may delegate to: ${listed}.`,
      );
    return { agent: found, name: found.config.name };
  }

  private runChild(
    parent: ParentTurn,
    request: DelegationRequest,
    target: { agent: Agent; name: string },
    depth: number,
    ctx: Parameters<DelegationService["run"]>[1] & { messageId: string; partId: string },
  ): Promise<DelegationOutcome> {
    const { repo, events } = this.deps;
    const childId = newId("ses");
    const delegation: SessionDelegation = {
      parentSessionId: parent.record.id,
      parentPartId: ctx.partId,
      depth,
      workspaceAgentId:
        !request.subagent && target.agent.config.ownWorkspaceWhenDelegated
          ? target.agent.id
          : (parent.record.delegation?.workspaceAgentId ?? parent.agent.id),
      ...(request.subagent ? { subagent: request.subagent } : {}),
    };
    const firstLine = request.task.trim().split("\n")[0] ?? "";
    repo.createChildSession(
      childId,
      target.agent.id,
      `${target.name}: ${firstLine}`.slice(0, 200),
      delegation,
    );
    this.deps.announce(childId);
    ctx.progress({ stream: "info", text: childSessionLine(childId, target.name) });

    const clientTurnId = newId("dlg");
    return new Promise<DelegationOutcome>((resolve) => {
      let turnId: string | undefined;
      // A step is listed once, with its arguments: a tool part first comes with `{}` while the model
      // still streams them, so it waits for a part with arguments, or for the call to start.
      const seenTools = new Set<string>();
      const pendingTools = new Map<string, Extract<Part, { type: "tool" }>>();
      const steps: string[] = [];
      const step = (part: Extract<Part, { type: "tool" }>) => {
        seenTools.add(part.id);
        pendingTools.delete(part.id);
        const line = delegationStepLine(`${part.tool} ${brief(part)}`);
        ctx.progress({ stream: "info", text: line });
        steps.push(line.trimEnd());
        if (steps.length > DELEGATION_STEPS_KEPT) steps.shift();
      };
      const finish = (status: DelegationOutcome["status"], reason?: string) => {
        unsubscribe();
        ctx.signal.removeEventListener("abort", stop);
        resolve({
          ...this.answerOf(childId),
          childSessionId: childId,
          name: target.name,
          status,
          ...(reason ? { reason } : {}),
          steps,
        });
      };
      const unsubscribe = events.subscribe((logged) => {
        for (const { event } of logged) {
          if (event.sessionId !== childId) continue;
          if (event.type === "turn.started" && event.clientTurnId === clientTurnId) turnId = event.turnId;
          else if (
            event.type === "message.part.updated" &&
            event.part.type === "tool" &&
            !seenTools.has(event.part.id)
          ) {
            if (hasArguments(event.part)) step(event.part);
            else pendingTools.set(event.part.id, event.part);
          } else if (event.type === "tool.started") {
            const pending = pendingTools.get(event.partId);
            if (pending) step(pending);
          } else if (event.type === "turn.ended" && event.turnId === turnId)
            finish(
              event.status === "completed" ? "completed" : event.status === "stopped" ? "stopped" : "error",
              event.reason,
            );
          else if (event.type === "turn.dequeued" && event.clientTurnId === clientTurnId) finish("stopped");
        }
      });
      const stop = () => this.deps.stopChild(childId);
      ctx.signal.addEventListener("abort", stop);
      const link: ChildLink = {
        relay: parent.interaction,
        messageId: ctx.messageId,
        partId: ctx.partId,
        name: target.name,
      };
      try {
        this.deps.startChild(childId, clientTurnId, request.task, link);
      } catch (error) {
        finish("error", error instanceof Error ? error.message : String(error));
        return;
      }
      if (ctx.signal.aborted) stop();
    });
  }

  /** The child's final answer: the text of its last assistant message, cut to the limit. */
  private answerOf(childId: string): { answer: string; truncated: boolean } {
    const messages = this.deps.repo.activePath(childId, { limit: 200 });
    const last = messages.findLast(
      (message) =>
        message.info.role === "assistant" &&
        message.parts.some((part) => part.type === "text" && part.text.trim()),
    );
    const text = (last?.parts ?? [])
      .map((part) => (part.type === "text" ? part.text : ""))
      .join("")
      .trim();
    if (text.length <= DELEGATION_ANSWER_LIMIT) return { answer: text, truncated: false };
    return {
      answer: `${text.slice(0, DELEGATION_ANSWER_LIMIT)}\n\n[… ${text.length - DELEGATION_ANSWER_LIMIT} more characters in the sub-agent's chat]`,
      truncated: true,
    };
  }
}

/** One short line for a child's tool call in the parent's card. */
function hasArguments(part: Extract<Part, { type: "tool" }>): boolean {
  const input = part.input;
  return input !== null && typeof input === "object" && Object.keys(input).length > 0;
}

function brief(part: Extract<Part, { type: "tool" }>): string {
  const input = part.input && typeof part.input === "object" ? (part.input as Record<string, unknown>) : {};
  const first = ["path", "command", "url", "query", "pattern", "task"]
    .map((key) => input[key])
    .find((v) => typeof v === "string");
  const text = typeof first === "string" ? first : JSON.stringify(part.input ?? {});
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

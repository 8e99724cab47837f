/**
 * Runs a scheduled task's prompt as a chat turn, and follows that turn through the session event log
 * to tell the scheduler how it goes.
 *
 * - The chat: "new" mode makes a new chat titled with the task's name for every run; "same" mode
 *   appends to the task's chat while it exists (a deleted one is replaced by a new chat). An agent that
 *   no longer exists is replaced by the default agent.
 * - The turn is submitted with the run's id as its client turn id, so the run is found again in the
 *   events (`turn.started` names it) and a repeated submit is recognised as the same turn.
 * - While the turn waits for an approval or an answer the run is "waiting" (the chat, and the desktop
 *   notifications that follow every session, show the user); an answer makes it "running" again.
 * - It ends with the turn: completed, error (with the reason), stopped, interrupted; a turn taken out of
 *   the queue before it started counts as stopped.
 */
import type { ClientMessageOf } from "../shared/client-messages.ts";
import type { ServerEvent } from "../shared/events.ts";
import type { SessionSummary } from "../shared/session.ts";
import type { LoggedEvent } from "../store/event-log.ts";
import type { TaskRecord } from "./task-repository.ts";
import type { RunHooks, RunLauncher } from "./types.ts";

export interface SessionLauncherDeps {
  sessions: {
    create(agentId?: string, title?: string): SessionSummary;
    submit(message: ClientMessageOf<"submit">): void;
    /** Whether the session exists and is not deleted. */
    canSubscribe(sessionId: string): boolean;
  };
  agents: { find(id: string): unknown };
  subscribe(listener: (events: LoggedEvent[]) => void): () => void;
}

interface Followed {
  runId: string;
  sessionId: string;
  hooks: RunHooks;
  /** Set once the turn started (it may wait in the session's queue first). */
  turnId?: string;
  /** Approvals and questions of the turn still open. */
  pending: Set<string>;
}

export class SessionLauncher implements RunLauncher {
  /** runId -> the run being followed. */
  readonly #followed = new Map<string, Followed>();
  readonly #unsubscribe: () => void;

  constructor(private readonly deps: SessionLauncherDeps) {
    this.#unsubscribe = deps.subscribe((events) => {
      if (this.#followed.size === 0) return;
      for (const { event } of events) this.#consider(event);
    });
  }

  launch(task: TaskRecord, runId: string, hooks: RunHooks): string {
    const sessionId = this.#sessionFor(task);
    this.#followed.set(runId, { runId, sessionId, hooks, pending: new Set() });
    try {
      this.deps.sessions.submit({ type: "submit", sessionId, clientTurnId: runId, text: task.prompt });
    } catch (error) {
      this.#followed.delete(runId);
      throw error;
    }
    return sessionId;
  }

  dispose(): void {
    this.#unsubscribe();
    this.#followed.clear();
  }

  #sessionFor(task: TaskRecord): string {
    if (task.sessionMode === "same" && task.sessionId && this.deps.sessions.canSubscribe(task.sessionId))
      return task.sessionId;
    const agentId = this.deps.agents.find(task.agentId) ? task.agentId : undefined;
    return this.deps.sessions.create(agentId, task.name).id;
  }

  #consider(event: ServerEvent): void {
    for (const run of this.#followed.values()) {
      if (run.sessionId !== event.sessionId) continue;
      this.#apply(run, event);
    }
  }

  #apply(run: Followed, event: ServerEvent): void {
    switch (event.type) {
      case "turn.started":
        if (event.clientTurnId === run.runId) run.turnId = event.turnId;
        return;
      case "turn.dequeued":
        if (event.clientTurnId === run.runId)
          this.#end(run, "stopped", "Taken out of the queue before it started.");
        return;
      case "approval.requested":
        if (!run.turnId) return;
        run.pending.add(event.approvalId);
        run.hooks.waiting(`Waiting for your approval: ${event.title}`);
        return;
      case "question.asked":
        if (!run.turnId) return;
        run.pending.add(event.questionId);
        run.hooks.waiting(
          event.purpose === "ask_user"
            ? "Waiting for your answer to a question."
            : "Waiting for your go-ahead to continue.",
        );
        return;
      case "approval.resolved":
      case "question.answered": {
        const id = event.type === "approval.resolved" ? event.approvalId : event.questionId;
        if (run.pending.delete(id) && run.pending.size === 0) run.hooks.resumed();
        return;
      }
      case "turn.ended":
        if (event.turnId === run.turnId) this.#end(run, event.status, event.reason);
        return;
      default:
        return;
    }
  }

  #end(run: Followed, status: "completed" | "error" | "stopped" | "interrupted", reason?: string): void {
    this.#followed.delete(run.runId);
    run.hooks.ended(status, reason);
  }
}

/**
 * One session's turns: at most one runs at a time; later submits wait in a visible queue; guidance,
 * stop, approvals and answers reach the running turn. A turn keeps running with no client connected.
 *
 * Contract:
 * - The same clientTurnId submitted twice starts one turn (checked against the turns table).
 * - Stop aborts the running turn at any point (the signal reaches the provider and every tool) and
 *   takes back the queued messages (the window that stopped puts their text back in its message box);
 *   the partial reply is kept, marked stopped. A pending approval or question ends by an event.
 * - Pending approvals and questions are events, so a reloaded window shows them again; answering
 *   resolves the waiting turn.
 * - When saving fails because of the storage (disk full, I/O error) the running turn ends at once with
 *   status "error", an error part and a `turn.ended` whose reason says what happened and what to do
 *   (the events still reach every window, see EventLog); the server carries on. A submit that cannot
 *   even be recorded is refused with DiskFullError.
 * - When the queue has drained, `onSettled` is called; a runner that is then `idle` holds nothing a
 *   later turn needs (see `idle`), so the manager may forget it and make a new one on the next submit.
 */

import type { Database } from "bun:sqlite";
import { compactNow } from "../agent/compaction.ts";
import { runTurn } from "../agent/loop.ts";
import type { FailureCode } from "../agent/provider-errors.ts";
import type { Answers } from "../agent/tool-contract.ts";
import type { TurnInteraction, TurnResult } from "../agent/types.ts";
import {
  ConflictError,
  DiskFullError,
  isDiskFull,
  isStorageFailure,
  NotFoundError,
  storageFailureReport,
} from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import { becomeInteractive } from "../core/jit-policy.ts";
import type { Logger } from "../core/logger.ts";
import { ShellJobs } from "../sandbox/shell-jobs.ts";
import type { Attachment, SubmitOptions } from "../shared/client-messages.ts";
import type { DraftEvent } from "../shared/events.ts";
import type { Usage } from "../shared/parts.ts";
import type { SessionStatus } from "../shared/session.ts";
import { parsePinnedSkills } from "../skills/load-skill-tool.ts";
import type { EventLog } from "../store/event-log.ts";
import type { ChildLink } from "./relayed-requests.ts";
import type { SessionRepository } from "./repository.ts";
import { sessionTodos } from "./session-todos.ts";
import type { SubAgents } from "./sub-agents.ts";
import { TurnRecorder } from "./turn-recorder.ts";
import { TurnRequests } from "./turn-requests.ts";
import type { TurnSetupDeps } from "./turn-setup.ts";
import { prepareTurn, type QueuedTurn, startMessages, type TurnKind } from "./turn-start.ts";

export interface RunnerDeps extends TurnSetupDeps {
  db: Database;
  userId: string;
  repo: SessionRepository;
  events: EventLog;
  logger: Logger;
  /** Called when the session's status, title or head changes (the manager broadcasts a summary). */
  onChange(sessionId: string): void;
  /** Called after a turn ends (titles ...). */
  onTurnEnded(sessionId: string, status: string, firstExchange: boolean): void;
  /** Called when the queue has drained (no turn running or waiting); the runner may be `idle` then. */
  onSettled?(sessionId: string): void;
  /** Sub-agents for the delegate tool (absent: the tool says delegation is not available). */
  subAgents?: SubAgents;
}

interface ActiveTurn {
  turnId: string;
  controller: AbortController;
  guidance: string[];
  /** Its pending approvals and questions. */
  requests: TurnRequests;
  /** Saving failed because of the storage: the turn ends with this error. */
  storageError?: unknown;
}

export class SessionRunner {
  private readonly queue: QueuedTurn[] = [];
  private active: ActiveTurn | undefined;
  private recorder: TurnRecorder | undefined;
  private draining = false;
  private readonly sessionApprovals = new Set<string>();
  readonly shellJobs = new ShellJobs();

  constructor(
    readonly sessionId: string,
    private readonly deps: RunnerDeps,
  ) {}

  get running(): boolean {
    return this.active !== undefined;
  }

  /**
   * Holds nothing between turns: no turn running, being set up or queued, no approval remembered "for
   * this session", no background shell job (running, or finished and kept for reading). Forgetting an
   * idle runner loses nothing; one that is not idle must be kept for as long as the session lives.
   */
  get idle(): boolean {
    return (
      this.active === undefined &&
      !this.draining &&
      this.queue.length === 0 &&
      this.sessionApprovals.size === 0 &&
      this.shellJobs.size === 0
    );
  }

  private emit(draft: DraftEvent): void {
    this.deps.events.append(draft);
  }

  /** Queue a turn (deduplicated by clientTurnId). Returns false when it was a duplicate. */
  submit(
    clientTurnId: string,
    text: string,
    attachments: Attachment[],
    options: SubmitOptions,
    start: TurnKind = { kind: "message" },
    link?: ChildLink,
  ): boolean {
    if (this.deps.repo.turnByClientId(this.sessionId, clientTurnId)) return false;
    try {
      return this.enqueue(clientTurnId, text, attachments, options, start, link);
    } catch (error) {
      if (isDiskFull(error)) throw new DiskFullError(this.deps.paths.database, error);
      throw error;
    }
  }

  private enqueue(
    clientTurnId: string,
    text: string,
    attachments: Attachment[],
    options: SubmitOptions,
    start: TurnKind,
    link?: ChildLink,
  ): boolean {
    if (this.active && options.whileRunning === "inject" && start.kind === "message" && text.trim()) {
      this.inject(text);
      // Recorded so a resend of the same frame is still recognised as a duplicate.
      this.deps.repo.insertTurn({
        id: newId("trn"),
        sessionId: this.sessionId,
        clientTurnId,
        status: "injected",
        userMessageId: null,
      });
      return true;
    }
    const turn: QueuedTurn = { turnId: newId("trn"), clientTurnId, text, attachments, options, start, link };
    this.deps.repo.insertTurn({
      id: turn.turnId,
      sessionId: this.sessionId,
      clientTurnId,
      status: "queued",
      userMessageId: null,
    });
    this.queue.push(turn);
    // Waiting behind another turn (the drain loop runs one, even one still being set up and not yet
    // active): say so, so every window shows it in the queue and can take it back.
    if (this.draining) this.emit({ type: "turn.queued", sessionId: this.sessionId, clientTurnId, text });
    void this.drain();
    return true;
  }

  /**
   * Save the running turn's parts that changed since their last save (streamed text, tool progress),
   * so stored messages read now match the session's current seq: a window that loads them and
   * subscribes after that seq misses nothing.
   */
  flushParts(): void {
    this.recorder?.flush();
  }

  inject(text: string): void {
    if (!this.active) throw new ConflictError("No turn is running; send the message normally.");
    this.active.guidance.push(text);
  }

  stop(): void {
    for (const queued of this.queue.splice(0)) this.dequeue(queued);
    this.active?.controller.abort();
  }

  /** Saving failed because of the storage: the running turn ends now, with that error (see runOne). */
  storageFailed(error: unknown): void {
    const active = this.active;
    if (!active || active.storageError !== undefined) return;
    active.storageError = error;
    this.deps.logger.error("saving failed; ending the running turn", error);
    active.controller.abort();
  }

  /** Take one queued message back (it never runs); NotFoundError when it is not waiting any more. */
  unqueue(clientTurnId: string): void {
    const index = this.queue.findIndex((queued) => queued.clientTurnId === clientTurnId);
    if (index < 0) throw new NotFoundError("Queued message", clientTurnId);
    this.dequeue(this.queue.splice(index, 1)[0] as QueuedTurn);
  }

  private dequeue(queued: QueuedTurn): void {
    this.deps.repo.updateTurn(queued.turnId, "stopped", { ended: true });
    this.emit({ type: "turn.dequeued", sessionId: this.sessionId, clientTurnId: queued.clientTurnId });
  }

  /** Answer a pending approval of the running turn (see TurnRequests.decide). */
  approve(
    approvalId: string,
    decision: "once" | "session" | "always" | "deny",
    reason?: string,
    scope?: string,
  ): void {
    if (!this.active) throw new NotFoundError("Approval request", approvalId);
    this.active.requests.decide(approvalId, decision, reason, scope);
  }

  answer(questionId: string, answers: Answers | null): void {
    if (!this.active) throw new NotFoundError("Question", questionId);
    this.active.requests.answer(questionId, answers);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.runOne(next);
    } finally {
      this.draining = false;
      this.deps.onSettled?.(this.sessionId);
    }
  }

  private setStatus(status: SessionStatus): void {
    this.saving(() =>
      this.deps.repo.setStatus(this.sessionId, status, this.deps.events.lastSeq(this.sessionId)),
    );
    this.emit({
      type: "session.updated",
      sessionId: this.sessionId,
      // The status as meant, even when saving it failed.
      session: { ...this.deps.repo.getSession(this.sessionId), status },
    });
    this.deps.onChange(this.sessionId);
  }

  /** A write whose storage failure ends the running turn instead of throwing. */
  private saving(write: () => void): void {
    try {
      write();
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      if (this.active) this.storageFailed(error);
      else this.deps.logger.error("saving failed", error);
    }
  }

  private async runOne(queued: QueuedTurn): Promise<void> {
    const { repo, logger } = this.deps;
    const session = repo.findSession(this.sessionId);
    if (!session) return;
    becomeInteractive();
    const controller = new AbortController();
    const requests = new TurnRequests(
      this.sessionId,
      controller.signal,
      (draft) => this.emit(draft),
      () => this.markWaiting(active),
    );
    const active: ActiveTurn = { turnId: queued.turnId, controller, guidance: [], requests };
    this.active = active;
    const firstExchange = !session.titleSet && session.messageCount === 0;
    const recorder = new TurnRecorder(
      this.sessionId,
      queued.turnId,
      session.headId,
      repo,
      this.deps.events,
      () => repo.touch(this.sessionId),
      (error) => this.storageFailed(error),
    );
    this.recorder = recorder;
    let status: "completed" | "stopped" | "error" = "error";
    let reason: string | undefined;
    let usage: Usage | undefined;
    let notice: TurnResult["notice"];
    /** The code of an error part to add: the turn failed before or outside the model's steps. */
    let failure: FailureCode | undefined;
    try {
      await this.deps.skills.ready();
      const pinned = parsePinnedSkills(
        queued.text,
        this.deps.skills.list().map((s) => s.name),
      );
      const userMessage = startMessages(
        { repo, emit: (draft) => this.emit(draft) },
        this.sessionId,
        recorder,
        queued,
      );
      const userMessageId = userMessage?.info.id ?? session.headId ?? "";
      repo.updateTurn(queued.turnId, "running", { userMessageId: userMessage?.info.id });
      this.emit({
        type: "turn.started",
        sessionId: this.sessionId,
        turnId: queued.turnId,
        clientTurnId: queued.clientTurnId,
        userMessageId,
      });
      this.setStatus("running");
      const request = await prepareTurn(this.deps, {
        sessionId: this.sessionId,
        session,
        queued,
        userMessageId,
        todos: sessionTodos(this.deps.repo, this.sessionId, (draft) => this.emit(draft)),
        shellJobs: this.shellJobs,
        sessionApprovals: this.sessionApprovals,
        sink: recorder,
        interaction: this.interaction(active),
        signal: controller.signal,
        pinnedSkills: pinned.names,
        emit: (draft) => this.emit(draft),
        heldElsewhere: (request) => requests.heldElsewhere(request),
      });
      const result = queued.start.kind === "compact" ? await compactNow(request) : await runTurn(request);
      status = result.status;
      reason = result.reason;
      usage = result.usage;
      notice = result.notice;
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      reason = error instanceof Error ? error.message : String(error);
      if (isStorageFailure(error)) active.storageError ??= error;
      else if (name !== "NoModelConfiguredError" && name !== "NotFoundError")
        logger.error("turn failed", error);
      status = controller.signal.aborted ? "stopped" : "error";
      if (status === "error") failure = name === "NoModelConfiguredError" ? "no_model" : "internal";
    }
    if (active.storageError !== undefined) {
      const storage = storageFailureReport(active.storageError, this.deps.paths.database);
      status = "error";
      reason = storage.message;
      failure = storage.code;
    }
    try {
      if (failure) {
        // The user sees why the turn could not run or go on, in the transcript, under their message.
        const messageId = recorder.startStep("");
        recorder.addError(messageId, { code: failure, message: reason ?? "", retryable: false });
        recorder.finishStep(messageId, "error", undefined);
      }
    } finally {
      recorder.settle(status === "error" ? "error" : "stopped");
      recorder.close();
      this.recorder = undefined;
      this.active = undefined;
      active.requests.close();
    }
    this.saving(() => repo.updateTurn(queued.turnId, status, { usage, ended: true }));
    this.emit({
      type: "turn.ended",
      sessionId: this.sessionId,
      turnId: queued.turnId,
      status,
      reason,
      usage,
      ...(notice ? { notice } : {}),
    });
    this.setStatus("idle");
    this.deps.onTurnEnded(this.sessionId, status, firstExchange);
  }

  private interaction(active: ActiveTurn): TurnInteraction {
    return {
      approve: (request) => active.requests.approve(request),
      ask: (request) => active.requests.ask(request),
      takeGuidance: () => active.guidance.splice(0),
    };
  }

  /** "waiting" while the turn needs the user (an approval or a question), else "running". */
  private markWaiting(active: ActiveTurn): void {
    if (this.active !== active) return;
    const waiting = active.requests.size > 0;
    const current = this.deps.repo.findSession(this.sessionId)?.status;
    const next = waiting ? "waiting" : "running";
    if (current !== next) this.setStatus(next);
  }

  async dispose(): Promise<void> {
    this.stop();
    await this.shellJobs.dispose();
  }
}

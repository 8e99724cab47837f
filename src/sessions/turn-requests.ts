/**
 * What a running turn waits on from the user: its pending approvals and questions.
 *
 * Contract:
 * - Each request is an event (`approval.requested`, `question.asked`), so every window, also one that
 *   opens later (see LiveSessions), shows it; each ends with an event (`approval.resolved`,
 *   `question.answered`), whoever ends it: the user in any window, or Stop.
 * - Stop (the turn's abort signal) ends every pending request: an approval as "stopped" (the tool runner
 *   records the call as stopped, not as the user's denial), a question as cancelled. A request may
 *   bring its own signal too (a sub-agent's request asked in its parent's session ends with the child).
 * - `onChange` runs whenever the number of pending requests changes (the runner's waiting status).
 */

import type { Answers } from "../agent/tool-contract.ts";
import type { ApprovalDecision, TurnInteraction } from "../agent/types.ts";
import { NotFoundError, ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { DraftEvent } from "../shared/events.ts";

type ApprovalRequest = Parameters<TurnInteraction["approve"]>[0];
type QuestionRequest = Parameters<TurnInteraction["ask"]>[0];

/** The event that shows an approval request in `sessionId`'s chat (also a sub-agent's, relayed). */
export function approvalRequested(
  sessionId: string,
  approvalId: string,
  request: ApprovalRequest,
): DraftEvent {
  return {
    type: "approval.requested",
    sessionId,
    approvalId,
    messageId: request.messageId,
    partId: request.partId,
    tool: request.tool,
    title: request.description.title,
    detail: request.description.detail,
    detailKind: request.description.detailKind,
    scopes: request.scopes,
    ...(request.description.locality ? { locality: request.description.locality } : {}),
  };
}

/** The event that shows questions in `sessionId`'s chat (also a sub-agent's, relayed). */
export function questionAsked(sessionId: string, questionId: string, request: QuestionRequest): DraftEvent {
  return {
    type: "question.asked",
    sessionId,
    questionId,
    messageId: request.messageId,
    partId: request.partId,
    purpose: request.purpose,
    questions: request.questions,
    ...(request.repeated ? { repeated: request.repeated } : {}),
  };
}

interface PendingApproval {
  resolve(decision: ApprovalDecision): void;
  /** The patterns of the scopes ("session" / "always") the request offered. */
  scopes: string[];
}

export class TurnRequests {
  private readonly approvals = new Map<string, PendingApproval>();
  private readonly questions = new Map<string, (answers: Answers | null) => void>();

  constructor(
    private readonly sessionId: string,
    private readonly signal: AbortSignal,
    private readonly emit: (draft: DraftEvent) => void,
    private readonly onChange: () => void,
  ) {}

  /** This turn's requests held by another turn (a sub-agent's, asked in its parent's turn). */
  private elsewhere = 0;

  /** Requests waiting for the user right now, including this turn's requests held elsewhere. */
  get size(): number {
    return this.approvals.size + this.questions.size + this.elsewhere;
  }

  /** Count a request of this turn that another turn holds (see relayed-requests.ts) while it waits. */
  async heldElsewhere<T>(request: Promise<T>): Promise<T> {
    this.elsewhere += 1;
    this.onChange();
    try {
      return await request;
    } finally {
      this.elsewhere -= 1;
      this.onChange();
    }
  }

  /** Ask the user to allow a tool call; resolves with their decision (a denial when stopped). */
  approve(request: ApprovalRequest): Promise<ApprovalDecision> {
    return new Promise((resolve) => {
      if (this.signal.aborted || request.signal?.aborted)
        return resolve({ kind: "deny", via: "user", reason: "stopped" });
      const approvalId = request.approvalId ?? newId("apr");
      this.approvals.set(approvalId, {
        resolve: (decision) => {
          this.onChange();
          resolve(decision);
        },
        scopes: request.scopes.map((scope) => scope.pattern),
      });
      const stopped = () => {
        if (!this.approvals.delete(approvalId)) return;
        this.emit({ type: "approval.resolved", sessionId: this.sessionId, approvalId, decision: "stopped" });
        resolve({ kind: "deny", via: "user", reason: "The turn was stopped." });
      };
      this.signal.addEventListener("abort", stopped);
      request.signal?.addEventListener("abort", () => {
        stopped();
        this.onChange();
      });
      this.emit(approvalRequested(this.sessionId, approvalId, request));
      this.onChange();
    });
  }

  /** Ask the user questions; resolves with their answers, or null when cancelled or stopped. */
  ask(request: QuestionRequest): Promise<Answers | null> {
    return new Promise((resolve) => {
      if (this.signal.aborted || request.signal?.aborted) return resolve(null);
      const questionId = request.questionId ?? newId("qst");
      this.questions.set(questionId, (answers) => {
        this.onChange();
        resolve(answers);
      });
      const cancelled = () => {
        if (!this.questions.delete(questionId)) return;
        this.emit({ type: "question.answered", sessionId: this.sessionId, questionId, cancelled: true });
        resolve(null);
      };
      this.signal.addEventListener("abort", cancelled);
      request.signal?.addEventListener("abort", () => {
        cancelled();
        this.onChange();
      });
      this.emit(questionAsked(this.sessionId, questionId, request));
      this.onChange();
    });
  }

  /**
   * The user's answer to an approval. `scope` (for "session" / "always") must be the pattern of one of
   * the scopes the request offered (a `ValidationError` otherwise, and the request stays pending);
   * absent, the narrowest is remembered.
   */
  decide(
    approvalId: string,
    decision: "once" | "session" | "always" | "deny",
    reason?: string,
    scope?: string,
  ): void {
    const pending = this.approvals.get(approvalId);
    if (!pending) throw new NotFoundError("Approval request", approvalId);
    const remembers = decision === "session" || decision === "always";
    if (remembers && scope !== undefined && !pending.scopes.includes(scope)) {
      throw new ValidationError(
        `This approval does not offer the scope "${scope.slice(0, 200)}"; choose one of those it lists.`,
        "scope",
      );
    }
    this.approvals.delete(approvalId);
    this.emit({ type: "approval.resolved", sessionId: this.sessionId, approvalId, decision });
    pending.resolve(
      decision === "deny"
        ? { kind: "deny", via: "user", reason }
        : { kind: "allow", via: decision, ...(remembers && scope !== undefined ? { scope } : {}) },
    );
  }

  /** The user's answers to a question (null: they dismissed it). */
  answer(questionId: string, answers: Answers | null): void {
    const resolve = this.questions.get(questionId);
    if (!resolve) throw new NotFoundError("Question", questionId);
    this.questions.delete(questionId);
    this.emit({
      type: "question.answered",
      sessionId: this.sessionId,
      questionId,
      cancelled: answers === null,
      answers: answers ?? undefined,
    });
    resolve(answers);
  }

  /** The turn is over: questions still open get no answer (their tools finish as cancelled). */
  close(): void {
    for (const resolve of this.questions.values()) resolve(null);
    this.questions.clear();
  }
}

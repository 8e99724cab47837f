/**
 * A sub-agent's approvals and questions, asked in its parent's turn (on the delegate call's card) and
 * shown in the sub-agent's own chat too, under one id: the user answers in either chat (the manager
 * forwards an answer the child's chat does not hold to its parent, see SessionManager.approve), and
 * both show the request end.
 *
 * Contract: the parent's TurnRequests holds the request (its stop ends it); `signal` (the child's
 * turn) ends it as well when the child is stopped on its own. The mirror events in the child's chat
 * carry the child's own message and part, so its tool card shows the prompt.
 */
import type { ApprovalDecision, TurnInteraction } from "../agent/types.ts";
import { newId } from "../core/ids.ts";
import type { DraftEvent } from "../shared/events.ts";
import { approvalRequested, questionAsked } from "./turn-requests.ts";

/** What ties a child's turn to the parent's delegate call. */
export interface ChildLink {
  /** The parent turn's interaction: the child's approvals and questions are asked there. */
  relay: Pick<TurnInteraction, "approve" | "ask">;
  /** The parent's delegate call (its card). */
  messageId: string;
  partId: string;
  name: string;
}

/** How an approval ended, as the child's chat records it. */
function decisionName(
  decision: ApprovalDecision,
  signal: AbortSignal,
): "once" | "session" | "always" | "deny" | "stopped" {
  if (decision.kind === "allow")
    return decision.via === "session" || decision.via === "always" ? decision.via : "once";
  return signal.aborted || decision.reason === "The turn was stopped." ? "stopped" : "deny";
}

/** The child turn's interaction: requests go to the parent, mirrored into the child's chat. */
export function relayedInteraction(
  link: ChildLink,
  own: TurnInteraction,
  signal: AbortSignal,
  child: {
    sessionId: string;
    emit(draft: DraftEvent): void;
    /** Counts the request as the child's own while it waits (its chat shows "waiting"). */
    waitFor<T>(request: Promise<T>): Promise<T>;
  },
): TurnInteraction {
  return {
    async approve(request) {
      const approvalId = request.approvalId ?? newId("apr");
      child.emit(approvalRequested(child.sessionId, approvalId, request));
      const decision = await child.waitFor(
        link.relay.approve({
          ...request,
          approvalId,
          messageId: link.messageId,
          partId: link.partId,
          description: { ...request.description, title: `${link.name}: ${request.description.title}` },
          signal,
        }),
      );
      child.emit({
        type: "approval.resolved",
        sessionId: child.sessionId,
        approvalId,
        decision: decisionName(decision, signal),
      });
      return decision;
    },
    async ask(request) {
      const questionId = request.questionId ?? newId("qst");
      child.emit(questionAsked(child.sessionId, questionId, request));
      const answers = await child.waitFor(
        link.relay.ask({
          ...request,
          questionId,
          messageId: link.messageId,
          partId: link.partId,
          questions: request.questions.map((question) =>
            request.purpose === "ask_user"
              ? { ...question, prompt: `${link.name}: ${question.prompt}` }
              : question,
          ),
          signal,
        }),
      );
      child.emit({
        type: "question.answered",
        sessionId: child.sessionId,
        questionId,
        cancelled: answers === null,
        ...(answers ? { answers } : {}),
      });
      return answers;
    },
    takeGuidance: () => own.takeGuidance(),
  };
}

/**
 * Crash recovery at start-up: turns a crash (or a kill) left running or queued are marked interrupted.
 * Their partial replies are rebuilt from the event log with the shared transcript reducer (the log has
 * every delta sent, including what the event journal held; streamed text is saved to its part only when
 * the part ends) and saved, so what the user saw stays; tool
 * calls that were still running end as errors, and open windows are told as they would be live.
 */

import type { Part } from "../shared/parts.ts";
import {
  applyEvent,
  applyMessageEvent,
  emptyTranscript,
  endUnfinishedTool,
  isUnfinishedTool,
} from "../shared/transcript.ts";
import type { EventLog } from "../store/event-log.ts";
import type { SessionRepository } from "./repository.ts";

/** The error of a tool call that was still running when Sage stopped. */
export const INTERRUPTED_TOOL_ERROR = "Interrupted: Sage stopped while this was running.";

export interface RecoveryDeps {
  repo: Pick<
    SessionRepository,
    | "unfinishedTurns"
    | "streamingMessages"
    | "turnMessages"
    | "savePart"
    | "updateMessage"
    | "updateTurn"
    | "setStatus"
  >;
  events: Pick<EventLog, "since" | "append" | "lastSeq" | "flush">;
}

/**
 * At start-up: turns left running or queued by a crash are marked interrupted. Their partial replies
 * are rebuilt from the event log (it has every delta sent; see the file's contract) and saved, so what
 * the user saw stays.
 */
export function recoverInterruptedTurns(deps: RecoveryDeps): number {
  const { repo, events } = deps;
  const turns = repo.unfinishedTurns();
  for (const turn of turns) {
    const state = emptyTranscript();
    for (const event of events.since(turn.sessionId, 0)) applyEvent(state, event);
    const streaming = repo.streamingMessages(turn.sessionId);
    // A tool runs after its step's message was completed: look at every message of the turn too.
    const touched = new Map(streaming.map((info) => [info.id, info]));
    for (const info of repo.turnMessages(turn.sessionId, turn.id)) touched.set(info.id, info);
    for (const info of touched.values()) {
      const parts = state.parts[info.id] ?? [];
      const wasStreaming = info.status === "streaming";
      for (const [index, part] of parts.entries()) {
        const unfinished = isUnfinishedTool(part);
        if (unfinished) {
          // Windows that stay open see the call end too, not only a reload; the state follows the
          // event through the reducer, as everywhere else.
          const event = events.append({
            type: "message.part.updated",
            sessionId: turn.sessionId,
            messageId: info.id,
            part: endUnfinishedTool(part, INTERRUPTED_TOOL_ERROR),
          });
          applyMessageEvent(state, event);
        }
        if (unfinished || wasStreaming) repo.savePart(turn.sessionId, info.id, index, parts[index] as Part);
      }
      if (!wasStreaming) continue;
      const updated = { ...info, status: "interrupted" as const };
      repo.updateMessage(updated);
      events.append({ type: "message.updated", sessionId: turn.sessionId, message: updated });
    }
    repo.updateTurn(turn.id, "interrupted", { ended: true });
    if (turn.status === "running") {
      events.append({
        type: "turn.ended",
        sessionId: turn.sessionId,
        turnId: turn.id,
        status: "interrupted",
        reason: "Sage stopped during this turn.",
      });
    } else {
      events.append({ type: "turn.dequeued", sessionId: turn.sessionId, clientTurnId: turn.clientTurnId });
    }
    repo.setStatus(turn.sessionId, "idle", events.lastSeq(turn.sessionId));
  }
  events.flush();
  return turns.length;
}

/**
 * "Continue in a new chat": a new session (same agent, same model pick) that starts from a summary of
 * this one, so long work goes on with an empty context. The summary is the first message of the new
 * chat (a compaction part whose `fromSessionId` links back); the open todo items move along. The old
 * chat is not changed.
 *
 * Contract: the summary is written from the chat's active branch as the model sees it (the newest
 * summary, then what followed), by the same summariser compaction uses (src/agent/summary.ts).
 * Nothing is created when it fails: `SummaryFailedError` (502) carries the reason; an empty chat is a
 * ValidationError.
 */
import type { Database } from "bun:sqlite";
import {
  Calibration,
  contextBudget,
  estimateMessageTokens,
  estimateTokens,
} from "../agent/context-budget.ts";
import { isSummary, modelVisibleMessages } from "../agent/history.ts";
import { writeSummary } from "../agent/summary.ts";
import { ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { TodoItem } from "../shared/events.ts";
import type { SessionRepository } from "./repository.ts";
import { pickedModel, resolveModel, type TurnSetupDeps } from "./turn-setup.ts";

/** The summary request for a new chat failed (the provider's reason in the message). */
export class SummaryFailedError extends Error {
  override readonly name = "SummaryFailedError";
}

/** How long the summary may take before the request gives up. */
const SUMMARY_TIMEOUT_MS = 180_000;

export interface ContinueDeps extends Pick<TurnSetupDeps, "providers" | "agents"> {
  db: Database;
  repo: SessionRepository;
}

/** Create the new session; returns its id. */
export async function continueInNewChat(
  deps: ContinueDeps,
  sessionId: string,
  signal: AbortSignal,
): Promise<string> {
  const record = deps.repo.getSession(sessionId);
  const history = deps.repo.activePath(sessionId, { limit: 5000 });
  const visible = modelVisibleMessages(history);
  if (visible.length === 0)
    throw new ValidationError("This chat is empty: there is nothing to continue from yet.");
  const agent = deps.agents.find(record.agentId) ?? deps.agents.defaultAgent();
  const model = await resolveModel(deps, agent, pickedModel(deps.providers, record.model));
  const budget = contextBudget(model.info.contextWindow, agent.config.maxOutputTokens);
  const todos = (JSON.parse(record.todos) as TodoItem[]).filter(
    (t) => t.status === "pending" || t.status === "in_progress",
  );
  let summary: string;
  try {
    summary = await writeSummary(
      {
        fast: model.fast,
        signal: AbortSignal.any([signal, AbortSignal.timeout(SUMMARY_TIMEOUT_MS)]),
        readAttachment: async () => undefined,
        toolOutputDir: ".sage/tool-output",
        latestRequest: history.findLast((m) => m.info.role === "user" && m.info.kind === "normal"),
        todos,
      },
      visible,
      budget,
      new Calibration(history),
    );
  } catch (error) {
    throw new SummaryFailedError(
      `Could not write the summary for the new chat: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const id = newId("ses");
  const messageId = newId("msg");
  deps.db.transaction(() => {
    deps.repo.createSession(id, agent.id, continuedTitle(record.title));
    deps.repo.insertMessage({
      id: messageId,
      sessionId: id,
      role: "assistant",
      parentId: null,
      turnId: null,
      kind: "summary",
      status: "completed",
      createdAt: Date.now(),
    });
    deps.repo.savePart(id, messageId, 0, {
      id: newId("prt"),
      type: "compaction",
      mode: "summary",
      summary,
      upToMessageId: "",
      replacedCount: visible.filter((m) => !isSummary(m)).length,
      tokensBefore: visible.reduce((sum, m) => sum + estimateMessageTokens(m), 0),
      tokensAfter: estimateTokens(summary),
      fromSessionId: sessionId,
    });
    deps.repo.update(id, {
      titleSet: true,
      todos: JSON.stringify(todos),
      ...(record.model ? { model: record.model } : {}),
    });
  })();
  return id;
}

function continuedTitle(title: string): string {
  const base = title.trim() || "Chat";
  return `${base.replace(/ \(continued\)$/, "").slice(0, 180)} (continued)`;
}

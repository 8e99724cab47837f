/**
 * Pruning: the cheap way to free context. Old tool outputs are replaced in the request by a one-line
 * stub that names the file holding the full output (see history.ts `pruneStub`); the transcript keeps
 * everything. A prune is recorded as a marker message (a compaction part with mode "prune") whose
 * `upToMessageId` is the newest message it covers, so it survives reloads and later turns, and the
 * stubbed prefix of the request stays the same from one step to the next (provider prompt caches).
 *
 * Contract:
 * - Oldest outputs go first, and only as many as needed to free `excess` raw tokens (all that can be,
 *   when that is not enough). The newest step's outputs are kept unless `protectNewest` is false (a
 *   harder compaction): the model is usually about to act on them.
 * - Outputs shorter than PRUNE_MIN_CHARS are never stubbed. A marker never moves backwards: each new
 *   one covers more than the one before.
 * - Before an output is stubbed, its full text is written to the file the stub names (outputs the
 *   tool runner truncated are saved already). A write that fails leaves the stub pointing at a missing
 *   file; the model then runs the call again.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Message, ToolPart } from "../shared/parts.ts";
import { estimateTokens } from "./context-budget.ts";
import { isPrunable, modelVisibleMessages, prunedMessageIds, pruneStub, savedOutputPath } from "./history.ts";
import type { TurnRequest } from "./types.ts";

export interface PrunePlan {
  /** The newest message whose outputs the new marker stubs. */
  upTo: Message;
  /** The outputs newly stubbed. */
  parts: ToolPart[];
  /** Raw tokens freed. */
  freed: number;
}

/** Raw tokens that stubbing this output frees. */
function freedBy(part: ToolPart, toolOutputDir: string): number {
  return Math.max(
    0,
    estimateTokens(part.output?.text ?? "") - estimateTokens(pruneStub(part, toolOutputDir)),
  );
}

/**
 * What to stub to free `excess` raw tokens, or undefined when nothing can be freed. `history` is the
 * turn's whole history (markers included).
 */
export function planPrune(
  history: Message[],
  excess: number,
  options: { protectNewest: boolean; toolOutputDir: string },
): PrunePlan | undefined {
  const pruned = prunedMessageIds(history);
  const steps = modelVisibleMessages(history).filter(
    (m) => m.info.role === "assistant" && m.info.kind === "normal" && !pruned.has(m.info.id),
  );
  if (options.protectNewest) steps.pop();
  let plan: PrunePlan | undefined;
  for (const step of steps) {
    const parts = step.parts.filter(isPrunable);
    if (parts.length === 0) continue;
    const freed = parts.reduce((sum, part) => sum + freedBy(part, options.toolOutputDir), 0);
    plan = { upTo: step, parts: [...(plan?.parts ?? []), ...parts], freed: (plan?.freed ?? 0) + freed };
    if (plan.freed >= excess) break;
  }
  return plan && plan.freed > 0 ? plan : undefined;
}

/** Write the full outputs the plan stubs to the files their stubs name (those not saved already). */
export async function saveFullOutputs(request: TurnRequest, plan: PrunePlan): Promise<void> {
  for (const part of plan.parts) {
    if (part.output?.fullOutputPath || !part.output) continue;
    try {
      const absolute = request.workspace.resolve(savedOutputPath(part, request.toolOutputDir));
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, part.output.text);
    } catch {
      // The stub then names a missing file; the model can run the call again (see the contract).
    }
  }
}

/** The marker message a plan becomes, before it is recorded (to measure the request it leads to). */
export function provisionalMarker(plan: PrunePlan): Message {
  return {
    info: {
      id: "provisional-prune",
      sessionId: plan.upTo.info.sessionId,
      role: "assistant",
      parentId: null,
      turnId: null,
      kind: "summary",
      status: "completed",
      createdAt: Date.now(),
    },
    parts: [
      {
        id: "provisional-part",
        type: "compaction",
        mode: "prune",
        summary: "",
        upToMessageId: plan.upTo.info.id,
        replacedCount: plan.parts.length,
        tokensBefore: 0,
        tokensAfter: 0,
      },
    ],
  };
}

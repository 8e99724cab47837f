/**
 * A plan-mode turn's plan as it travels to the user and back. The plan is asked as a question of
 * purpose "plan" (see `PendingQuestion`): one question, id `PLAN_QUESTION_ID`, whose `prompt` is the
 * plan's summary and whose `options` are its steps. The user's answer (an `answer` frame) carries the
 * keys below; a dismissed question counts as a rejection.
 */

export const PLAN_QUESTION_ID = "plan";

/** Answer keys of a plan question. */
export const PlanAnswerKey = {
  /** "approve" or "reject". */
  decision: "decision",
  /** The steps as the user left them (edited or not); absent: the plan's own steps. */
  steps: "steps",
  /** Why the user rejected the plan (optional, told to the model). */
  reason: "reason",
} as const;

/** At most this many steps, each at most `PLAN_STEP_LIMIT` characters (the todo list's bounds). */
export const PLAN_MAX_STEPS = 100;
export const PLAN_STEP_LIMIT = 500;

export type PlanReview =
  | { decision: "approve"; steps: string[]; edited: boolean }
  | { decision: "reject"; reason?: string };

/**
 * The user's review from a plan question's answers (null: dismissed or stopped, a rejection).
 * Edited steps are trimmed, blank ones dropped, each cut to `PLAN_STEP_LIMIT`; an approval whose edit
 * left no step keeps the proposed steps.
 */
export function planReviewOf(
  answers: Record<string, string | string[]> | null,
  proposed: readonly string[],
): PlanReview {
  if (answers?.[PlanAnswerKey.decision] !== "approve") {
    const reason = answers?.[PlanAnswerKey.reason];
    const text = typeof reason === "string" ? reason.trim().slice(0, 2000) : "";
    return text ? { decision: "reject", reason: text } : { decision: "reject" };
  }
  const given = answers[PlanAnswerKey.steps];
  const list = Array.isArray(given) ? given : typeof given === "string" ? given.split("\n") : [];
  const steps = list
    .map((step) => step.trim().slice(0, PLAN_STEP_LIMIT))
    .filter((step) => step.length > 0)
    .slice(0, PLAN_MAX_STEPS);
  if (steps.length === 0) return { decision: "approve", steps: [...proposed], edited: false };
  const edited = steps.length !== proposed.length || steps.some((step, i) => step !== proposed[i]);
  return { decision: "approve", steps, edited };
}

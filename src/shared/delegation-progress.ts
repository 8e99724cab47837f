/**
 * The progress lines of a delegate call (the sub-agent's chat it opened, the child's steps) and how the
 * UI's delegate card reads them back. Kept apart from delegation.ts's TypeBox schemas: the chat's
 * first screen imports these, and schema-free modules keep TypeBox out of the UI's entry chunk.
 */

const CHILD_LINE = "Sub-agent chat: ";

/** The first progress line of a delegate call: names the child session (the card's link). */
export function childSessionLine(childSessionId: string, name: string): string {
  return `${CHILD_LINE}${childSessionId} (${name})\n`;
}

/** The child session a delegate card's progress or details name, if any. */
export function childSessionOf(
  progress: string | undefined,
  details?: Record<string, unknown>,
): string | undefined {
  const fromDetails = details?.childSessionId;
  if (typeof fromDetails === "string") return fromDetails;
  if (!progress) return undefined;
  const start = progress.indexOf(CHILD_LINE);
  if (start < 0) return undefined;
  return /^(\S+)/.exec(progress.slice(start + CHILD_LINE.length))?.[1];
}

/** A delegate result keeps this many of the child's last steps (`details.steps`) for its card. */
export const DELEGATION_STEPS_KEPT = 100;

const STEP_MARK = "• ";

/** A progress line for one of the child's steps (a tool call it made), e.g. "• list_dir ." */
export function delegationStepLine(step: string): string {
  return `${STEP_MARK}${step}\n`;
}

/**
 * The child's steps a delegate card shows: the progress lines while the call runs; once it ended (the
 * progress is dropped then), the steps its result kept in `details.steps`.
 */
export function delegationSteps(progress: string | undefined, details?: Record<string, unknown>): string[] {
  if (progress) return progress.split("\n").filter((line) => line.startsWith(STEP_MARK));
  const kept = details?.steps;
  return Array.isArray(kept) ? kept.filter((line): line is string => typeof line === "string") : [];
}

/**
 * Runs of context markers inside one turn. With a small context window a long turn records a marker
 * (a prune or a summary) every few steps; shown one row each they bury the steps. A run is the markers
 * of one turn that follow each other with only that turn's assistant steps between them (a user
 * message, e.g. guidance, ends it). A run of two or more is shown as one row at its first marker; the
 * later markers of the run render nothing.
 *
 * Pure over the transcript state (the live reducer's and a reloaded page's are the same shape), so the
 * grouping is the same while streaming and after a reload. Walks only the turn around the row.
 */
import type { CompactionPart } from "../../../../src/shared/parts.ts";
import type { TranscriptState } from "../../../../src/shared/transcript.ts";

export type CompactionRow =
  /** Not a groupable marker, or a run of one: shown as it is. */
  | { kind: "single" }
  /** The first marker of a run of at least two: one row for all of them. */
  | { kind: "group"; markers: CompactionPart[] }
  /** A later marker of a run: shown inside its group's row. */
  | { kind: "grouped" };

/** The marker of a summary message that can join a run (a turn's own marker, not a continued chat's seed). */
export function groupableMarker(state: TranscriptState, messageId: string): CompactionPart | undefined {
  const info = state.messages[messageId];
  if (info?.kind !== "summary" || !info.turnId) return undefined;
  const part = (state.parts[messageId] ?? []).find((p) => p.type === "compaction");
  return part?.type === "compaction" && !part.fromSessionId ? part : undefined;
}

/** Whether the message at `index` continues a run of `turnId` (an assistant step or marker of it). */
function inTurn(state: TranscriptState, index: number, turnId: string): boolean {
  const info = state.messages[state.order[index] ?? ""];
  return info !== undefined && info.role === "assistant" && info.turnId === turnId;
}

/** How the marker message at `index` of `state.order` is shown. */
export function compactionRow(state: TranscriptState, index: number): CompactionRow {
  const id = state.order[index];
  if (id === undefined) return { kind: "single" };
  const own = groupableMarker(state, id);
  const turnId = state.messages[id]?.turnId;
  if (!own || !turnId) return { kind: "single" };
  for (let before = index - 1; before >= 0 && inTurn(state, before, turnId); before--) {
    if (groupableMarker(state, state.order[before] as string)) return { kind: "grouped" };
  }
  const markers = [own];
  for (let after = index + 1; after < state.order.length && inTurn(state, after, turnId); after++) {
    const marker = groupableMarker(state, state.order[after] as string);
    if (marker) markers.push(marker);
  }
  return markers.length > 1 ? { kind: "group", markers } : { kind: "single" };
}

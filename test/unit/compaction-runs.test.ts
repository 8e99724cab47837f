/**
 * The chat's runs of context markers (ui/src/components/chat/compaction-runs.ts): the markers of one
 * turn with only its steps between them are one row at the first marker; a user message, another turn
 * or a continued chat's seed is never part of a run; a lone marker stays a row of its own.
 */
import { describe, expect, test } from "bun:test";
import type { MessageInfo, Part } from "../../src/shared/parts.ts";
import { emptyTranscript, type TranscriptState } from "../../src/shared/transcript.ts";
import { compactionRow } from "../../ui/src/components/chat/compaction-runs.ts";

type Entry = "user" | "guidance" | "step" | "prune" | "summary" | "seed";

/** A transcript of `entries` in order; `turns` gives each entry's turn (default "t1"). */
function transcript(entries: Entry[], turns: (string | null)[] = []): TranscriptState {
  const state = emptyTranscript();
  entries.forEach((entry, index) => {
    const id = `m${index}`;
    const marker = entry === "prune" || entry === "summary" || entry === "seed";
    const info: MessageInfo = {
      id,
      sessionId: "s",
      role: entry === "user" || entry === "guidance" ? "user" : "assistant",
      parentId: index === 0 ? null : `m${index - 1}`,
      turnId: turns[index] === undefined ? "t1" : (turns[index] as string | null),
      kind: marker ? "summary" : entry === "guidance" ? "guidance" : "normal",
      status: "completed",
      createdAt: index,
    };
    const parts: Part[] = marker
      ? [
          {
            id: `p${index}`,
            type: "compaction",
            mode: entry === "prune" ? "prune" : "summary",
            summary: "",
            upToMessageId: "",
            replacedCount: 1,
            tokensBefore: 1000 + index,
            tokensAfter: 500 + index,
            ...(entry === "seed" ? { fromSessionId: "old" } : {}),
          },
        ]
      : [];
    state.order.push(id);
    state.messages[id] = info;
    state.parts[id] = parts;
  });
  return state;
}

const kinds = (state: TranscriptState) =>
  state.order.map((_, index) => {
    const row = compactionRow(state, index);
    return row.kind === "group" ? `group:${row.markers.length}` : row.kind;
  });

describe("compactionRow", () => {
  test("the markers between one turn's steps are one row at the first, holding them in order", () => {
    const state = transcript(["user", "step", "prune", "step", "prune", "summary", "step", "prune", "step"]);
    expect(kinds(state)).toEqual([
      "single",
      "single",
      "group:4",
      "single",
      "grouped",
      "grouped",
      "single",
      "grouped",
      "single",
    ]);
    const row = compactionRow(state, 2);
    expect(row.kind === "group" && row.markers.map((m) => m.tokensBefore)).toEqual([1002, 1004, 1005, 1007]);
  });

  test("a lone marker in a turn stays its own row", () => {
    expect(kinds(transcript(["user", "step", "prune", "step"]))).toEqual([
      "single",
      "single",
      "single",
      "single",
    ]);
  });

  test("guidance from the user ends a run; so does the next turn", () => {
    expect(kinds(transcript(["user", "step", "prune", "guidance", "step", "prune"]))).toEqual([
      "single",
      "single",
      "single",
      "single",
      "single",
      "single",
    ]);
    const twoTurns = transcript(
      ["user", "step", "prune", "user", "step", "prune", "prune"],
      ["t1", "t1", "t1", "t2", "t2", "t2", "t2"],
    );
    expect(kinds(twoTurns)).toEqual(["single", "single", "single", "single", "single", "group:2", "grouped"]);
  });

  test("a continued chat's seed and markers without a turn never join a run", () => {
    expect(kinds(transcript(["seed", "user", "step", "prune"], [null, "t1", "t1", "t1"]))).toEqual([
      "single",
      "single",
      "single",
      "single",
    ]);
    expect(kinds(transcript(["prune", "prune"], [null, null]))).toEqual(["single", "single"]);
  });

  test("an index past the end or on a plain message is a single row", () => {
    const state = transcript(["user", "step"]);
    expect(compactionRow(state, 5)).toEqual({ kind: "single" });
    expect(compactionRow(state, 1)).toEqual({ kind: "single" });
  });
});

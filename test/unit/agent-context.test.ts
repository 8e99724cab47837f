/**
 * The pure parts of context management: the budget, the estimate of a request as sent, calibration
 * against provider counts, which outputs a prune stubs (and how the request then looks), where a
 * summary cuts, and which failing calls count as the same call.
 */
import { describe, expect, test } from "bun:test";
import { cutByTokens } from "../../src/agent/compaction.ts";
import {
  Calibration,
  contextBudget,
  estimateModelMessages,
  estimateTokens,
} from "../../src/agent/context-budget.ts";
import { modelVisibleMessages, prunedMessageIds, toModelMessages } from "../../src/agent/history.ts";
import { callSignature, REPEAT_LIMIT, RepeatedFailures } from "../../src/agent/loop-detection.ts";
import { planPrune } from "../../src/agent/pruning.ts";
import type { Message, MessageInfo, Part } from "../../src/shared/parts.ts";

let ids = 0;
function message(role: "user" | "assistant", parts: Part[], extra: Partial<MessageInfo> = {}): Message {
  ids++;
  return {
    info: {
      id: `msg_${ids}`,
      sessionId: "ses_1",
      role,
      parentId: null,
      turnId: "trn_1",
      kind: "normal",
      status: "completed",
      createdAt: ids,
      ...extra,
    },
    parts,
  };
}
const text = (value: string): Part => ({ id: `prt_${++ids}`, type: "text", text: value });
function readStep(chars: number, callId = `call_${++ids}`): Message {
  return message("assistant", [
    {
      id: `prt_${++ids}`,
      type: "tool",
      callId,
      tool: "read_file",
      input: { path: "a.txt" },
      status: "completed",
      output: { text: "y".repeat(chars) },
    },
  ]);
}
function pruneMarker(upTo: Message): Message {
  return message(
    "assistant",
    [
      {
        id: `prt_${++ids}`,
        type: "compaction",
        mode: "prune",
        summary: "",
        upToMessageId: upTo.info.id,
        replacedCount: 1,
        tokensBefore: 2,
        tokensAfter: 1,
      },
    ],
    { kind: "summary" },
  );
}
const options = { vision: false, readAttachment: async () => undefined };

describe("budget", () => {
  test("a 20,000-token window compacts past 12,000 and lands at 8,400 (at most half the window)", () => {
    expect(contextBudget(20_000)).toEqual({
      window: 20_000,
      limit: 12_000,
      target: 8_400,
      hardTarget: 4_200,
    });
    const large = contextBudget(200_000);
    expect(large.target).toBeLessThanOrEqual(100_000);
    expect(contextBudget(undefined).window).toBe(128_000);
  });

  test("the estimate counts tool calls, tool results and images as sent", async () => {
    const history = [message("user", [text("hello")]), readStep(4000)];
    const messages = await toModelMessages(history, options);
    const estimate = estimateModelMessages(messages);
    expect(estimate).toBeGreaterThan(1000);
    expect(estimate).toBeLessThan(1100);
    const withImage = estimateModelMessages([
      { role: "user", content: [{ type: "image", image: "AAAA", mediaType: "image/png" }] },
    ]);
    expect(withImage).toBeGreaterThanOrEqual(1000);
    expect(estimateTokens("日本語")).toBe(3);
  });
});

describe("calibration", () => {
  test("starts from the newest step that has both counts, clamps nonsense, and rises after a refusal", () => {
    const measured = message("assistant", [text("a")], {
      usage: { inputTokens: 1500, outputTokens: 3, estimatedInputTokens: 1000 },
    });
    const older = message("assistant", [text("b")], {
      usage: { inputTokens: 9000, outputTokens: 3, estimatedInputTokens: 1000 },
    });
    const calibration = new Calibration([older, measured, message("user", [text("c")])]);
    expect(calibration.ratio).toBe(1.5);
    expect(calibration.tokens(2000)).toBe(3000);
    expect(calibration.raw(3000)).toBe(2000);
    calibration.observe(1000, 1);
    expect(calibration.ratio).toBe(0.5);
    calibration.observe(1000, undefined);
    expect(calibration.ratio).toBe(0.5);
    calibration.refused(10_000, 20_000);
    expect(calibration.ratio).toBeCloseTo(2.2);
    expect(new Calibration([]).ratio).toBe(1);
  });
});

describe("pruning", () => {
  test("stubs the oldest outputs first, only as many as needed, never the newest step", () => {
    const first = readStep(8000);
    const second = readStep(8000);
    const newest = readStep(8000);
    const history = [message("user", [text("read")]), first, second, newest];
    const plan = planPrune(history, 1000, { protectNewest: true, toolOutputDir: ".sage/tool-output" });
    expect(plan?.upTo.info.id).toBe(first.info.id);
    expect(plan?.parts).toHaveLength(1);
    const all = planPrune(history, 1_000_000, { protectNewest: true, toolOutputDir: ".sage/tool-output" });
    expect(all?.upTo.info.id).toBe(second.info.id);
    const hard = planPrune(history, 1_000_000, { protectNewest: false, toolOutputDir: ".sage/tool-output" });
    expect(hard?.upTo.info.id).toBe(newest.info.id);
    // Nothing left to prune once a marker covers them (markers never move backwards).
    const marked = [...history, pruneMarker(second)];
    expect(planPrune(marked, 1_000_000, { protectNewest: true, toolOutputDir: "x" })).toBeUndefined();
  });

  test("a prune marker stubs outputs in the request only, naming the saved file; short outputs stay", async () => {
    const long = readStep(5000, "call/odd id");
    const short = readStep(100);
    const newest = readStep(5000);
    const history = [message("user", [text("read")]), long, short, newest, pruneMarker(short)];
    expect([...prunedMessageIds(history)]).toEqual(history.slice(0, 3).map((m) => m.info.id));
    const sent = JSON.stringify(await toModelMessages(history, options));
    expect(sent).toContain("Output pruned from the context to save space. The full output (5000 characters)");
    expect(sent).toContain(".sage/tool-output/call_odd_id.txt");
    expect(sent).toContain("y".repeat(100));
    expect(sent).toContain("y".repeat(5000));
    expect(modelVisibleMessages(history)).toHaveLength(4);
    expect(long.parts[0]?.type === "tool" && long.parts[0].output?.text.length).toBe(5000);
  });
});

describe("summary cut", () => {
  test("keeps the newest messages that fit, at least one, and may cut between two steps of a turn", () => {
    const visible = [message("user", [text("task")]), readStep(4000), readStep(4000), readStep(400)];
    expect(cutByTokens(visible, new Set(), 50)).toBe(2);
    expect(cutByTokens(visible, new Set(), 1000)).toBe(1);
    expect(cutByTokens(visible, new Set(), 1500)).toBe(0);
    expect(cutByTokens(visible, new Set(), 1_000_000)).toBe(-1);
    expect(cutByTokens([message("user", [text("only")])], new Set(), 0)).toBe(-1);
  });
});

describe("loop detection", () => {
  test("the same call up to key order, spacing, ./ and numbers is one call", () => {
    const a = callSignature("read_file", { path: "src/a.ts", offset: 1 });
    expect(callSignature("read_file", { offset: 40, path: "./src/a.ts " })).toBe(a);
    expect(callSignature("read_file", { path: "src/a.ts" })).toBe(a);
    expect(callSignature("read_file", { path: "src/b.ts" })).not.toBe(a);
    expect(callSignature("grep", { path: "src/a.ts" })).not.toBe(a);
    expect(callSignature("shell", { command: "ls   -la" })).toBe(
      callSignature("shell", { command: "ls -la" }),
    );
  });

  test(`${REPEAT_LIMIT} failures in a row are detected; a success or forgiving starts over`, () => {
    const failures = new RepeatedFailures();
    failures.record("read_file", { path: "x" }, true, "not found");
    failures.record("list_dir", { path: "." }, false);
    failures.record("read_file", { path: "./x" }, true, "not found");
    expect(failures.detected()).toBeUndefined();
    failures.record("read_file", { path: "x", offset: 3 }, true, "still not found");
    const found = failures.detected();
    expect(found).toMatchObject({ tool: "read_file", count: 3, error: "still not found" });
    expect(JSON.parse(found?.input ?? "{}")).toEqual({ path: "x", offset: 3 });
    failures.forgive(found?.key ?? "");
    expect(failures.detected()).toBeUndefined();
    for (let i = 0; i < 2; i++) failures.record("read_file", { path: "x" }, true, "e");
    failures.record("read_file", { path: "x" }, false);
    failures.record("read_file", { path: "x" }, true, "e");
    expect(failures.detected()).toBeUndefined();
  });
});

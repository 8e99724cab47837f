/**
 * Runs one tool call on behalf of the loop: find, validate, approve, snapshot, execute, truncate, audit.
 * Tools only do their work; everything around them happens here, once, the same way for every tool.
 *
 * Contract: never throws. Every failure (unknown tool, bad arguments, denial, a thrown error, a stop)
 * becomes a `ToolOutcome` whose `modelText` tells the model what happened so it can adjust.
 */

import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Value } from "@sinclair/typebox/value";
import { TOOL_STOPPED_ERROR, type ToolOutput } from "../shared/parts.ts";
import type {
  AnyTool,
  ApprovalDescription,
  ProgressUpdate,
  ToolContext,
  ToolResult,
} from "./tool-contract.ts";
import type { ToolOutcome, TurnRequest } from "./types.ts";

/** Output longer than this is cut for the model (head and tail kept) and saved whole to a file. */
export const MODEL_OUTPUT_LIMIT = 30_000;
const HEAD = 20_000;
const TAIL = 8_000;
const PROGRESS_FLUSH_MS = 50;
const PROGRESS_FLUSH_BYTES = 16 * 1024;

export interface ToolCall {
  callId: string;
  tool: string;
  input: unknown;
  /** Set when the model's arguments could not be parsed as JSON. */
  invalidReason?: string;
  messageId: string;
  partId: string;
}

export async function runToolCall(call: ToolCall, request: TurnRequest): Promise<ToolOutcome> {
  const started = Date.now();
  const finish = (outcome: Omit<ToolOutcome, "durationMs">, decision: string): ToolOutcome => {
    const result = { ...outcome, durationMs: Date.now() - started };
    request.guard.audit({
      callId: call.callId,
      tool: call.tool,
      input: call.input,
      decision,
      status: result.status,
      summary: (result.error ?? result.output?.text ?? "").slice(0, 500),
      startedAt: started,
    });
    return result;
  };
  const fail = (message: string, decision = "none"): ToolOutcome =>
    finish({ status: "error", error: message, modelText: message }, decision);

  const tool = request.tools.find((t) => t.name === call.tool);
  if (!tool) {
    return fail(
      `Unknown tool "${call.tool}". Available tools: ${request.tools.map((t) => t.name).join(", ")}.`,
    );
  }
  if (call.invalidReason)
    return fail(
      `The arguments for ${call.tool} were not valid JSON (${call.invalidReason}). Send the call again with a JSON object that matches the tool's schema.`,
    );
  const problems = validationProblems(tool, call.input);
  if (problems)
    return fail(`Invalid arguments for ${call.tool}: ${problems}. Fix them and call the tool again.`);
  const params = call.input;

  const planRefusal = request.planMode?.refusal(tool, params);
  if (planRefusal)
    return finish({ status: "denied", error: planRefusal, modelText: planRefusal }, "plan-mode");

  let description: ApprovalDescription;
  try {
    description = tool.describe
      ? await tool.describe(params, { workspace: request.workspace, services: request.services })
      : { title: tool.name, detail: JSON.stringify(params, null, 2), detailKind: "json" };
  } catch (error) {
    return fail(errorText(error));
  }

  let decision = "allowed";
  const rule = request.guard.rule(tool, params, description);
  if (rule === "deny") {
    const message = `The policy for this agent does not allow ${tool.name}. Do not retry it; find another way or ask the user.`;
    return finish({ status: "denied", error: message, modelText: message }, "policy-denied");
  }
  if (rule === "ask") {
    const answer = await request.interaction.approve({
      messageId: call.messageId,
      partId: call.partId,
      tool: tool.name,
      description,
      input: params,
      scopes: request.guard.scopes(tool, params),
    });
    // Stopped while it waited: recorded as stopped, not as the user's "deny" (the model reads this next).
    if (request.signal.aborted) return fail(TOOL_STOPPED_ERROR, "stopped");
    if (answer.kind === "deny") {
      const reason = answer.reason?.trim();
      const message = reason
        ? `The user denied this ${tool.name} call: ${reason}`
        : `The user denied this ${tool.name} call.`;
      return finish(
        { status: "denied", error: message, modelText: message },
        answer.via === "policy" ? "policy-denied" : "denied",
      );
    }
    if (answer.via === "session" || answer.via === "always")
      request.guard.remember(tool, params, answer.via, answer.scope);
    decision = `approved-${answer.via}`;
  }
  if (request.signal.aborted) return fail(TOOL_STOPPED_ERROR, decision);

  if (tool.touches) {
    try {
      request.guard.snapshot(tool.touches(params, { workspace: request.workspace }));
    } catch {
      // Snapshots serve undo; a failure here must not block the tool.
    }
  }

  request.sink.toolStarted(call.messageId, call.partId);
  const progress = new ProgressBuffer((update) =>
    request.sink.toolProgress(call.messageId, call.partId, update.stream, update.text),
  );
  const ctx: ToolContext = {
    signal: request.signal,
    workspace: request.workspace,
    sessionId: request.sessionId,
    agentId: request.agentId,
    turnId: request.turnId,
    callId: call.callId,
    messageId: call.messageId,
    partId: call.partId,
    progress: (update) => progress.push(update),
    ask: (questions, purpose = "ask_user") =>
      request.interaction.ask({
        messageId: call.messageId,
        partId: call.partId,
        purpose,
        questions,
      }),
    services: request.services,
  };
  let result: ToolResult;
  try {
    result = await tool.execute(params, ctx);
  } catch (error) {
    progress.flush();
    if (request.signal.aborted) return fail(TOOL_STOPPED_ERROR, decision);
    return fail(errorText(error), decision);
  }
  progress.flush();
  const output = await shapeOutput(result, call, request);
  if (result.details?.stopped === true) {
    const modelText = `${output.text}\n\n${TOOL_STOPPED_ERROR}`;
    return finish({ status: "error", output, error: TOOL_STOPPED_ERROR, modelText }, decision);
  }
  return finish(
    {
      status: "completed",
      output,
      modelText: output.text,
      modelImages: result.images?.map((image) => ({ mime: image.mime, data: image.data })),
    },
    decision,
  );
}

function validationProblems(tool: AnyTool, input: unknown): string | undefined {
  if (tool.validate) return tool.validate(input);
  if (Value.Check(tool.parameters, input)) return undefined;
  const problems = [...Value.Errors(tool.parameters, input)]
    .slice(0, 5)
    .map((e) => `${e.path || "(root)"}: ${e.message}`);
  return problems.join("; ") || "they do not match the schema";
}

async function shapeOutput(result: ToolResult, call: ToolCall, request: TurnRequest): Promise<ToolOutput> {
  const images = result.images
    ?.filter((image) => image.path)
    .map((image) => ({ mime: image.mime, path: image.path as string }));
  const base: ToolOutput = {
    text: result.text,
    details: result.details,
    ...(images?.length ? { images } : {}),
  };
  if (result.text.length <= MODEL_OUTPUT_LIMIT) return base;
  const relativePath = join(request.toolOutputDir, `${call.callId.replace(/[^\w.-]/g, "_")}.txt`);
  let savedNote = "";
  try {
    const absolute = request.workspace.resolve(relativePath);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, result.text);
    savedNote = ` The full output (${result.text.length} characters) is saved in ${relativePath}; read parts of it with read_file or grep.`;
  } catch {
    savedNote = " The full output could not be saved.";
  }
  const omitted = result.text.length - HEAD - TAIL;
  const text = `${result.text.slice(0, HEAD)}\n\n[… ${omitted} characters omitted.${savedNote} …]\n\n${result.text.slice(-TAIL)}`;
  return { ...base, text, truncated: true, fullOutputPath: relativePath };
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Coalesces progress per stream: flushed every 50 ms or at 16 KB, and at the end. */
class ProgressBuffer {
  private pending = new Map<ProgressUpdate["stream"], string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly emit: (update: ProgressUpdate) => void) {}

  push(update: ProgressUpdate): void {
    const next = (this.pending.get(update.stream) ?? "") + update.text;
    this.pending.set(update.stream, next);
    if (next.length >= PROGRESS_FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), PROGRESS_FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = new Map();
    for (const [stream, text] of pending) if (text) this.emit({ stream, text });
  }
}

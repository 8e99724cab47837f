/**
 * From stored messages to what the model is sent.
 *
 * Contract:
 * - Compaction: the newest summary message replaces every message up to its `upToMessageId`; the model
 *   sees the summary first, then the messages after that point (the summary's own position is skipped).
 * - Pruning: the newest prune marker (a compaction part with mode "prune") stubs the tool outputs of
 *   every message up to its `upToMessageId`: the output is replaced by one line naming its size and
 *   the file that holds it in full (`fullOutputPath`, else `<toolOutputDir>/<callId>.txt`, written when
 *   the prune was made). Prune markers themselves are never sent.
 * - Attempts an automatic retry superseded (`supersededBy`) are left out (they are off the active
 *   branch anyway). Assistant steps that failed before finishing (status "error") are left out too:
 *   their content is incomplete. (Chats stored before retries superseded their attempts have each
 *   failed attempt on the branch; this rule keeps those out.) Stopped or interrupted steps are kept
 *   (the user saw them); their unfinished tool calls get an "interrupted" result so every call has one.
 * - Guidance is sent as a user message marked as mid-task guidance.
 * - Images (attachments, tool screenshots) go as image content when the model has vision; otherwise a
 *   short note names the file.
 */
import type { ModelMessage, ToolResultPart, UserModelMessage } from "ai";
import type { CompactionPart, Message, Part, ToolPart } from "../shared/parts.ts";

export interface HistoryOptions {
  vision: boolean;
  readAttachment(path: string): Promise<{ data: string; mime: string } | undefined>;
  /** Where pruned outputs are saved (workspace-relative). Default ".sage/tool-output". */
  toolOutputDir?: string;
  /** Cut every tool output to this many characters (summary requests), pruned or not. */
  clipOutputs?: number;
}

/** Outputs shorter than this are never pruned: the stub would save next to nothing. */
export const PRUNE_MIN_CHARS = 400;
export const DEFAULT_TOOL_OUTPUT_DIR = ".sage/tool-output";

export function compactionPart(message: Message | undefined): CompactionPart | undefined {
  if (message?.info.kind !== "summary") return undefined;
  return message.parts.find((p): p is CompactionPart => p.type === "compaction");
}

export function isPruneMarker(message: Message | undefined): boolean {
  return compactionPart(message)?.mode === "prune";
}

/** A summary message (a compaction that replaces messages), not a prune marker. */
export function isSummary(message: Message | undefined): boolean {
  return message?.info.kind === "summary" && !isPruneMarker(message);
}

/** The messages the model should see, after applying the newest summary (prune markers left out). */
export function modelVisibleMessages(messages: Message[]): Message[] {
  let summaryIndex = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (isSummary(messages[i])) {
      summaryIndex = i;
      break;
    }
  }
  if (summaryIndex < 0) return messages.filter((m) => !isPruneMarker(m));
  const summary = messages[summaryIndex] as Message;
  const part = compactionPart(summary);
  const cut = part ? messages.findIndex((m) => m.info.id === part.upToMessageId) : -1;
  return [summary, ...messages.filter((m, i) => i > cut && i !== summaryIndex && !isPruneMarker(m))];
}

/** Ids of the messages whose tool outputs the newest prune marker stubs. */
export function prunedMessageIds(messages: Message[]): Set<string> {
  const marker = messages.findLast(isPruneMarker);
  const upTo = compactionPart(marker)?.upToMessageId;
  const ids = new Set<string>();
  if (!upTo) return ids;
  const index = messages.findIndex((m) => m.info.id === upTo);
  for (let i = 0; i <= index; i++) ids.add((messages[i] as Message).info.id);
  return ids;
}

/** Where a tool part's full output is (or is written when it is pruned). */
export function savedOutputPath(part: ToolPart, toolOutputDir = DEFAULT_TOOL_OUTPUT_DIR): string {
  return part.output?.fullOutputPath ?? `${toolOutputDir}/${part.callId.replace(/[^\w.-]/g, "_")}.txt`;
}

/** Whether pruning would stub this part's output (long enough, and not stubbed already). */
export function isPrunable(part: Part): part is ToolPart {
  return (
    part.type === "tool" &&
    (part.status === "completed" || part.status === "error") &&
    (part.output?.text.length ?? 0) >= PRUNE_MIN_CHARS
  );
}

export function pruneStub(part: ToolPart, toolOutputDir?: string): string {
  const size = part.output?.fullOutputPath ? "" : ` (${part.output?.text.length ?? 0} characters)`;
  return `[Output pruned from the context to save space. The full output${size} is saved in ${savedOutputPath(part, toolOutputDir)}; read parts of it with read_file (offset, limit) or grep if you need it again.]`;
}

export async function toModelMessages(messages: Message[], options: HistoryOptions): Promise<ModelMessage[]> {
  const out: ModelMessage[] = [];
  const visible = modelVisibleMessages(messages);
  const pruned = prunedMessageIds(messages);
  // Images from tool results are sent for the newest assistant step only; older ones become notes.
  const newestAssistant = visible.findLast((m) => m.info.role === "assistant")?.info.id;
  for (const message of visible) {
    if (message.info.kind === "summary") {
      const summary = compactionPart(message);
      if (summary) {
        out.push({
          role: "user",
          content: `Summary of the earlier part of this conversation (older messages were compacted to save context):\n\n${summary.summary}`,
        });
      }
      continue;
    }
    if (message.info.supersededBy) continue;
    if (message.info.role === "user") {
      out.push(await userMessage(message, options));
      continue;
    }
    if (
      message.info.status === "error" &&
      !message.parts.some((p) => p.type === "tool" && p.status === "completed")
    )
      continue;
    out.push(
      ...(await assistantMessages(message.parts, options, {
        withImages: message.info.id === newestAssistant,
        pruned: pruned.has(message.info.id),
      })),
    );
  }
  return out;
}

async function userMessage(message: Message, options: HistoryOptions): Promise<UserModelMessage> {
  const content: Exclude<UserModelMessage["content"], string> = [];
  const prefix =
    message.info.kind === "guidance" ? "[Guidance from the user, sent while you were working]\n" : "";
  for (const part of message.parts) {
    if (part.type === "text" && part.text) content.push({ type: "text", text: prefix + part.text });
    if (part.type === "file") {
      if (part.mime.startsWith("image/") && options.vision) {
        const file = await options.readAttachment(part.path);
        if (file) {
          content.push({ type: "image", image: file.data, mediaType: file.mime });
          continue;
        }
      }
      content.push({
        type: "text",
        text: `[Attached file: ${part.path} (${part.mime}, ${part.size} bytes) — in the workspace]`,
      });
    }
  }
  if (content.length === 0) content.push({ type: "text", text: prefix || "(empty message)" });
  return { role: "user", content };
}

async function assistantMessages(
  parts: Part[],
  options: HistoryOptions,
  shape: { withImages: boolean; pruned: boolean },
): Promise<ModelMessage[]> {
  const content: Exclude<Extract<ModelMessage, { role: "assistant" }>["content"], string> = [];
  const results: ToolResultPart[] = [];
  for (const part of parts) {
    if (part.type === "text" && part.text) content.push({ type: "text", text: part.text });
    else if (part.type === "reasoning" && part.text) content.push({ type: "reasoning", text: part.text });
    else if (part.type === "tool") {
      content.push({
        type: "tool-call",
        toolCallId: part.callId,
        toolName: part.tool,
        input: part.input ?? {},
      });
      results.push(await toolResult(part, options, shape));
    }
  }
  if (content.length === 0) return [];
  const messages: ModelMessage[] = [{ role: "assistant", content }];
  if (results.length > 0) messages.push({ role: "tool", content: results });
  return messages;
}

async function toolResult(
  original: ToolPart,
  options: HistoryOptions,
  shape: { withImages: boolean; pruned: boolean },
): Promise<ToolResultPart> {
  const part = shapedOutput(original, options, shape.pruned);
  const withImages = shape.withImages;
  const base = { type: "tool-result" as const, toolCallId: part.callId, toolName: part.tool };
  if (part.status === "completed") {
    const text = part.output?.text ?? "";
    const images = part.output?.images ?? [];
    if (images.length === 0) return { ...base, output: { type: "text", value: text } };
    const note = `${text}\n[${images.length} image(s) saved: ${images.map((i) => i.path).join(", ")}]`;
    if (!options.vision || !withImages) return { ...base, output: { type: "text", value: note } };
    const value: Extract<ToolResultPart["output"], { type: "content" }>["value"] = [{ type: "text", text }];
    for (const image of images) {
      const file = await options.readAttachment(image.path);
      if (file) value.push({ type: "file", data: { type: "data", data: file.data }, mediaType: file.mime });
    }
    return { ...base, output: { type: "content", value } };
  }
  if (part.status === "denied")
    return { ...base, output: { type: "error-text", value: part.error ?? "The user denied this call." } };
  if (part.status === "error") {
    // A call cut short keeps its partial output; the model reads it before the reason.
    const error = part.error ?? "The tool failed.";
    return {
      ...base,
      output: { type: "error-text", value: part.output?.text ? `${part.output.text}\n\n${error}` : error },
    };
  }
  return {
    ...base,
    output: { type: "error-text", value: "This call did not finish: the turn was interrupted." },
  };
}

/** The part with its output stubbed (pruned) or clipped (summary requests); the stored part is untouched. */
function shapedOutput(part: ToolPart, options: HistoryOptions, pruned: boolean): ToolPart {
  const output = part.output;
  if (!output) return part;
  if (pruned && isPrunable(part))
    return { ...part, output: { ...output, text: pruneStub(part, options.toolOutputDir) } };
  const clip = options.clipOutputs;
  if (clip !== undefined && output.text.length > clip) {
    const omitted = output.text.length - clip;
    return {
      ...part,
      output: { ...output, text: `${output.text.slice(0, clip)}\n[… ${omitted} more characters]` },
    };
  }
  return part;
}

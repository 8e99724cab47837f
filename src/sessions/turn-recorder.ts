/**
 * Records a turn: the `TurnSink` the agent loop writes to. Every call emits its event (see EventLog) and
 * applies that same event to the turn's messages with the shared transcript reducer
 * (`applyMessageEvent`, src/shared/transcript.ts), so the server's record of a turn, a client folding
 * the events and crash recovery agree by construction: no message or part is changed by hand here.
 *
 * Contract: messages are inserted when created; parts are saved when created, when a tool call changes
 * state, when they end, and by `flush()` (before a page of messages is read: SessionRunner.flushParts);
 * `close()` saves everything left. Streamed text is not re-saved while it grows (quadratic in a long
 * answer): its deltas are in the event log, which rebuilds a crash's partial reply (crash-recovery.ts).
 * `message()` returns a live view: its `info` and `parts` follow later events.
 * When saving fails because of the storage (disk full, I/O error; see isStorageFailure) no method
 * throws: the turn goes on in memory and its events are still delivered, `onStorageFailure` hears of
 * the first failure (the runner ends the turn with that error), and later saves are attempted but
 * never throw. Any other failure (a bug) throws as before.
 */
import type { ProviderFailure } from "../agent/provider-errors.ts";
import type { ToolOutcome, TurnSink } from "../agent/types.ts";
import { isStorageFailure } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { Attachment } from "../shared/client-messages.ts";
import type { DraftEvent, ServerEvent } from "../shared/events.ts";
import {
  type CompactionPart,
  type FailedAttempt,
  type Message,
  type MessageInfo,
  type Part,
  TOOL_STOPPED_ERROR,
  type Usage,
} from "../shared/parts.ts";
import {
  applyMessageEvent,
  endUnfinishedTool,
  isUnfinishedTool,
  type TranscriptState,
} from "../shared/transcript.ts";
import type { EventLog } from "../store/event-log.ts";
import type { SessionRepository } from "./repository.ts";

export class TurnRecorder implements TurnSink {
  /** This turn's messages, changed only by applying the events emitted (see the contract). */
  private readonly state: Pick<TranscriptState, "order" | "messages" | "parts"> = {
    order: [],
    messages: {},
    parts: {},
  };
  /** Parts changed since their last save (streamed text, tool progress). */
  private readonly dirty = new Map<string, { messageId: string; partId: string }>();
  /** When each step that ended in error did (a retry's record of the attempts before it). */
  private readonly failedAt = new Map<string, number>();
  private headId: string | null;
  /** The first failed save of this turn, once one failed. */
  private storageError: unknown;

  constructor(
    private readonly sessionId: string,
    private readonly turnId: string,
    headId: string | null,
    private readonly repo: SessionRepository,
    private readonly events: EventLog,
    /** Called after each new message so the session's summary can follow. */
    private readonly onMessage: (info: MessageInfo) => void = () => {},
    /** Called once, with the first save that failed because of the storage. */
    private readonly onStorageFailure: (error: unknown) => void = () => {},
  ) {
    this.headId = headId;
  }

  get head(): string | null {
    return this.headId;
  }

  /** Append the event to the log and apply it to this turn's messages; returns it as applied. */
  private emit(draft: DraftEvent): ServerEvent {
    const stamped = this.events.append(draft);
    // A delta joined to the queued one before it comes back as that event: apply the draft itself.
    const event = { ...draft, seq: stamped.seq, at: stamped.at } as ServerEvent;
    applyMessageEvent(this.state, event);
    return event;
  }

  private createMessage(
    role: "user" | "assistant",
    kind: MessageInfo["kind"],
    parts: Part[],
    model?: string,
    parentId = this.headId,
    retry?: Pick<MessageInfo, "id" | "attempts">,
    plan = false,
  ): Message {
    const info: MessageInfo = {
      id: retry?.id ?? newId("msg"),
      sessionId: this.sessionId,
      role,
      parentId,
      turnId: this.turnId,
      kind,
      status: role === "user" ? "completed" : "streaming",
      createdAt: Date.now(),
      ...(model ? { model } : {}),
      ...(retry?.attempts ? { attempts: retry.attempts } : {}),
      ...(plan ? { plan: true } : {}),
    };
    this.save(() => {
      this.repo.insertMessage(info);
      // An edit or a regeneration adds a version beside earlier ones: say so live, as a stored page would.
      const siblings = this.repo.siblings(info.id);
      if (siblings.length > 1)
        info.versions = { index: siblings.indexOf(info.id) + 1, count: siblings.length };
      parts.forEach((part, index) => {
        this.repo.savePart(this.sessionId, info.id, index, part);
      });
    });
    this.headId = info.id;
    this.emit({ type: "message.created", sessionId: this.sessionId, message: info });
    for (const part of parts)
      this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId: info.id, part });
    this.save(() => this.onMessage(info));
    return this.message(info.id);
  }

  /** The turn's user message (`parentId`: a regenerate's parent; `plan`: sent in plan mode, MessageInfo.plan). */
  addUserMessage(
    text: string,
    attachments: Attachment[],
    parentId: string | null = this.headId,
    plan = false,
  ): Message {
    const parts: Part[] = [];
    if (text) parts.push({ id: newId("prt"), type: "text", text });
    for (const file of attachments) {
      parts.push({
        id: newId("prt"),
        type: "file",
        name: file.name,
        mime: file.mime,
        path: file.path,
        size: file.size,
      });
    }
    return this.createMessage("user", "normal", parts, undefined, parentId, undefined, plan);
  }

  /** Continue from an existing message (regenerate: new assistant steps under the same user message). */
  continueFrom(messageId: string): void {
    this.headId = messageId;
  }

  addGuidance(text: string): Message {
    return this.createMessage("user", "guidance", [{ id: newId("prt"), type: "text", text }]);
  }

  addCompaction(compaction: Omit<CompactionPart, "id" | "type">): Message {
    const message = this.createMessage("assistant", "summary", [
      { id: newId("prt"), type: "compaction", ...compaction },
    ]);
    this.updateInfo(message.info.id, { status: "completed" });
    return message;
  }

  startStep(model: string, retryOf?: string): string {
    if (!retryOf) return this.createMessage("assistant", "normal", [], model).info.id;
    // The failed attempt is marked first (its message.updated precedes the retry's message.created),
    // so neither the live versions count nor a client folding the events ever sees both as current.
    const failed = this.require(retryOf);
    const error = failed.parts.findLast((p) => p.type === "error");
    const attempts: FailedAttempt[] = [
      ...(failed.info.attempts ?? []),
      {
        messageId: retryOf,
        code: error?.type === "error" ? error.code : "unknown",
        message: error?.type === "error" ? error.message : "The attempt failed.",
        at: this.failedAt.get(retryOf) ?? Date.now(),
      },
    ];
    const id = newId("msg");
    this.save(() => this.repo.supersede(this.sessionId, retryOf, id));
    this.emit({
      type: "message.updated",
      sessionId: this.sessionId,
      message: { ...failed.info, supersededBy: id },
    });
    return this.createMessage("assistant", "normal", [], model, failed.info.parentId, { id, attempts }).info
      .id;
  }

  private addPart(messageId: string, part: Part): string {
    this.require(messageId);
    this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId, part });
    this.savePart(messageId, part.id);
    return part.id;
  }

  /** Replace a part (its new version goes out as message.part.updated) and save it. */
  private replacePart(messageId: string, part: Part): void {
    this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId, part });
    this.savePart(messageId, part.id);
  }

  startText(messageId: string, kind: "text" | "reasoning"): string {
    const part: Part =
      kind === "text"
        ? { id: newId("prt"), type: "text", text: "" }
        : { id: newId("prt"), type: "reasoning", text: "", startedAt: Date.now() };
    return this.addPart(messageId, part);
  }

  appendText(messageId: string, partId: string, delta: string): void {
    const part = this.part(messageId, partId);
    if (part.type !== "text" && part.type !== "reasoning") return;
    this.dirty.set(partId, { messageId, partId });
    this.emit({ type: "message.part.delta", sessionId: this.sessionId, messageId, partId, delta });
  }

  endText(messageId: string, partId: string): void {
    const part = this.part(messageId, partId);
    if (part.type === "reasoning" && part.endedAt === undefined)
      this.replacePart(messageId, { ...part, endedAt: Date.now() });
    else this.savePart(messageId, partId);
  }

  addToolCall(messageId: string, callId: string, tool: string, input: unknown): string {
    const existing = this.require(messageId).parts.find((p) => p.type === "tool" && p.callId === callId);
    if (existing) {
      if (input !== undefined && existing.type === "tool")
        this.replacePart(messageId, { ...existing, input });
      return existing.id;
    }
    return this.addPart(messageId, {
      id: newId("prt"),
      type: "tool",
      callId,
      tool,
      input: input ?? {},
      status: "pending",
    });
  }

  /** The complete arguments arrived (after streaming): update the pending tool part. */
  setToolInput(messageId: string, partId: string, input: unknown): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    this.replacePart(messageId, { ...part, input });
  }

  toolStarted(messageId: string, partId: string): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    this.emit({ type: "tool.started", sessionId: this.sessionId, messageId, partId, callId: part.callId });
    this.savePart(messageId, partId);
  }

  toolProgress(messageId: string, partId: string, stream: "stdout" | "stderr" | "info", text: string): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    this.dirty.set(partId, { messageId, partId });
    this.emit({ type: "tool.progress", sessionId: this.sessionId, messageId, partId, stream, text });
  }

  toolEnded(messageId: string, partId: string, outcome: ToolOutcome): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    this.emit({
      type: "tool.ended",
      sessionId: this.sessionId,
      messageId,
      partId,
      status: outcome.status,
      output: outcome.output,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    this.savePart(messageId, partId);
  }

  addError(messageId: string, failure: ProviderFailure): void {
    this.addPart(messageId, {
      id: newId("prt"),
      type: "error",
      code: failure.code,
      message: failure.message,
      retryable: failure.retryable,
    });
  }

  finishStep(messageId: string, status: "completed" | "stopped" | "error", usage: Usage | undefined): void {
    const message = this.require(messageId);
    for (const part of message.parts) if (this.dirty.has(part.id)) this.savePart(messageId, part.id);
    this.updateInfo(messageId, usage ? { status, usage } : { status });
    if (status === "error") this.failedAt.set(messageId, Date.now());
  }

  /** A new version of a message's info (status, usage) goes out as message.updated and is saved. */
  private updateInfo(messageId: string, change: Pick<MessageInfo, "status"> & Partial<MessageInfo>): void {
    const info = { ...this.require(messageId).info, ...change };
    this.emit({ type: "message.updated", sessionId: this.sessionId, message: info });
    this.save(() => this.repo.updateMessage(info));
  }

  retrying(attempt: number, delayMs: number, reason: string): void {
    this.emit({
      type: "turn.retrying",
      sessionId: this.sessionId,
      turnId: this.turnId,
      attempt,
      delayMs,
      reason,
    });
  }

  usage(usage: Usage): void {
    const messageId = this.headId ?? "";
    this.emit({ type: "usage.updated", sessionId: this.sessionId, turnId: this.turnId, messageId, usage });
  }

  message(messageId: string): Message {
    return this.require(messageId);
  }

  /** Mark every message still streaming with `status` (stop, crash, error) and save all parts. */
  settle(status: "stopped" | "interrupted" | "error"): void {
    for (const messageId of Object.keys(this.state.messages)) {
      for (const part of this.require(messageId).parts) {
        if (isUnfinishedTool(part)) {
          const reason = status === "stopped" ? TOOL_STOPPED_ERROR : "Interrupted.";
          this.replacePart(messageId, endUnfinishedTool(part, reason, Date.now()));
        }
      }
      if (this.require(messageId).info.status === "streaming") this.updateInfo(messageId, { status });
    }
    this.flush();
  }

  /** Save every part changed since its last save. */
  flush(): void {
    for (const { messageId, partId } of this.dirty.values()) this.savePart(messageId, partId);
  }

  close(): void {
    this.flush();
  }

  private savePart(messageId: string, partId: string): void {
    const parts = this.require(messageId).parts;
    const index = parts.findIndex((p) => p.id === partId);
    if (index >= 0) {
      const saved = this.save(() =>
        this.repo.savePart(this.sessionId, messageId, index, parts[index] as Part),
      );
      // Kept dirty when the save failed: a later flush tries again.
      if (!saved) return;
    }
    this.dirty.delete(partId);
  }

  /**
   * Run a write; false when it failed because of the storage (or after an earlier such failure, when
   * it fails for any reason: rows it depends on may be missing). Other failures throw.
   */
  private save(write: () => void): boolean {
    try {
      write();
      return true;
    } catch (error) {
      if (this.storageError === undefined && !isStorageFailure(error)) throw error;
      if (this.storageError === undefined) {
        this.storageError = error;
        this.onStorageFailure(error);
      }
      return false;
    }
  }

  /** A live view of one of this turn's messages: `info` and `parts` follow later events. */
  private require(messageId: string): Message {
    const { messages, parts } = this.state;
    if (!messages[messageId]) throw new Error(`Unknown message ${messageId} in turn ${this.turnId}`);
    parts[messageId] ??= [];
    const messageParts = parts[messageId];
    return {
      get info(): MessageInfo {
        return messages[messageId] as MessageInfo;
      },
      parts: messageParts,
    };
  }

  private part(messageId: string, partId: string): Part {
    if (!this.state.messages[messageId])
      throw new Error(`Unknown message ${messageId} in turn ${this.turnId}`);
    const part = this.state.parts[messageId]?.find((p) => p.id === partId);
    if (!part) throw new Error(`Unknown part ${partId}`);
    return part;
  }
}

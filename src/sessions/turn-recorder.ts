/**
 * Records a turn: the `TurnSink` the agent loop writes to. Every call updates the in-memory message,
 * emits its event (written to SQLite before delivery, see EventLog) and marks parts dirty.
 *
 * Contract: messages are inserted when created; parts are saved when created, at least every
 * FLUSH_MS while they change, and when they end; `close()` saves everything left. Together with the
 * event log this means a crash keeps the partial reply (events replay the last FLUSH_MS).
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
import type { EventLog } from "../store/event-log.ts";
import type { SessionRepository } from "./repository.ts";

export const FLUSH_MS = 250;

export class TurnRecorder implements TurnSink {
  private readonly messages = new Map<string, Message>();
  private readonly dirty = new Map<string, { messageId: string; partId: string }>();
  /** When each step that ended in error did (a retry's record of the attempts before it). */
  private readonly failedAt = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | undefined;
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
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
  }

  get head(): string | null {
    return this.headId;
  }

  /** Returns the stamped event: times that the reducer takes from `at` must be set from it. */
  private emit(draft: DraftEvent): ServerEvent {
    return this.events.append(draft);
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
    const message: Message = { info, parts };
    this.messages.set(info.id, message);
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
    return message;
  }

  /** The user's message that starts the turn (or a regenerate's parent is passed as `parentId`). */
  /** A user message; `plan`: it was sent in plan mode (kept on the message, see MessageInfo.plan). */
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
    this.setStatus(message, "completed");
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
    failed.info.supersededBy = id;
    this.save(() => this.repo.supersede(this.sessionId, retryOf, id));
    this.emit({ type: "message.updated", sessionId: this.sessionId, message: failed.info });
    return this.createMessage("assistant", "normal", [], model, failed.info.parentId, { id, attempts }).info
      .id;
  }

  private addPart(messageId: string, part: Part): string {
    const message = this.require(messageId);
    message.parts.push(part);
    this.save(() => this.repo.savePart(this.sessionId, messageId, message.parts.length - 1, part));
    this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId, part });
    return part.id;
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
    part.text += delta;
    this.dirty.set(partId, { messageId, partId });
    this.emit({ type: "message.part.delta", sessionId: this.sessionId, messageId, partId, delta });
  }

  endText(messageId: string, partId: string): void {
    const part = this.part(messageId, partId);
    if (part.type === "reasoning" && part.endedAt === undefined) {
      part.endedAt = Date.now();
      this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId, part });
    }
    this.savePart(messageId, partId);
  }

  addToolCall(messageId: string, callId: string, tool: string, input: unknown): string {
    const existing = this.require(messageId).parts.find((p) => p.type === "tool" && p.callId === callId);
    if (existing) {
      if (input !== undefined && existing.type === "tool") {
        existing.input = input;
        this.savePart(messageId, existing.id);
        this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId, part: existing });
      }
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
    part.input = input;
    this.savePart(messageId, partId);
    this.emit({ type: "message.part.updated", sessionId: this.sessionId, messageId, part });
  }

  toolStarted(messageId: string, partId: string): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    part.status = "running";
    // The reducer sets startedAt from the event's time; the stored part must say the same.
    const event = this.emit({
      type: "tool.started",
      sessionId: this.sessionId,
      messageId,
      partId,
      callId: part.callId,
    });
    part.startedAt = event.at;
    this.savePart(messageId, partId);
  }

  toolProgress(messageId: string, partId: string, stream: "stdout" | "stderr" | "info", text: string): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    const next = (part.progress ?? "") + text;
    part.progress = next.length > 64 * 1024 ? next.slice(-64 * 1024) : next;
    this.dirty.set(partId, { messageId, partId });
    this.emit({ type: "tool.progress", sessionId: this.sessionId, messageId, partId, stream, text });
  }

  toolEnded(messageId: string, partId: string, outcome: ToolOutcome): void {
    const part = this.part(messageId, partId);
    if (part.type !== "tool") return;
    part.status = outcome.status;
    part.output = outcome.output;
    part.error = outcome.error;
    part.progress = undefined;
    // As for tool.started: endedAt is the event's time, so the live and stored parts agree.
    const event = this.emit({
      type: "tool.ended",
      sessionId: this.sessionId,
      messageId,
      partId,
      status: outcome.status,
      output: outcome.output,
      error: outcome.error,
      durationMs: outcome.durationMs,
    });
    part.endedAt = event.at;
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
    if (usage) message.info.usage = usage;
    for (const part of message.parts) if (this.dirty.has(part.id)) this.savePart(messageId, part.id);
    this.setStatus(message, status);
    if (status === "error") this.failedAt.set(messageId, Date.now());
  }

  private setStatus(message: Message, status: MessageInfo["status"]): void {
    message.info.status = status;
    this.save(() => this.repo.updateMessage(message.info));
    this.emit({ type: "message.updated", sessionId: this.sessionId, message: message.info });
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
    for (const message of this.messages.values()) {
      for (const part of message.parts) {
        if (
          part.type === "tool" &&
          (part.status === "pending" || part.status === "running" || part.status === "awaiting-approval")
        ) {
          part.status = "error";
          part.error = status === "stopped" ? TOOL_STOPPED_ERROR : "Interrupted.";
          part.endedAt = Date.now();
          this.savePart(message.info.id, part.id);
          this.emit({
            type: "message.part.updated",
            sessionId: this.sessionId,
            messageId: message.info.id,
            part,
          });
        }
      }
      if (message.info.status === "streaming") this.setStatus(message, status);
    }
    this.flush();
  }

  flush(): void {
    for (const { messageId, partId } of this.dirty.values()) this.savePart(messageId, partId);
  }

  close(): void {
    this.flush();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private savePart(messageId: string, partId: string): void {
    const message = this.require(messageId);
    const index = message.parts.findIndex((p) => p.id === partId);
    if (index >= 0) {
      const saved = this.save(() =>
        this.repo.savePart(this.sessionId, messageId, index, message.parts[index] as Part),
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

  private require(messageId: string): Message {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`Unknown message ${messageId} in turn ${this.turnId}`);
    return message;
  }

  private part(messageId: string, partId: string): Part {
    const part = this.require(messageId).parts.find((p) => p.id === partId);
    if (!part) throw new Error(`Unknown part ${partId}`);
    return part;
  }
}

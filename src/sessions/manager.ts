/**
 * The sessions of the app: creates runners on demand, answers WebSocket commands and the sessions API,
 * broadcasts session summaries (sidebar), recovers turns a crash left running, and names sessions.
 */
import { NotFoundError, SubAgentChatReadOnlyError, ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import type { ShellJobs } from "../sandbox/shell-jobs.ts";
import type { ClientMessageOf, SessionCommands, SubmitOptions } from "../shared/client-messages.ts";
import type { LiveState, TodoItem } from "../shared/events.ts";
import type { Message } from "../shared/parts.ts";
import type { SessionModel, SessionSummary } from "../shared/session.ts";
import { continueInNewChat } from "./continue-chat.ts";
import { recoverInterruptedTurns } from "./crash-recovery.ts";
import { LiveSessions } from "./live-sessions.ts";
import { RunnerPool } from "./runner-pool.ts";
import { encodeCursor, parseCursor, type SessionRecord, summaryOf } from "./session-rows.ts";
import { type RunnerDeps, SessionRunner } from "./session-runner.ts";
import { SessionTitles } from "./session-titles.ts";
import { SubAgents } from "./sub-agents.ts";
import { preloadTurnCode } from "./turn-setup.ts";
import type { TurnKind } from "./turn-start.ts";

export type ManagerDeps = Omit<RunnerDeps, "onChange" | "onTurnEnded" | "subAgents">;

/** Deleted sessions can be restored (undo) for this long before they are purged for good. */
export const UNDO_WINDOW_MS = 10 * 60 * 1000;

export class SessionManager implements SessionCommands {
  /** Runners of sessions that hold something (see RunnerPool). */
  private readonly runners: RunnerPool;
  /** Whether the first chat already started loading what a turn needs (see `warmTurnPath`). */
  private warmed = false;
  private readonly deps: RunnerDeps;
  private readonly titles: SessionTitles;
  private readonly closing = new AbortController();
  private readonly liveSessions: LiveSessions;

  private readonly stopWriteFailures: () => void;

  constructor(deps: ManagerDeps) {
    this.liveSessions = new LiveSessions(deps.events);
    this.runners = new RunnerPool((sessionId) => {
      this.deps.repo.getSession(sessionId);
      return new SessionRunner(sessionId, this.deps);
    });
    this.titles = new SessionTitles(deps, this.closing.signal, (id) => this.emitUpdated(id));
    // Events that cannot be written (disk full ...) end every running turn with that error.
    this.stopWriteFailures = deps.events.onWriteFailure((error) => {
      for (const runner of this.runners.all()) runner.storageFailed(error);
    });
    this.deps = {
      ...deps,
      onChange: (id) => this.broadcast(id),
      onTurnEnded: (id, status, first) => this.titles.turnEnded(id, status, first),
      onSettled: (id) => this.runners.settled(id),
      subAgents: new SubAgents({
        repo: deps.repo,
        agents: deps.agents,
        events: deps.events,
        startChild: (childId, clientTurnId, task, link) =>
          this.runners.use(childId, (runner) =>
            runner.submit(clientTurnId, task, [], {}, { kind: "message" }, link),
          ),
        stopChild: (childId) => this.runners.find(childId)?.stop(),
        announce: (childId) => this.broadcast(childId),
      }),
    };
  }

  // ---- WebSocket commands -------------------------------------------------------------------------

  canSubscribe(sessionId: string): boolean {
    return this.deps.repo.findSession(sessionId) !== undefined;
  }

  /** What is live in the session as of its last event (sent to every subscriber after its backlog). */
  live(sessionId: string): LiveState {
    const record = this.deps.repo.findSession(sessionId);
    const todos = record ? (JSON.parse(record.todos) as TodoItem[]) : [];
    return { ...this.liveSessions.snapshot(sessionId), todos };
  }

  submit(message: ClientMessageOf<"submit">): void {
    this.refuseChild(message.sessionId);
    const text = message.text.trim();
    if (!text && !message.attachments?.length) throw new ValidationError("The message is empty.", "text");
    if (text === "/compact") {
      this.compactNow(message.sessionId, message.clientTurnId);
      return;
    }
    this.runners.use(message.sessionId, (runner) =>
      runner.submit(message.clientTurnId, message.text, message.attachments ?? [], message.options ?? {}),
    );
  }

  stop(message: ClientMessageOf<"stop">): void {
    this.runners.find(message.sessionId)?.stop();
  }

  unqueue(message: ClientMessageOf<"unqueue">): void {
    this.runners.use(message.sessionId, (runner) => runner.unqueue(message.clientTurnId));
  }

  inject(message: ClientMessageOf<"inject">): void {
    this.refuseChild(message.sessionId);
    this.runners.use(message.sessionId, (runner) => runner.inject(message.text));
  }

  /** A sub-agent's requests are held by its parent's turn: an answer its own chat does not hold goes up. */
  approve(message: ClientMessageOf<"approve">): void {
    try {
      this.runners.use(message.sessionId, (runner) =>
        runner.approve(message.approvalId, message.decision, message.reason, message.scope),
      );
    } catch (error) {
      const parent = this.parentHolding(error, message.sessionId);
      if (!parent) throw error;
      this.approve({ ...message, sessionId: parent });
    }
  }

  answer(message: ClientMessageOf<"answer">): void {
    try {
      this.runners.use(message.sessionId, (runner) =>
        runner.answer(message.questionId, message.cancelled ? null : (message.answers ?? {})),
      );
    } catch (error) {
      const parent = this.parentHolding(error, message.sessionId);
      if (!parent) throw error;
      this.answer({ ...message, sessionId: parent });
    }
  }

  /** The parent session to ask when a sub-agent's chat does not hold a request (NotFoundError). */
  private parentHolding(error: unknown, sessionId: string): string | undefined {
    if (!(error instanceof Error) || error.name !== "NotFoundError") return undefined;
    return this.deps.repo.findSession(sessionId)?.delegation?.parentSessionId;
  }

  // ---- Sessions API ---------------------------------------------------------------------------------

  /** A new session; a non-blank `title` is the user's: kept, and no title is generated for it. */
  create(agentId?: string, title = ""): SessionSummary {
    const agent = agentId ? this.deps.agents.get(agentId) : this.deps.agents.defaultAgent();
    const given = title.trim().slice(0, 200);
    const id = newId("ses");
    this.deps.repo.createSession(id, agent.id, given);
    if (given) this.deps.repo.update(id, { titleSet: true });
    this.broadcast(id);
    this.warmTurnPath();
    return this.get(id);
  }

  /** The first chat created or opened preloads what its first turn needs (see `preloadTurnCode`). */
  private warmTurnPath(): void {
    if (this.warmed) return;
    this.warmed = true;
    preloadTurnCode(this.deps);
  }

  /** A page of sessions; `nextCursor` (opaque) asks for the next one, absent on the last page. */
  list(options: { limit: number; cursor?: string; agentId?: string }): {
    sessions: SessionSummary[];
    nextCursor?: string;
  } {
    const records = this.deps.repo.listSessions({
      limit: options.limit,
      after: options.cursor ? parseCursor(options.cursor) : undefined,
      agentId: options.agentId,
    });
    const last = records.at(-1);
    return {
      sessions: records.map((record) => this.summary(record)),
      ...(last && records.length === options.limit ? { nextCursor: encodeCursor(last) } : {}),
    };
  }

  get(sessionId: string): SessionSummary {
    return this.summary(this.deps.repo.getSession(sessionId));
  }

  /** A page of the active branch, oldest first, plus the seq to subscribe after. */
  messages(
    sessionId: string,
    options: { limit: number; before?: string },
  ): { messages: Message[]; lastSeq: number; hasMore: boolean } {
    this.warmTurnPath();
    // Parts and seq are read in one synchronous block, after the running turn saved its latest text.
    this.runners.find(sessionId)?.flushParts();
    const lastSeq = this.deps.events.lastSeq(sessionId);
    const page = this.deps.repo.activePath(sessionId, {
      limit: options.limit + 1,
      beforeMessageId: options.before,
    });
    const hasMore = page.length > options.limit;
    return { messages: hasMore ? page.slice(1) : page, lastSeq, hasMore };
  }

  update(
    sessionId: string,
    fields: { title?: string; pinned?: boolean; model?: SessionModel | null },
  ): SessionSummary {
    this.deps.repo.getSession(sessionId);
    if (fields.model && !this.deps.providers.find(fields.model.providerId))
      throw new ValidationError("That provider does not exist (any more). Pick another model.", "model");
    if (fields.title !== undefined) {
      const title = fields.title.trim();
      if (!title) throw new ValidationError("The title cannot be empty.", "title");
      this.deps.repo.update(sessionId, { title: title.slice(0, 200), titleSet: true });
    }
    if (fields.pinned !== undefined) this.deps.repo.update(sessionId, { pinned: fields.pinned });
    if (fields.model !== undefined) this.deps.repo.update(sessionId, { model: fields.model });
    this.emitUpdated(sessionId);
    return this.get(sessionId);
  }

  /** Soft delete: restorable with `restore` for UNDO_WINDOW_MS. Stops a running turn. */
  async delete(sessionId: string): Promise<void> {
    this.deps.repo.getSession(sessionId);
    await this.runners.find(sessionId)?.dispose();
    this.runners.remove(sessionId);
    this.deps.repo.softDelete(sessionId);
    this.deps.events.append({ type: "session.removed", sessionId });
  }

  /**
   * The user left this chat (the UI says so when it navigates away). An untouched session (no message or
   * turn ever, no title, not pinned, idle) is removed like a delete (session.removed to every client),
   * so empty "New chat"s do not pile up in the sidebar. Returns whether it was removed; an unknown or
   * already removed session is not an error.
   */
  async leave(sessionId: string): Promise<boolean> {
    if (this.runners.find(sessionId)?.running || !this.deps.repo.isUntouched(sessionId)) return false;
    await this.delete(sessionId);
    return true;
  }

  /**
   * At start-up: untouched sessions left by the last run are removed, and sessions deleted longer ago
   * than UNDO_WINDOW_MS are purged. Returns how many of each.
   */
  tidy(now = Date.now()): { untouched: number; purged: number } {
    const untouched = this.deps.repo.removeUntouched();
    const purged = this.deps.repo.purgeDeleted(now - UNDO_WINDOW_MS);
    return { untouched, purged };
  }

  restore(sessionId: string): SessionSummary {
    if (!this.deps.repo.findSession(sessionId, true)) throw new NotFoundError("Session", sessionId);
    this.deps.repo.restore(sessionId);
    this.broadcast(sessionId);
    return this.get(sessionId);
  }

  /**
   * Edit an earlier user message: a new version of it (a sibling) and a new turn from there. The new
   * version keeps the original's plan mode unless `plan` says otherwise.
   */
  edit(sessionId: string, messageId: string, text: string, clientTurnId: string, plan?: boolean): void {
    const message = this.deps.repo.message(messageId);
    if (!message || message.sessionId !== sessionId || message.role !== "user")
      throw new NotFoundError("User message", messageId);
    if (!text.trim()) throw new ValidationError("The message is empty.", "text");
    this.refuseChild(sessionId);
    this.queue(
      sessionId,
      clientTurnId,
      text,
      { kind: "edit", replaceMessageId: messageId },
      {
        plan: plan ?? !!message.plan,
      },
    );
  }

  /** Regenerate the answer to a user message (in plan mode if it was sent so): new assistant steps beside the old ones. */
  regenerate(sessionId: string, userMessageId: string, clientTurnId: string): void {
    const message = this.deps.repo.message(userMessageId);
    if (!message || message.sessionId !== sessionId || message.role !== "user")
      throw new NotFoundError("User message", userMessageId);
    this.refuseChild(sessionId);
    this.queue(sessionId, clientTurnId, "", { kind: "regenerate", userMessageId }, { plan: !!message.plan });
  }

  /** "Continue in a new chat": a new session seeded with a summary of this one (continue-chat.ts). */
  async continueInNewChat(sessionId: string): Promise<SessionSummary> {
    const id = await continueInNewChat(this.deps, sessionId, this.closing.signal);
    this.broadcast(id);
    return this.get(id);
  }

  /** Show another version: the newest branch under `messageId` becomes the active one. */
  switchVersion(sessionId: string, messageId: string): void {
    const message = this.deps.repo.message(messageId);
    if (!message || message.sessionId !== sessionId) throw new NotFoundError("Message", messageId);
    if (this.runners.find(sessionId)?.running)
      throw new ValidationError("Wait for the running turn to finish (or stop it) first.");
    const head = this.deps.repo.newestLeafUnder(messageId);
    this.deps.repo.setHead(sessionId, head);
    this.deps.events.append({ type: "session.head.changed", sessionId, headId: head });
  }

  /**
   * The session's background shell jobs, or undefined when it has none (no runner: nothing ran since
   * Sage started, or its runner was idle and forgotten). `NotFoundError` for an unknown or deleted session.
   */
  shellJobs(sessionId: string): ShellJobs | undefined {
    this.deps.repo.getSession(sessionId);
    return this.runners.find(sessionId)?.shellJobs;
  }

  /** How many sessions have a turn running now (maintenance waits for none). */
  runningCount(): number {
    return this.runners.runningCount();
  }

  isRunning(sessionId: string): boolean {
    return this.runners.find(sessionId)?.running ?? false;
  }

  // ---- Internals ------------------------------------------------------------------------------------

  /**
   * `SubAgentChatReadOnlyError` for a sub-agent's chat: only its parent's delegate call starts turns
   * there (SubAgents.startChild goes to the runner directly), so the user's messages are refused.
   */
  private refuseChild(sessionId: string): void {
    const parent = this.deps.repo.findSession(sessionId)?.delegation?.parentSessionId;
    if (parent) throw new SubAgentChatReadOnlyError(sessionId, parent);
  }

  private queue(
    sessionId: string,
    clientTurnId: string,
    text: string,
    start: TurnKind,
    options: SubmitOptions = {},
  ): void {
    this.runners.use(sessionId, (runner) => runner.submit(clientTurnId, text, [], options, start));
  }

  private compactNow(sessionId: string, clientTurnId: string): void {
    this.runners.use(sessionId, (runner) => runner.submit(clientTurnId, "", [], {}, { kind: "compact" }));
  }

  /** How many runners are kept (tests and diagnostics). */
  get runnerCount(): number {
    return this.runners.size;
  }

  private summary(record: SessionRecord): SessionSummary {
    const summary = summaryOf(record, this.deps.events.lastSeq(record.id));
    if (this.runners.find(record.id)?.running && summary.status === "idle") summary.status = "running";
    return summary;
  }

  private emitUpdated(sessionId: string): void {
    const session = this.get(sessionId);
    this.deps.events.append({ type: "session.updated", sessionId, session });
    this.broadcast(sessionId);
  }

  /** Tell every connected client (sidebar) about the session's current state. */
  broadcast(sessionId: string): void {
    const record = this.deps.repo.findSession(sessionId);
    if (record)
      this.deps.events.append({ type: "session.summary", sessionId, session: this.summary(record) });
  }

  /**
   * At start-up: turns left running or queued by a crash are marked interrupted, what the user saw kept
   * (src/sessions/crash-recovery.ts). Returns how many.
   */
  recover(): number {
    return recoverInterruptedTurns(this.deps);
  }

  /** Stop every turn (app quit): running turns end as stopped, their partial replies saved. */
  async shutdown(): Promise<void> {
    this.closing.abort();
    await Promise.all(this.runners.all().map((runner) => runner.dispose()));
    await this.titles.settled();
    const deadline = Date.now() + 3000;
    while (this.runners.runningCount() > 0 && Date.now() < deadline) await Bun.sleep(20);
    this.liveSessions.dispose();
    this.stopWriteFailures();
  }
}

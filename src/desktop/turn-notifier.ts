/**
 * Which session events become a desktop notification. Contract:
 * - only while no Sage page is focused (WindowFocus), and only for the kinds switched on in Settings:
 *   a turn that completed ("turnEnded"), a turn that failed ("turnFailed"), a turn waiting for an
 *   approval or an answer ("needsInput"); stopped or interrupted turns are the user's own doing;
 * - one notification per event; a click on it calls `open(sessionId)` (show the window, open the chat);
 * - failures to notify are logged once and never reach the turn.
 */
import type { Logger } from "../core/logger.ts";
import type { ServerEvent } from "../shared/events.ts";
import type { UserSettings } from "../shared/settings.ts";
import type { LoggedEvent } from "../store/event-log.ts";
import type { DesktopNotification } from "./notifications.ts";
import type { WindowFocus } from "./window-focus.ts";

export type NotificationKind = "turnEnded" | "turnFailed" | "needsInput";

/** The parts of the notification service the notifier uses (DesktopNotifications implements it). */
export interface NotificationSink {
  notify(notification: DesktopNotification): Promise<number>;
  onActivated(listener: (id: number) => void): () => void;
  onClosed(listener: (id: number) => void): () => void;
}

export interface TurnNotifierDeps {
  subscribe(listener: (events: LoggedEvent[]) => void): () => void;
  settings(): UserSettings;
  /** The chat's title, "" when it has none yet. */
  sessionTitle(sessionId: string): string;
  /**
   * Whether the session is a sub-agent's chat: never notified on its own (its requests are asked in its
   * parent's chat, which notifies; its end is the parent's business).
   */
  isSubAgentChat?(sessionId: string): boolean;
  sink: NotificationSink;
  focus: WindowFocus;
  open(sessionId: string): void;
  logger: Logger;
  /** The locale used when the language setting is "system" (from LANG). */
  systemLanguage: "en" | "zh";
  icon: string;
}

const SETTING: Record<NotificationKind, "notifyTurnEnded" | "notifyTurnFailed" | "notifyNeedsInput"> = {
  turnEnded: "notifyTurnEnded",
  turnFailed: "notifyTurnFailed",
  needsInput: "notifyNeedsInput",
};

const TEXT = {
  en: {
    untitled: "New chat",
    turnEnded: "Sage has finished.",
    turnFailed: "The turn failed",
    approval: "Waiting for your approval",
    question: "Sage has a question for you.",
    limit: "Sage is waiting for your go-ahead to continue.",
    plan: "Sage has a plan for you to review.",
  },
  zh: {
    untitled: "新对话",
    turnEnded: "Sage 已完成。",
    turnFailed: "本轮运行失败",
    approval: "等待你的批准",
    question: "Sage 有个问题要问你。",
    limit: "Sage 在等你确认是否继续。",
    plan: "Sage 提出了一个计划，等你审阅。",
  },
} as const;

export class TurnNotifier {
  /** Notification id -> the session it opens. */
  private readonly pending = new Map<number, string>();
  private readonly unsubscribe: (() => void)[] = [];
  private warned = false;

  constructor(private readonly deps: TurnNotifierDeps) {
    this.unsubscribe.push(
      deps.subscribe((events) => {
        for (const { event } of events) this.consider(event);
      }),
      deps.sink.onActivated((id) => {
        const sessionId = this.pending.get(id);
        if (!sessionId) return;
        this.pending.delete(id);
        deps.logger.info(`notification ${id} clicked: opening session ${sessionId}`);
        deps.open(sessionId);
      }),
      deps.sink.onClosed((id) => void this.pending.delete(id)),
    );
  }

  dispose(): void {
    for (const stop of this.unsubscribe) stop();
  }

  private consider(event: ServerEvent): void {
    const decided = this.describe(event);
    if (!decided || this.deps.isSubAgentChat?.(event.sessionId)) return;
    const settings = this.deps.settings();
    if (!settings[SETTING[decided.kind]] || this.deps.focus.focused) return;
    const title = this.deps.sessionTitle(event.sessionId) || this.text().untitled;
    this.deps.sink
      .notify({ title, body: decided.body, icon: this.deps.icon })
      .then((id) => {
        this.pending.set(id, event.sessionId);
        this.deps.logger.info(`notification ${id} sent (${decided.kind}) for session ${event.sessionId}`);
      })
      .catch((error: unknown) => {
        if (this.warned) return;
        this.warned = true;
        this.deps.logger.warn(`desktop notification failed: ${(error as Error).message ?? String(error)}`);
      });
  }

  private describe(event: ServerEvent): { kind: NotificationKind; body: string } | undefined {
    const text = this.text();
    switch (event.type) {
      case "turn.ended":
        if (event.status === "completed") return { kind: "turnEnded", body: text.turnEnded };
        if (event.status === "error")
          return {
            kind: "turnFailed",
            body: event.reason ? `${text.turnFailed}: ${event.reason}` : text.turnFailed,
          };
        return undefined;
      case "approval.requested":
        return { kind: "needsInput", body: `${text.approval}: ${event.title}` };
      case "question.asked":
        return {
          kind: "needsInput",
          body:
            event.purpose === "ask_user" ? text.question : event.purpose === "plan" ? text.plan : text.limit,
        };
      default:
        return undefined;
    }
  }

  private text() {
    const language = this.deps.settings().language;
    return TEXT[language === "system" ? this.deps.systemLanguage : language];
  }
}

/**
 * Sage's tray icon wired to the app: its menu acts through the shell (show the window, quit) and the
 * pages (open a chat), and it follows the sessions' `session.summary` broadcasts to list the chats that
 * run or wait (its icon badged while one runs or waits); it pauses and resumes scheduled work
 * (src/schedule/). Window mode only: in serve mode there is no window for "Open Sage" to show.
 */
import type { MessageBus } from "dbus-next";
import type { Logger } from "../core/logger.ts";
import { installTrayIcons, userIconDir } from "../desktop/desktop-icon.ts";
import type { ShellControl } from "../desktop/shell-control.ts";
import { Tray, type TrayTexts } from "../desktop/tray.ts";
import type { AppContext } from "./context.ts";

const TEXTS: Record<"en" | "zh", TrayTexts> = {
  en: {
    open: "Open Sage",
    newChat: "New chat",
    quit: "Quit",
    pauseSchedule: "Pause scheduled work",
    resumeSchedule: "Resume scheduled work",
    untitled: "New chat",
    idle: "Nothing running",
    summary: (running, waiting) =>
      [running > 0 ? `${running} running` : "", waiting > 0 ? `${waiting} waiting for you` : ""]
        .filter(Boolean)
        .join(", "),
  },
  zh: {
    open: "打开 Sage",
    newChat: "新对话",
    quit: "退出",
    pauseSchedule: "暂停定时工作",
    resumeSchedule: "恢复定时工作",
    untitled: "新对话",
    idle: "没有正在运行的任务",
    summary: (running, waiting) =>
      [running > 0 ? `${running} 个正在运行` : "", waiting > 0 ? `${waiting} 个在等你` : ""]
        .filter(Boolean)
        .join("，"),
  },
};

export async function startSageTray(options: {
  app: AppContext;
  shell: ShellControl;
  bus: MessageBus;
  env: Record<string, string | undefined>;
  logger: Logger;
  language: "en" | "zh";
  onRegistered(registered: boolean): void;
}): Promise<{ stop(): void }> {
  const { app, shell, logger } = options;
  const openChat = (sessionId: string) => {
    shell.activate();
    app.events.append({ type: "app.open-session", sessionId });
  };
  const tray = await Tray.start({
    bus: options.bus,
    texts: TEXTS[options.language],
    icon: { icons: installTrayIcons(options.env), themePath: userIconDir(options.env) },
    actions: {
      open: () => shell.activate(),
      newChat: () => {
        const session = app.sessions.create();
        logger.info(`tray: new chat ${session.id}`);
        openChat(session.id);
      },
      openChat: (sessionId) => {
        logger.info(`tray: opening session ${sessionId}`);
        openChat(sessionId);
      },
      quit: () => {
        logger.info("tray: quit");
        shell.quit();
      },
      schedulePaused: () => app.scheduler.paused,
      setSchedulePaused: (paused) => {
        logger.info(`tray: ${paused ? "pause" : "resume"} scheduled work`);
        app.scheduler.setPaused(paused);
      },
    },
    onRegistered: (registered) => {
      logger.info(registered ? "tray icon registered with the tray host" : "no tray host on this desktop");
      options.onRegistered(registered);
    },
  });
  const unsubscribe = app.events.subscribe((events) => {
    for (const { event } of events) {
      if (event.type === "session.summary")
        tray.update(event.sessionId, event.session.title, event.session.status);
      else if (event.type === "session.removed") tray.remove(event.sessionId);
    }
  });
  const stopSchedule = app.scheduler.onPausedChange(() => tray.refreshMenu());
  return {
    stop() {
      stopSchedule();
      unsubscribe();
      tray.stop();
    },
  };
}

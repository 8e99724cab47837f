/** The app frame: sidebar, the routed page, dialogs and toasts, global shortcuts. */
import {
  createEffect,
  createMemo,
  createSignal,
  lazy,
  Match,
  onCleanup,
  onMount,
  Show,
  Switch,
} from "solid-js";
import { offerDesktopEntry } from "./actions/desktop-entry-offer.ts";
import { ChatPage } from "./components/chat/chat-page.tsx";
import { ClosePrompt } from "./components/close-prompt.tsx";
import { ConnectionLost } from "./components/connection-lost.tsx";
import { NotFound } from "./components/layout/not-found.tsx";
import { Sidebar, startNewChat } from "./components/layout/sidebar.tsx";
import { startSettingsSync } from "./components/settings/settings-sync.ts";
import { StorageNotices } from "./components/storage-notices.tsx";
import { Toasts } from "./components/toasts.tsx";
import { startKeyCapture, stopKeyCapture } from "./lib/key-capture.ts";
import { navigate, parseRoute, path } from "./lib/router.ts";
import { loadAgents } from "./state/agents.ts";
import { socket } from "./state/connection.ts";
import { offerDraft } from "./state/drafts.ts";
import { drawer } from "./state/drawer.ts";
import { loadSessions } from "./state/sessions.ts";

// Pages other than the chat, and the dialogs, load on first use: the first screen only pays for what it
// shows.
const AboutDialog = lazy(() =>
  import("./components/about-dialog.tsx").then((m) => ({ default: m.AboutDialog })),
);
const ShortcutsDialog = lazy(() =>
  import("./components/shortcuts-dialog.tsx").then((m) => ({ default: m.ShortcutsDialog })),
);
const CommandPalette = lazy(() =>
  import("./components/command-palette.tsx").then((m) => ({ default: m.CommandPalette })),
);
const SettingsPage = lazy(() =>
  import("./pages/settings-page.tsx").then((m) => ({ default: m.SettingsPage })),
);
const SetupPage = lazy(() => import("./pages/setup-page.tsx").then((m) => ({ default: m.SetupPage })));
const SkillsPage = lazy(() => import("./pages/skills-page.tsx").then((m) => ({ default: m.SkillsPage })));
const TasksPage = lazy(() => import("./pages/tasks-page.tsx").then((m) => ({ default: m.TasksPage })));
const ToolsPage = lazy(() => import("./pages/tools-page.tsx").then((m) => ({ default: m.ToolsPage })));

export function App() {
  const route = createMemo(() => parseRoute(path()));
  // A draft in the address (a sage://new?prompt= link started Sage) goes to the chat's message box and
  // leaves the address, so a reload does not put it there again.
  createEffect(() => {
    const current = route();
    if (current.page !== "session" || current.draft === undefined) return;
    offerDraft(current.sessionId, current.draft);
    navigate(`/s/${encodeURIComponent(current.sessionId)}`, { replace: true });
  });
  const [aboutOpen, setAboutOpen] = createSignal(false);
  const [helpOpen, setHelpOpen] = createSignal(false);
  const [paletteOpen, setPaletteOpenSignal] = createSignal(false);
  const setPaletteOpen = (open: boolean) => {
    if (!open) stopKeyCapture();
    setPaletteOpenSignal(open);
  };
  const openPalette = () => {
    if (paletteOpen()) return;
    // Keys typed before the palette's field has the focus (its code may still be loading) wait for it
    // instead of going to the message box; see key-capture.ts.
    startKeyCapture({
      accepts: (target) => target instanceof HTMLElement && target.hasAttribute("data-palette-input"),
      onCancel: () => setPaletteOpen(false),
    });
    setPaletteOpen(true);
  };

  const onKey = (event: KeyboardEvent) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === "n") {
      event.preventDefault();
      void startNewChat();
    } else if (mod && event.key.toLowerCase() === "k") {
      event.preventDefault();
      openPalette();
    } else if (event.key === "?" && !isTyping(event)) {
      event.preventDefault();
      setHelpOpen(true);
    }
  };

  onMount(() => {
    socket.connect();
    void loadSessions();
    void loadAgents();
    // A start on "/" may be a first run, which goes on to /setup: fetch that page's code alongside the
    // setup check instead of after it. Opening a chat does not pay for it.
    if (route().page === "home" || route().page === "setup") void import("./pages/setup-page.tsx");
    void startSettingsSync();
    setTimeout(() => void offerDesktopEntry(), 1500);
    window.addEventListener("keydown", onKey);
    // The palette's code once the first screen is done, so the first Ctrl+K opens at once.
    setTimeout(() => void import("./components/command-palette.tsx"), 2000);
  });
  onCleanup(() => {
    socket.close();
    window.removeEventListener("keydown", onKey);
    stopKeyCapture();
  });

  const currentSessionId = () => {
    const r = route();
    return r.page === "session" ? r.sessionId : undefined;
  };

  return (
    <div class="h-full flex bg-bg text-fg">
      <Sidebar
        currentSessionId={currentSessionId()}
        page={route().page}
        onAbout={() => setAboutOpen(true)}
        onHelp={() => setHelpOpen(true)}
      />
      <main class="flex-1 min-w-0 flex flex-col" id="main" inert={drawer.open() || undefined}>
        <ConnectionLost state={socket.state} onRetry={() => socket.retryNow()} />
        <StorageNotices />
        <Switch fallback={<NotFound />}>
          <Match when={route().page === "home"}>
            <ChatPage />
          </Match>
          <Match when={route().page === "session" && route()}>
            {(r) => {
              // Read through the accessor: this callback runs once while routes stay on a session, so a
              // value copied here would keep showing the first chat after a switch to another one.
              const session = () => r() as Extract<ReturnType<typeof parseRoute>, { page: "session" }>;
              return <ChatPage sessionId={session().sessionId} focusMessageId={session().messageId} />;
            }}
          </Match>
          <Match when={route().page === "settings" && route()}>
            {(r) => <SettingsPage section={(r() as { section?: string }).section} />}
          </Match>
          <Match when={route().page === "skills" && route()}>
            {(r) => <SkillsPage section={(r() as { name?: string }).name} />}
          </Match>
          <Match when={route().page === "tools" && route()}>
            {(r) => <ToolsPage section={(r() as { name?: string }).name} />}
          </Match>
          <Match when={route().page === "tasks" && route()}>
            {(r) => <TasksPage taskId={(r() as { id?: string }).id} />}
          </Match>
          <Match when={route().page === "setup"}>
            <SetupPage />
          </Match>
        </Switch>
      </main>
      <Show when={aboutOpen()}>
        <AboutDialog open={aboutOpen()} onOpenChange={setAboutOpen} />
      </Show>
      <Show when={helpOpen()}>
        <ShortcutsDialog open={helpOpen()} onOpenChange={setHelpOpen} />
      </Show>
      <Show when={paletteOpen()}>
        <CommandPalette open={paletteOpen()} onOpenChange={setPaletteOpen} onHelp={() => setHelpOpen(true)} />
      </Show>
      <ClosePrompt />
      <Toasts />
    </div>
  );
}

function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return (
    !!target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)
  );
}

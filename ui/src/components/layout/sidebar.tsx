/**
 * The sidebar: new chat, search, sessions grouped by date with running indicators and a menu each
 * (rename, pin, delete with undo), the agent switcher, links to Skills / Tools / Settings, connection
 * state and About.
 */
import { createEffect, createMemo, For, on, Show } from "solid-js";
import type { SessionSummary } from "../../../../src/shared/session.ts";
import { t } from "../../i18n/index.ts";
import { linkHandler, navigate } from "../../lib/router.ts";
import { agents, selectAgent } from "../../state/agents.ts";
import { socket } from "../../state/connection.ts";
import { closeDrawer, drawer } from "../../state/drawer.ts";
import {
  createSession,
  dateGroup,
  loadMoreSessions,
  looksUntouched,
  sessions,
  sortedSessions,
} from "../../state/sessions.ts";
import { notifyError } from "../../state/toasts.ts";
import { ConnectionStatus } from "../connection-status.tsx";
import { McpIndicator } from "../mcp/mcp-indicator.tsx";
import { ThemeToggle } from "../theme-toggle.tsx";
import { SearchBox } from "./search-box.tsx";
import { SessionRow } from "./session-row.tsx";

const GROUPS = ["pinned", "today", "yesterday", "week", "month", "older"] as const;

/** The New chat on its way, so a second press (or Ctrl+N) meanwhile does not make a second one. */
let creating: Promise<void> | undefined;

/**
 * Open a fresh chat; an untouched empty one for the same agent is reused instead of piling up (and one
 * the user leaves untouched is removed: see leaveSession).
 */
export function startNewChat(): Promise<void> {
  const empty = sortedSessions().find(
    (s) => looksUntouched(s) && (!agents.currentId || s.agentId === agents.currentId),
  );
  if (empty) {
    navigate(`/s/${empty.id}`);
    return Promise.resolve();
  }
  if (!creating) {
    creating = createSession(agents.currentId)
      .then((session) => {
        navigate(`/s/${session.id}`);
      })
      .catch((error: Error) => {
        notifyError(error.message);
      })
      .finally(() => {
        creating = undefined;
      });
  }
  return creating;
}

export function Sidebar(props: { currentSessionId?: string; page: string; onAbout(): void; onHelp(): void }) {
  let aside!: HTMLElement;
  // Opened as a drawer: the focus moves in (the first control, New chat).
  createEffect(
    on(drawer.open, (open) => {
      if (open) queueMicrotask(() => focusables(aside)[0]?.focus());
    }),
  );
  const onKeyDown = (event: KeyboardEvent) => {
    if (!drawer.open()) return;
    if (event.key === "Tab") keepFocusIn(aside, event);
    if (event.key !== "Escape") return;
    // Escape first closes what is open inside (a chat's menu, a search); the next one the drawer.
    const target = event.target as HTMLElement;
    if (target.closest('[role="menu"]') || (target instanceof HTMLInputElement && target.value)) return;
    event.stopPropagation();
    closeDrawer();
  };
  const grouped = createMemo(() => {
    const groups = new Map<string, SessionSummary[]>();
    for (const session of sortedSessions()) {
      const group = dateGroup(session);
      groups.set(group, [...(groups.get(group) ?? []), session]);
    }
    return GROUPS.filter((g) => groups.has(g)).map((g) => ({
      group: g,
      sessions: groups.get(g) as SessionSummary[],
    }));
  });

  // Wide: a column beside the page. Narrow: not shown, or (open) a drawer over the page.
  const placement = () => {
    if (!drawer.narrow()) return "flex";
    return drawer.open() ? "flex fixed inset-y-0 left-0 z-40 max-w-[85vw] shadow-2xl" : "hidden";
  };
  return (
    <>
      <Show when={drawer.open()}>
        <div
          class="fixed inset-0 z-30 bg-black/40"
          aria-hidden="true"
          onClick={() => closeDrawer()}
          data-testid="drawer-backdrop"
        />
      </Show>
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-modal is set only while the role is "dialog" (the open drawer) */}
      <aside
        id="sidebar"
        ref={aside}
        class={`w-68 shrink-0 border-r border-line bg-panel flex-col min-h-0 ${placement()}`}
        role={drawer.open() ? "dialog" : undefined}
        aria-modal={drawer.open() ? "true" : undefined}
        aria-label={t("sidebar.sessions")}
        onKeyDown={onKeyDown}
        data-testid="sidebar"
        data-drawer={drawer.narrow() ? (drawer.open() ? "open" : "closed") : undefined}
      >
        <div class="flex items-center justify-between px-3 h-12 border-b border-line">
          <a
            href="/"
            onClick={linkHandler("/")}
            class="font-semibold text-fg no-underline flex items-center gap-2"
          >
            <img src="/favicon.svg" alt="" class="w-5 h-5" />
            {t("app.name")}
          </a>
          <div class="flex items-center">
            <ThemeToggle />
            <Show when={drawer.open()}>
              <button
                type="button"
                class="icon-btn"
                aria-label={t("nav.closeMenu")}
                title={t("nav.closeMenu")}
                onClick={() => closeDrawer()}
                data-testid="drawer-close"
              >
                ×
              </button>
            </Show>
          </div>
        </div>
        <div class="p-3 flex flex-col gap-2">
          <button
            type="button"
            class="btn-primary w-full"
            onClick={() => void startNewChat()}
            data-testid="new-chat"
            title="Ctrl+N"
          >
            + {t("sidebar.newChat")}
          </button>
          <Show when={agents.list.length > 1}>
            <label class="text-xs text-muted flex items-center gap-2">
              {t("sidebar.agent")}
              <select
                class="input py-1 text-xs"
                value={agents.currentId}
                onChange={(e) => selectAgent(e.currentTarget.value)}
                data-testid="agent-switcher"
              >
                <For each={agents.list}>
                  {(agent) => (
                    <option value={agent.id}>{`${agent.config.emoji} ${agent.config.name}`}</option>
                  )}
                </For>
              </select>
            </label>
          </Show>
          <SearchBox />
        </div>
        <nav
          class="flex-1 overflow-y-auto px-2 pb-2 min-h-0"
          aria-label={t("sidebar.sessions")}
          data-testid="session-list"
          onScroll={(event) => {
            const list = event.currentTarget;
            if (list.scrollTop + list.clientHeight > list.scrollHeight - 300) void loadMoreSessions();
          }}
        >
          <Show when={sessions.loaded && sortedSessions().length === 0}>
            <p class="px-2 text-sm text-muted">{t("sidebar.empty")}</p>
          </Show>
          <For each={grouped()}>
            {(group) => (
              <section class="mb-2">
                <h2 class="px-2 py-1 text-[11px] uppercase tracking-wide text-muted font-semibold m-0">
                  {t(`sidebar.group.${group.group}`)}
                </h2>
                <ul class="list-none m-0 p-0">
                  <For each={group.sessions}>
                    {(session) => (
                      <SessionRow session={session} active={session.id === props.currentSessionId} />
                    )}
                  </For>
                </ul>
              </section>
            )}
          </For>
          <Show when={sessions.loadingMore}>
            <p class="px-2 text-xs text-muted" role="status">
              {t("sidebar.loadingMore")}
            </p>
          </Show>
        </nav>
        <div class="border-t border-line px-2 py-2 flex flex-col gap-1 text-sm">
          <NavLink href="/skills" label={t("nav.skills")} active={props.page === "skills"} />
          <NavLink href="/tools" label={t("nav.tools")} active={props.page === "tools"} />
          <NavLink href="/tasks" label={t("nav.tasks")} active={props.page === "tasks"} />
          <NavLink href="/settings" label={t("nav.settings")} active={props.page === "settings"} />
          <McpIndicator />
        </div>
        <div class="flex items-center justify-between px-3 h-10 border-t border-line">
          <ConnectionStatus state={socket.state} />
          <div class="flex items-center">
            <button
              type="button"
              class="icon-btn text-xs"
              onClick={props.onHelp}
              title={t("nav.help")}
              aria-label={t("nav.help")}
            >
              ?
            </button>
            <button
              type="button"
              class="btn-ghost text-xs"
              onClick={props.onAbout}
              data-testid="about-button"
            >
              {t("nav.about")}
            </button>
          </div>
        </div>
      </aside>
    </>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, [tabindex]:not([tabindex="-1"])';

/** The controls a Tab can reach inside `container`, in order (hidden ones left out). */
function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.getClientRects().length > 0,
  );
}

/** Tab and Shift+Tab wrap around inside the open drawer (a modal dialog). */
function keepFocusIn(container: HTMLElement, event: KeyboardEvent): void {
  const items = focusables(container);
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

function NavLink(props: { href: string; label: string; active: boolean }) {
  return (
    <a
      href={props.href}
      onClick={linkHandler(props.href)}
      class={`px-2 py-1.5 rounded-md no-underline ${props.active ? "bg-raised text-fg" : "text-muted hover:text-fg hover:bg-raised"}`}
      aria-current={props.active ? "page" : undefined}
    >
      {props.label}
    </a>
  );
}

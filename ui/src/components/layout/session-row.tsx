/**
 * One chat in the sidebar's list: its title (a link; double-click renames), a running or waiting dot,
 * and its menu — rename, pin or unpin, delete (with Undo in the toast that follows). Renaming saves on
 * Enter or when the box loses focus; Escape cancels.
 */
import { createSignal, Show } from "solid-js";
import type { SessionSummary } from "../../../../src/shared/session.ts";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { linkHandler, navigate } from "../../lib/router.ts";
import { removeSession, upsertSession } from "../../state/sessions.ts";
import { notify, notifyError } from "../../state/toasts.ts";

export function SessionRow(props: { session: SessionSummary; active: boolean }) {
  const [renaming, setRenaming] = createSignal(false);
  const [menuOpen, setMenuOpen] = createSignal(false);
  const title = () => props.session.title || t("sidebar.untitled");
  const href = () => `/s/${props.session.id}`;

  // Runs once per edit: Enter or blur saves; Escape closes the box first, so the blur that follows
  // (the input leaves the page) saves nothing.
  const rename = async (value: string) => {
    if (!renaming()) return;
    setRenaming(false);
    const next = value.trim();
    if (!next || next === props.session.title) return;
    try {
      upsertSession(
        await call("PATCH /api/sessions/:id", { params: { id: props.session.id }, json: { title: next } }),
      );
    } catch (error) {
      notifyError((error as Error).message);
    }
  };
  const togglePin = async () => {
    setMenuOpen(false);
    try {
      upsertSession(
        await call("PATCH /api/sessions/:id", {
          params: { id: props.session.id },
          json: { pinned: !props.session.pinned },
        }),
      );
    } catch (error) {
      notifyError((error as Error).message);
    }
  };
  const remove = async () => {
    setMenuOpen(false);
    const id = props.session.id;
    try {
      await call("DELETE /api/sessions/:id", { params: { id } });
      removeSession(id);
      if (props.active) navigate("/");
      notify(t("sidebar.deleted"), {
        action: {
          label: t("common.undo"),
          run: async () => {
            const restored = await call("POST /api/sessions/:id/restore", { params: { id } });
            upsertSession(restored);
          },
        },
      });
    } catch (error) {
      notifyError((error as Error).message);
    }
  };

  return (
    <li class="group relative" data-testid="session-row" data-session-id={props.session.id}>
      <Show
        when={!renaming()}
        fallback={
          <input
            class="input py-1 text-sm"
            value={props.session.title}
            aria-label={t("sidebar.rename")}
            ref={(el) => queueMicrotask(() => el.select())}
            onKeyDown={(e) => {
              if (e.key === "Enter") void rename(e.currentTarget.value);
              if (e.key === "Escape") setRenaming(false);
            }}
            onBlur={(e) => void rename(e.currentTarget.value)}
          />
        }
      >
        <a
          href={href()}
          onClick={linkHandler(href())}
          class={`flex items-center gap-2 pl-2 pr-8 py-1.5 rounded-md text-sm no-underline ${props.active ? "bg-raised text-fg" : "text-fg hover:bg-raised"}`}
          aria-current={props.active ? "page" : undefined}
          onDblClick={() => setRenaming(true)}
        >
          <Show when={props.session.status === "running" || props.session.status === "waiting"}>
            <span
              class={`inline-block w-2 h-2 rounded-full shrink-0 ${props.session.status === "waiting" ? "bg-warn" : "bg-accent animate-pulse"}`}
              title={props.session.status === "waiting" ? t("sidebar.waiting") : t("sidebar.running")}
              data-testid="running-indicator"
            />
          </Show>
          <span class="truncate" data-testid="session-title">
            {title()}
          </span>
        </a>
      </Show>
      <button
        type="button"
        class="icon-btn absolute right-1 top-0.5 w-7 h-7 opacity-0 group-hover:opacity-100 focus:opacity-100"
        aria-label={t("sidebar.actions", { title: title() })}
        aria-haspopup="menu"
        aria-expanded={menuOpen()}
        onClick={() => setMenuOpen(!menuOpen())}
        data-testid="session-menu"
      >
        ⋯
      </button>
      <Show when={menuOpen()}>
        <div
          role="menu"
          class="absolute right-1 top-8 z-20 card shadow-lg py-1 min-w-36 bg-bg"
          onKeyDown={(e) => e.key === "Escape" && setMenuOpen(false)}
        >
          <MenuItem
            label={t("sidebar.rename")}
            onSelect={() => {
              setMenuOpen(false);
              setRenaming(true);
            }}
          />
          <MenuItem
            label={props.session.pinned ? t("sidebar.unpin") : t("sidebar.pin")}
            onSelect={() => void togglePin()}
          />
          <MenuItem label={t("sidebar.delete")} danger onSelect={() => void remove()} />
        </div>
      </Show>
    </li>
  );
}

function MenuItem(props: { label: string; danger?: boolean; onSelect(): void }) {
  return (
    <button
      type="button"
      role="menuitem"
      class={`block w-full text-left px-3 py-1.5 text-sm bg-transparent border-0 hover:bg-raised focus:bg-raised outline-none ${props.danger ? "text-danger" : "text-fg"}`}
      onClick={props.onSelect}
    >
      {props.label}
    </button>
  );
}

/**
 * Ctrl+K: one box to reach everything — actions (new chat, settings, skills, tools, theme, language,
 * shortcuts) and chats by title. Arrow keys move, Enter runs, Esc closes.
 */
import { Dialog } from "@kobalte/core/dialog";
import { createEffect, createMemo, createSignal, For, Show } from "solid-js";
import { pickAndImportChat } from "../actions/import-chat.ts";
import { locale, type MessageKey, setLocale, t } from "../i18n/index.ts";
import { takeCapturedKeys } from "../lib/key-capture.ts";
import { navigate } from "../lib/router.ts";
import { cycleTheme } from "../lib/theme.ts";
import { sortedSessions } from "../state/sessions.ts";
import { startNewChat } from "./layout/sidebar.tsx";

interface Command {
  id: string;
  label: string;
  hint?: string;
  run(): void;
}

export function CommandPalette(props: { open: boolean; onOpenChange(open: boolean): void; onHelp(): void }) {
  const [query, setQuery] = createSignal("");
  const [index, setIndex] = createSignal(0);
  const action = (id: string, key: MessageKey, run: () => void, hint?: string): Command => ({
    id,
    label: t(key),
    run,
    hint,
  });
  const commands = createMemo<Command[]>(() => {
    const actions = [
      action("new", "sidebar.newChat", () => void startNewChat(), "Ctrl+N"),
      action("import", "chats.import", pickAndImportChat),
      action("settings", "nav.settings", () => navigate("/settings")),
      action("skills", "nav.skills", () => navigate("/skills")),
      action("tools", "nav.tools", () => navigate("/tools")),
      action("tasks", "nav.tasks", () => navigate("/tasks")),
      action("theme", "palette.toggleTheme", cycleTheme),
      action("language", "palette.switchLanguage", () => setLocale(locale() === "en" ? "zh" : "en")),
      action("help", "nav.help", props.onHelp, "?"),
    ];
    const chats = sortedSessions().map<Command>((session) => ({
      id: session.id,
      label: session.title || t("sidebar.untitled"),
      hint: t("palette.chat"),
      run: () => navigate(`/s/${session.id}`),
    }));
    const q = query().trim().toLowerCase();
    const all = [...actions, ...chats];
    return (q ? all.filter((c) => c.label.toLowerCase().includes(q)) : all).slice(0, 50);
  });
  const run = (command: Command | undefined) => {
    if (!command) return;
    props.onOpenChange(false);
    setQuery("");
    command.run();
  };
  // The highlighted command, or the last one when the list got shorter under it.
  const runHighlighted = () => {
    const list = commands();
    run(list[Math.min(index(), list.length - 1)]);
  };
  // Keys typed between Ctrl+K and this field taking the focus were held for it (app.tsx): they come
  // first, before any key the field receives itself.
  const takeHeldKeys = () => {
    const held = takeCapturedKeys();
    if (held.text) {
      setQuery(query() + held.text);
      setIndex(0);
    }
    if (held.submit) runHighlighted();
  };
  // The highlighted row stays in sight while the arrow keys move through a list longer than the box.
  let listbox: HTMLDivElement | undefined;
  createEffect(() => {
    const row = listbox?.querySelectorAll<HTMLElement>('[role="option"]')[index()];
    row?.scrollIntoView({ block: "nearest" });
  });
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/30 z-40" />
        <div class="fixed inset-0 z-50 flex justify-center items-start pt-[15vh] p-4">
          <Dialog.Content
            class="card w-full max-w-lg shadow-xl bg-bg overflow-hidden"
            data-testid="command-palette"
          >
            <Dialog.Title class="sr-only">{t("shortcuts.palette")}</Dialog.Title>
            <input
              ref={(element) => queueMicrotask(() => element.focus())}
              data-palette-input
              onFocus={takeHeldKeys}
              class="w-full border-0 border-b border-line bg-transparent px-4 py-3 text-sm outline-none text-fg"
              placeholder={t("palette.placeholder")}
              aria-label={t("palette.placeholder")}
              value={query()}
              onInput={(e) => {
                setQuery(e.currentTarget.value);
                setIndex(0);
              }}
              onKeyDown={(e) => {
                if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                  e.preventDefault();
                  const count = commands().length || 1;
                  setIndex((index() + (e.key === "ArrowDown" ? 1 : count - 1)) % count);
                } else if (e.key === "Enter") {
                  e.preventDefault();
                  runHighlighted();
                }
              }}
              data-testid="palette-input"
            />
            <div
              ref={listbox}
              class="max-h-80 overflow-y-auto p-1"
              role="listbox"
              aria-label={t("shortcuts.palette")}
            >
              <For each={commands()}>
                {(command, i) => (
                  <button
                    type="button"
                    role="option"
                    aria-selected={i() === index()}
                    // One background class only: with both, the stylesheet's order (not this one) decides.
                    class={`w-full flex justify-between text-left border-0 rounded-md px-3 py-2 text-sm text-fg ${i() === index() ? "bg-raised" : "bg-transparent"}`}
                    data-testid="palette-option"
                    // Only a moving pointer picks a row: rows sliding under a still one (the list
                    // filtering as the user types) must not take the keyboard's choice away.
                    onMouseMove={() => setIndex(i())}
                    onClick={() => run(command)}
                  >
                    <span class="truncate">{command.label}</span>
                    <span class="text-xs text-muted shrink-0 ml-3">{command.hint}</span>
                  </button>
                )}
              </For>
              <Show when={commands().length === 0}>
                <p class="m-0 px-3 py-2 text-sm text-muted" data-testid="palette-empty">
                  {t("palette.noMatch", { query: query().trim() })}
                </p>
              </Show>
            </div>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

/**
 * The tool list: a search box (name and description), kind filters, and one row per tool with its kind
 * and default approval rule. Arrow keys move between rows.
 */
import { createMemo, createSignal, For, Show } from "solid-js";
import type { ToolInfo, ToolKindName } from "../../../../src/shared/tools-api.ts";
import { t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";
import { KIND_ORDER, kindLabel, RuleBadge, toolPath } from "./tool-labels.tsx";

function matches(tool: ToolInfo, query: string): boolean {
  if (query === "") return true;
  const q = query.toLowerCase();
  return tool.name.toLowerCase().includes(q) || tool.description.toLowerCase().includes(q);
}

export function ToolList(props: { tools: ToolInfo[]; selected?: string }) {
  const [query, setQuery] = createSignal("");
  const [kind, setKind] = createSignal<ToolKindName | "all">("all");
  const visible = createMemo(() =>
    props.tools.filter((tool) => (kind() === "all" || tool.kind === kind()) && matches(tool, query().trim())),
  );
  const presentKinds = createMemo(() =>
    KIND_ORDER.filter((k) => props.tools.some((tool) => tool.kind === k)),
  );
  let listRoot!: HTMLUListElement;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const rows = [...listRoot.querySelectorAll<HTMLAnchorElement>("a[data-tool-row]")];
    const index = rows.indexOf(document.activeElement as HTMLAnchorElement);
    const next = event.key === "ArrowDown" ? Math.min(rows.length - 1, index + 1) : Math.max(0, index - 1);
    rows[next]?.focus();
    event.preventDefault();
  };

  const filterButton = (value: ToolKindName | "all", label: string) => (
    <button
      type="button"
      class={`rounded-full border px-2.5 py-0.5 text-xs cursor-pointer outline-none focus-visible:ring-2 focus-visible:ring-accent ${
        kind() === value
          ? "border-accent bg-accent text-accent-fg"
          : "border-line bg-transparent text-muted hover:text-fg"
      }`}
      aria-pressed={kind() === value}
      onClick={() => setKind(value)}
      data-testid={`tools-kind-${value}`}
    >
      {label}
    </button>
  );

  return (
    <div class="flex flex-col min-h-0 h-full">
      <div class="p-3 border-b border-line flex flex-col gap-2">
        <label class="sr-only" for="tool-search">
          {t("tools.search.label")}
        </label>
        <input
          id="tool-search"
          type="search"
          class="input"
          placeholder={t("tools.search.placeholder")}
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown") {
              listRoot.querySelector<HTMLAnchorElement>("a[data-tool-row]")?.focus();
              event.preventDefault();
            }
          }}
          data-testid="tools-search"
        />
        <fieldset class="m-0 p-0 border-0 flex flex-wrap gap-1">
          <legend class="sr-only">{t("tools.filter.label")}</legend>
          {filterButton("all", t("tools.filter.all"))}
          <For each={presentKinds()}>{(value) => filterButton(value, kindLabel(value))}</For>
        </fieldset>
      </div>
      <p class="sr-only" aria-live="polite">
        {t("tools.list.count", { count: visible().length })}
      </p>
      <Show when={visible().length === 0}>
        <p class="text-sm text-muted px-4 py-3" data-testid="tools-empty">
          {t("tools.search.none")}
        </p>
      </Show>
      <ul
        class="flex-1 overflow-y-auto m-0 p-2 list-none flex flex-col gap-0.5"
        ref={listRoot}
        onKeyDown={onKeyDown}
        aria-label={t("tools.list.label")}
        data-testid="tools-list"
      >
        <For each={visible()}>
          {(tool) => (
            <li>
              <a
                href={toolPath(tool.name)}
                onClick={linkHandler(toolPath(tool.name))}
                data-tool-row
                data-testid={`tool-row-${tool.name}`}
                aria-current={props.selected === tool.name ? "page" : undefined}
                class={`block rounded-md px-2 py-1.5 no-underline outline-none focus-visible:ring-2 focus-visible:ring-accent ${
                  props.selected === tool.name ? "bg-raised" : "hover:bg-raised"
                }`}
              >
                <div class="flex items-center gap-2">
                  <span class="font-mono text-sm text-fg truncate">{tool.name}</span>
                  <span class="text-xs text-muted">{kindLabel(tool.kind)}</span>
                  <span class="ml-auto shrink-0">
                    <RuleBadge rule={tool.defaultRule} alwaysAsks={tool.alwaysAsks} />
                  </span>
                </div>
                <p class="m-0 text-xs text-muted line-clamp-2">{tool.description.split("\n")[0]}</p>
              </a>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

/**
 * The workspace file tree: one row per visible entry, folders expand on click (loaded on demand).
 * Keyboard: Up/Down move between rows, Right opens a folder, Left closes it (or goes to its parent),
 * Enter/Space activate. Links that point outside the workspace are shown but inert.
 */
import { For, Match, Show, Switch } from "solid-js";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import type { WorkspaceEntry } from "../../../../src/shared/workspace.ts";
import { t } from "../../i18n/index.ts";
import { FileIcon, FolderIcon } from "../icons.tsx";
import { parentOf, type TreeRow, type WorkspaceTree } from "./tree-store.ts";

export function FileTree(props: { tree: WorkspaceTree; selected?: string; onOpenFile(path: string): void }) {
  let container!: HTMLDivElement;

  const activate = (entry: WorkspaceEntry) => {
    if (entry.link === "outside" || entry.link === "broken") return;
    if (entry.type === "directory") props.tree.toggle(entry.path);
    else if (entry.type === "file") props.onOpenFile(entry.path);
  };

  const rowsInDom = () => [...container.querySelectorAll<HTMLElement>("[data-testid=workspace-entry]")];

  const onKeyDown = (event: KeyboardEvent) => {
    const current = (event.target as HTMLElement).closest<HTMLElement>("[data-testid=workspace-entry]");
    if (!current) return;
    const rows = rowsInDom();
    const index = rows.indexOf(current);
    const path = current.dataset.path ?? "";
    const isFolder = current.dataset.type === "directory";
    const focus = (row: HTMLElement | undefined) => {
      if (!row) return;
      event.preventDefault();
      row.focus();
    };
    switch (event.key) {
      case "ArrowDown":
        focus(rows[index + 1]);
        break;
      case "ArrowUp":
        focus(rows[index - 1]);
        break;
      case "ArrowRight":
        if (isFolder && !props.tree.state.expanded[path]) {
          event.preventDefault();
          props.tree.toggle(path, true);
        } else focus(rows[index + 1]);
        break;
      case "ArrowLeft":
        if (isFolder && props.tree.state.expanded[path]) {
          event.preventDefault();
          props.tree.toggle(path, false);
        } else focus(rows.find((row) => row.dataset.path === parentOf(path)));
        break;
    }
  };

  const empty = () =>
    props.tree.state.folders["."]?.entries.length === 0 && !props.tree.state.folders["."]?.loading;

  // A tree needs items: an empty workspace is just its note (not an empty tree for screen readers).
  return (
    <Show
      when={!empty()}
      fallback={
        <p class="px-3 py-2 m-0 text-muted text-sm" data-testid="workspace-tree">
          {t("workspace.empty")}
        </p>
      }
    >
      <div
        ref={container}
        role="tree"
        aria-label={t("workspace.title")}
        class="py-1 text-sm select-none"
        data-testid="workspace-tree"
        onKeyDown={onKeyDown}
      >
        <For each={props.tree.rowKeys()}>
          {(key) => {
            const row = () => props.tree.rowByKey().get(key);
            return (
              <Switch>
                <Match when={row()?.kind === "entry" && (row() as Extract<TreeRow, { kind: "entry" }>)}>
                  {(entryRow) => (
                    <EntryRow
                      entry={entryRow().entry}
                      depth={entryRow().depth}
                      expanded={entryRow().expanded}
                      selected={props.selected === entryRow().entry.path}
                      onActivate={activate}
                    />
                  )}
                </Match>
                <Match when={row()?.kind === "error" && (row() as Extract<TreeRow, { kind: "error" }>)}>
                  {(errorRow) => <Note depth={errorRow().depth} text={errorRow().message} danger />}
                </Match>
                <Match when={row()}>
                  {(noteRow) => (
                    <Note
                      depth={noteRow().depth}
                      text={noteRow().kind === "loading" ? t("workspace.loading") : t("workspace.truncated")}
                    />
                  )}
                </Match>
              </Switch>
            );
          }}
        </For>
      </div>
    </Show>
  );
}

function indent(depth: number): string {
  return `${0.5 + depth * 0.9}rem`;
}

function EntryRow(props: {
  entry: WorkspaceEntry;
  depth: number;
  expanded: boolean;
  selected: boolean;
  onActivate(entry: WorkspaceEntry): void;
}) {
  const inert = () => props.entry.link === "outside" || props.entry.link === "broken";
  const isFolder = () => props.entry.type === "directory";
  const title = () => {
    if (props.entry.link === "outside") return t("workspace.linkOutside");
    if (props.entry.link === "broken") return t("workspace.linkBroken");
    return props.entry.path;
  };
  return (
    <button
      type="button"
      role="treeitem"
      aria-level={props.depth + 1}
      aria-expanded={isFolder() ? props.expanded : undefined}
      aria-selected={props.selected}
      aria-disabled={inert()}
      title={title()}
      class="w-full flex items-center gap-1.5 pr-2 py-0.5 border-0 text-left cursor-pointer rounded-sm outline-none focus-visible:ring-2 focus-visible:ring-accent"
      classList={{
        "bg-accent/15 text-fg": props.selected,
        "bg-transparent hover:bg-raised": !props.selected,
        "text-muted": !props.selected && (props.entry.hidden || inert()),
        "text-fg": !props.selected && !props.entry.hidden && !inert(),
        italic: inert(),
        "cursor-default": inert(),
      }}
      style={{ "padding-left": indent(props.depth) }}
      data-testid="workspace-entry"
      data-path={props.entry.path}
      data-type={props.entry.type}
      onClick={() => props.onActivate(props.entry)}
    >
      <span class="w-3 shrink-0 text-muted text-xs inline-flex justify-center" aria-hidden="true">
        {isFolder() ? <Chevron open={props.expanded} /> : ""}
      </span>
      <span class="shrink-0 text-muted inline-flex">
        {isFolder() ? <FolderIcon size={14} /> : <FileIcon size={14} />}
      </span>
      <span class="truncate flex-1">{props.entry.name}</span>
      <Show when={props.entry.link}>
        <span class="text-xs text-muted shrink-0" aria-hidden="true">
          ↗
        </span>
      </Show>
      <Show when={props.entry.type === "file"}>
        <span class="text-xs text-muted shrink-0 tabular-nums">{formatBytes(props.entry.size)}</span>
      </Show>
    </button>
  );
}

function Chevron(props: { open: boolean }) {
  return (
    <svg
      width="10"
      height="10"
      viewBox="0 0 10 10"
      aria-hidden="true"
      style={{ transform: props.open ? "rotate(90deg)" : undefined, transition: "transform 120ms" }}
    >
      <path d="M3 1.5 7 5 3 8.5" fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

function Note(props: { depth: number; text: string; danger?: boolean }) {
  return (
    <div
      class="py-0.5 pr-2 text-xs truncate"
      classList={{ "text-danger": props.danger, "text-muted": !props.danger }}
      style={{ "padding-left": indent(props.depth + 1) }}
    >
      {props.text}
    </div>
  );
}

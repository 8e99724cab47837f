/**
 * One row for a run of context markers in one turn (see compaction-runs.ts): "Context compacted N times ·
 * tokens before the first → after the last". A button (keyboard: Tab, Enter/Space) opens the list of the
 * individual markers, each one the usual expandable notice.
 */
import { createSignal, createUniqueId, For, Show } from "solid-js";
import type { CompactionPart } from "../../../../../src/shared/parts.ts";
import { t } from "../../../i18n/index.ts";
import { CompactionNotice } from "./simple-parts.tsx";

const NUMBER = new Intl.NumberFormat();

export function CompactionGroup(props: { markers: CompactionPart[] }) {
  const [open, setOpen] = createSignal(false);
  const listId = createUniqueId();
  const first = () => props.markers[0];
  const last = () => props.markers[props.markers.length - 1];
  return (
    <div
      class="my-2 rounded-md border border-dashed border-line bg-panel px-3 py-2 text-sm"
      data-testid="compaction-group"
      data-count={props.markers.length}
    >
      <button
        type="button"
        class="btn-ghost px-0 py-0 text-muted text-xs text-left"
        aria-expanded={open()}
        aria-controls={listId}
        onClick={() => setOpen(!open())}
        data-testid="compaction-group-toggle"
      >
        <span aria-hidden="true">{open() ? "▾" : "▸"}</span>{" "}
        {t("chat.compactedTimes", { count: props.markers.length })}
        <Show when={(first()?.tokensBefore ?? 0) > 0}>
          <span class="tabular-nums" data-testid="compaction-group-tokens">
            {" · "}
            {t("chat.contextTokens", {
              before: NUMBER.format(first()?.tokensBefore ?? 0),
              after: NUMBER.format(last()?.tokensAfter ?? 0),
            })}
          </span>
        </Show>
      </button>
      <Show when={open()}>
        <ol id={listId} class="m-0 mt-1 p-0 list-none" data-testid="compaction-group-list">
          <For each={props.markers}>
            {(marker) => (
              <li>
                <CompactionNotice part={marker} />
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}

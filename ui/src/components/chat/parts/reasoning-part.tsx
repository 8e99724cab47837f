/** The model's thinking: collapsed by default once done, open while it streams, with its duration. */
import { createSignal, Show } from "solid-js";
import type { ReasoningPart as ReasoningPartData } from "../../../../../src/shared/parts.ts";
import { t } from "../../../i18n/index.ts";

export function ReasoningPart(props: { part: ReasoningPartData }) {
  const [open, setOpen] = createSignal(false);
  const streaming = () => props.part.endedAt === undefined;
  const seconds = () =>
    Math.max(1, Math.round(((props.part.endedAt ?? Date.now()) - props.part.startedAt) / 1000));
  return (
    <div class="my-1 text-sm" data-testid="reasoning-part">
      <button
        type="button"
        class="btn-ghost px-1 py-0.5 text-muted text-xs"
        aria-expanded={open() || streaming()}
        onClick={() => setOpen(!open())}
      >
        <span aria-hidden="true">{open() || streaming() ? "▾" : "▸"}</span>
        {streaming() ? t("chat.thinking") : t("chat.thoughtFor", { seconds: seconds() })}
      </button>
      <Show when={open() || streaming()}>
        <div
          class="border-l-2 border-line pl-3 ml-1 text-muted whitespace-pre-wrap"
          data-testid="reasoning-text"
        >
          {props.part.text}
        </div>
      </Show>
    </div>
  );
}

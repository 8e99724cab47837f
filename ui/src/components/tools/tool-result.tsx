/**
 * The result of a "try it" run: status, duration, the text the model would read, images, the details
 * the chat card would use (as JSON), and progress output.
 */
import { For, Show } from "solid-js";
import type { ToolRunResult } from "../../../../src/shared/tools-api.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { statusTone } from "./tool-labels.tsx";

const STATUS_KEYS: Record<ToolRunResult["status"], MessageKey> = {
  completed: "tools.result.completed",
  error: "tools.result.error",
  denied: "tools.result.denied",
};

export function ToolResultView(props: { result: ToolRunResult }) {
  return (
    <section
      class="card p-4 flex flex-col gap-3"
      aria-label={t("tools.result.label")}
      data-testid="tool-result"
      data-status={props.result.status}
    >
      <div class="flex items-center gap-3 text-sm">
        <span class={`font-semibold ${statusTone(props.result.status)}`} data-testid="tool-result-status">
          {t(STATUS_KEYS[props.result.status])}
        </span>
        <span class="text-muted">{t("tools.result.duration", { ms: props.result.durationMs })}</span>
        <Show when={props.result.truncated}>
          <span class="text-warn">{t("tools.result.truncated")}</span>
        </Show>
      </div>
      <Show when={props.result.error}>
        <p class="m-0 text-sm text-danger whitespace-pre-wrap" role="alert" data-testid="tool-result-error">
          {props.result.error}
        </p>
      </Show>
      <Show when={props.result.text}>
        <pre
          class="m-0 max-h-120 overflow-auto rounded-md bg-bg border border-line p-3 text-xs whitespace-pre-wrap break-words"
          data-testid="tool-result-text"
          tabindex="0"
        >
          {props.result.text}
        </pre>
      </Show>
      <For each={props.result.images}>
        {(image) => (
          <figure class="m-0 flex flex-col gap-1">
            <img
              src={image.dataUrl}
              alt={image.path ? t("tools.result.imageAt", { path: image.path }) : t("tools.result.image")}
              class="max-w-full rounded-md border border-line"
              data-testid="tool-result-image"
            />
            <Show when={image.path}>
              <figcaption class="text-xs text-muted font-mono">{image.path}</figcaption>
            </Show>
          </figure>
        )}
      </For>
      <Show when={props.result.details && Object.keys(props.result.details).length > 0}>
        <details>
          <summary class="cursor-pointer text-sm text-muted">{t("tools.result.details")}</summary>
          <pre class="m-0 mt-2 max-h-80 overflow-auto text-xs" data-testid="tool-result-details">
            {JSON.stringify(props.result.details, null, 2)}
          </pre>
        </details>
      </Show>
      <Show when={props.result.progress}>
        <details>
          <summary class="cursor-pointer text-sm text-muted">{t("tools.result.progress")}</summary>
          <pre class="m-0 mt-2 max-h-80 overflow-auto text-xs whitespace-pre-wrap">
            {props.result.progress}
          </pre>
        </details>
      </Show>
    </section>
  );
}

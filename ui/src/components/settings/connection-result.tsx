/**
 * The outcome of "Test connection": a translated headline for the failure kind plus the server's detail.
 * It scrolls itself into sight when it appears: the button sits near the bottom of a long form (the
 * setup step, a provider's editor), where the answer would otherwise land below the fold unseen.
 */
import { onMount, Show } from "solid-js";
import type { ConnectionTestResult } from "../../../../src/shared/provider-input.ts";
import { type MessageKey, t } from "../../i18n/index.ts";

export function ConnectionResult(props: { result: ConnectionTestResult }) {
  const headline = () =>
    props.result.ok
      ? t("settings.test.ok", { model: props.result.model ?? "", ms: props.result.latencyMs ?? 0 })
      : t(`settings.test.fail.${props.result.code ?? "unknown"}` as MessageKey);
  let box: HTMLDivElement | undefined;
  onMount(() => requestAnimationFrame(() => box?.scrollIntoView({ block: "nearest" })));
  return (
    <div
      ref={box}
      role="status"
      class={`rounded-md border px-3 py-2 text-sm ${props.result.ok ? "border-ok text-ok" : "border-danger text-danger"}`}
      data-testid="connection-result"
      data-ok={props.result.ok ? "true" : "false"}
      data-code={props.result.code ?? ""}
    >
      <p class="m-0 font-medium" data-testid="connection-headline">
        {headline()}
      </p>
      <Show when={!props.result.ok}>
        <p class="m-0 mt-0.5 text-fg/80" data-testid="connection-message">
          {props.result.message}
        </p>
      </Show>
      <Show when={props.result.ok && props.result.models.length > 0}>
        <p class="m-0 mt-0.5 text-muted text-xs">
          {t("settings.test.models", { count: props.result.models.length })}
        </p>
      </Show>
    </div>
  );
}

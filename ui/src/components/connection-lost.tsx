/**
 * The notice shown when Sage's server is gone (see SocketClient: `stopped` = nothing answers at this
 * address any more, `restarted` = a Sage answers but refuses this page's token). It stays until the
 * socket connects again, says what happened and how to get back (the URL `sage --serve` prints, or
 * reopening the window), and offers to try again now.
 */
import { type Accessor, createSignal, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { inNativeWindow } from "../lib/env.ts";
import type { ConnectionState } from "../lib/socket.ts";

type GoneState = Extract<ConnectionState, "stopped" | "restarted">;

/** How long "Trying…" shows after a click: a refused connection and the probe after it take ~0.1 s. */
const TRYING_MS = 1500;

export function ConnectionLost(props: { state: Accessor<ConnectionState>; onRetry: () => void }) {
  const gone = (): GoneState | undefined => {
    const state = props.state();
    return state === "stopped" || state === "restarted" ? state : undefined;
  };
  const [trying, setTrying] = createSignal(false);
  const retry = () => {
    setTrying(true);
    props.onRetry();
    setTimeout(() => setTrying(false), TRYING_MS);
  };
  return (
    <Show when={gone()}>
      {(state) => (
        <div
          role="alert"
          class="flex items-start gap-3 border-b border-danger bg-danger/10 px-4 py-3 text-sm"
          data-testid="connection-lost"
          data-reason={state()}
        >
          <div class="flex-1 min-w-0">
            <p class="m-0 font-medium">{t(`connectionLost.${state()}.title`)}</p>
            <p class="m-0 mt-0.5" data-testid="connection-lost-help">
              {t(`connectionLost.${state()}.${inNativeWindow() ? "window" : "browser"}`)}
            </p>
          </div>
          <button
            type="button"
            class="btn-ghost shrink-0 border border-line"
            disabled={trying()}
            onClick={retry}
            data-testid="connection-retry"
          >
            {trying() ? t("connectionLost.trying") : t("connectionLost.retry")}
          </button>
        </div>
      )}
    </Show>
  );
}

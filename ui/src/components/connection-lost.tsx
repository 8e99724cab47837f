/**
 * The notice shown when Sage's server is gone (SocketClient's `stopped`: nothing answers at this address
 * any more). It stays until the socket connects again, says what happened and how to get back (the URL
 * Sage prints when it starts, or reopening the window), and offers to try again now. A Sage that answers
 * but refuses the page's token (restarted on the same port) gets the signed-out screen instead.
 */
import { type Accessor, createSignal, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { inNativeWindow } from "../lib/env.ts";
import type { ConnectionState } from "../lib/socket.ts";

/** How long "Trying…" shows after a click: a refused connection and the probe after it take ~0.1 s. */
const TRYING_MS = 1500;

export function ConnectionLost(props: { state: Accessor<ConnectionState>; onRetry: () => void }) {
  const stopped = () => props.state() === "stopped";
  const [trying, setTrying] = createSignal(false);
  const retry = () => {
    setTrying(true);
    props.onRetry();
    setTimeout(() => setTrying(false), TRYING_MS);
  };
  return (
    <Show when={stopped()}>
      <div
        role="alert"
        class="flex items-start gap-3 border-b border-danger bg-danger/10 px-4 py-3 text-sm"
        data-testid="connection-lost"
      >
        <div class="flex-1 min-w-0">
          <p class="m-0 font-medium">{t("connectionLost.title")}</p>
          <p class="m-0 mt-0.5" data-testid="connection-lost-help">
            {t(inNativeWindow() ? "connectionLost.window" : "connectionLost.browser")}
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
    </Show>
  );
}

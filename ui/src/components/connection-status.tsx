/** The socket's state, always visible: a dot and a label (announced to screen readers on change). */
import type { Accessor } from "solid-js";
import { t } from "../i18n/index.ts";
import type { ConnectionState } from "../lib/socket.ts";

const COLORS: Record<ConnectionState, string> = {
  connecting: "bg-warn",
  connected: "bg-ok",
  reconnecting: "bg-warn animate-pulse",
  offline: "bg-danger",
  stopped: "bg-danger",
};

export function ConnectionStatus(props: { state: Accessor<ConnectionState> }) {
  return (
    <div
      class="flex items-center gap-2 text-xs text-muted"
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-state={props.state()}
    >
      <span class={`inline-block w-2 h-2 rounded-full ${COLORS[props.state()]}`} aria-hidden="true" />
      <span>{t(`connection.${props.state()}`)}</span>
    </div>
  );
}

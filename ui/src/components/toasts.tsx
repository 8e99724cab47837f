/** The toast stack (bottom centre), announced politely to screen readers. */
import { For, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { dismiss, toasts } from "../state/toasts.ts";

export function Toasts() {
  return (
    <div
      class="fixed bottom-4 left-1/2 -translate-x-1/2 z-50 flex flex-col gap-2 items-center"
      role="status"
      aria-live="polite"
    >
      <For each={toasts}>
        {(toast) => (
          <div
            class={`card shadow-lg px-4 py-2 text-sm flex items-center gap-3 bg-bg ${toast.kind === "error" ? "border-danger text-danger" : ""}`}
            data-testid="toast"
          >
            <span>{toast.text}</span>
            <Show when={toast.action}>
              {(action) => (
                <button
                  type="button"
                  class="btn-ghost py-0.5 text-accent font-semibold"
                  onClick={() => {
                    action().run();
                    dismiss(toast.id);
                  }}
                  data-testid="toast-action"
                >
                  {action().label}
                </button>
              )}
            </Show>
            <button
              type="button"
              class="icon-btn w-6 h-6"
              aria-label={t("common.close")}
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        )}
      </For>
    </div>
  );
}

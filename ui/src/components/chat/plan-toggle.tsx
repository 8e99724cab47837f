/**
 * The composer's plan-mode switch (per message: it turns itself off once the message is sent). Alt+P
 * in the message box toggles it too (see `isPlanShortcut`).
 */
import { t } from "../../i18n/index.ts";

/** The keyboard shortcut of the plan-mode switch. */
export function isPlanShortcut(event: KeyboardEvent): boolean {
  return event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyP";
}

export function PlanToggle(props: { on: boolean; onToggle(): void }) {
  return (
    <button
      type="button"
      aria-pressed={props.on}
      aria-keyshortcuts="Alt+P"
      title={t("plan.modeHint")}
      class={`px-2 py-0.5 rounded-full border text-xs ${props.on ? "border-accent text-accent bg-accent/10" : "border-line text-muted"}`}
      onClick={() => props.onToggle()}
      data-testid="plan-toggle"
    >
      {t("plan.mode")}
    </button>
  );
}

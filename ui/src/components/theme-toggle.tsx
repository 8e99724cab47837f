/** Cycles light -> dark -> system; the label says which is active. */
import { t } from "../i18n/index.ts";
import { cycleTheme, theme } from "../lib/theme.ts";

const ICONS = { light: "☀", dark: "☾", system: "◐" } as const;

export function ThemeToggle() {
  const label = () => t("theme.toggle", { theme: t(`theme.${theme()}`) });
  return (
    <button
      type="button"
      class="icon-btn"
      onClick={cycleTheme}
      title={label()}
      aria-label={label()}
      data-testid="theme-toggle"
      data-theme={theme()}
    >
      <span aria-hidden="true">{ICONS[theme()]}</span>
    </button>
  );
}

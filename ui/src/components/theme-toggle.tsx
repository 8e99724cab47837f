/** Cycles light -> dark -> system; the label says which is active. */
import { Match, Switch } from "solid-js";
import { t } from "../i18n/index.ts";
import { cycleTheme, theme } from "../lib/theme.ts";

import { MonitorIcon, MoonIcon, SunIcon } from "./icons.tsx";

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
      <Switch>
        <Match when={theme() === "light"}>
          <SunIcon />
        </Match>
        <Match when={theme() === "dark"}>
          <MoonIcon />
        </Match>
        <Match when={theme() === "system"}>
          <MonitorIcon />
        </Match>
      </Switch>
    </button>
  );
}

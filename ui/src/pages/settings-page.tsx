/** The settings page (filled in by its feature; see issue notes). */
import { t } from "../i18n/index.ts";

export function SettingsPage(props: { section?: string }) {
  return (
    <div class="p-8">
      <h1 class="text-xl font-semibold">{t("settings.title")}</h1>
      <p class="text-muted text-sm">{props.section ?? ""}</p>
    </div>
  );
}

/** The tools page (filled in by its feature; see issue notes). */
import { t } from "../i18n/index.ts";

export function ToolsPage(props: { section?: string }) {
  return (
    <div class="p-8">
      <h1 class="text-xl font-semibold">{t("tools.title")}</h1>
      <p class="text-muted text-sm">{props.section ?? ""}</p>
    </div>
  );
}

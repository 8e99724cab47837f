/**
 * An address the app has no page for (a typo, a link from a newer Sage): says so, with the way out —
 * a link back to the chats, and in a narrow window the menu button (the sidebar is hidden there, and
 * this page would otherwise leave no way to it but the command palette).
 */
import { t } from "../../i18n/index.ts";
import { linkHandler } from "../../lib/router.ts";
import { DrawerButton } from "./drawer-button.tsx";

export function NotFound() {
  return (
    <div class="flex-1 flex flex-col min-h-0" data-testid="not-found">
      <DrawerButton class="m-2" />
      <div class="p-8 flex flex-col items-start gap-3">
        <p class="m-0 text-muted">{t("common.notFound")}</p>
        <a href="/" onClick={linkHandler("/")} class="underline text-accent" data-testid="not-found-home">
          {t("common.backToChats")}
        </a>
      </div>
    </div>
  );
}

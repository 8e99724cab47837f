/**
 * Shown instead of the app when the page has no valid access token: opened without the URL Sage printed,
 * or Sage restarted since (each start makes a new token). Says how to get back in.
 */
import { t } from "../i18n/index.ts";
import { host } from "../lib/env.ts";

export function SignedOut() {
  return (
    <main class="min-h-screen grid place-items-center p-6 bg-bg text-fg" data-testid="signed-out">
      <div class="card max-w-lg p-6 flex flex-col gap-3">
        <div class="flex items-center gap-3">
          <img src="/favicon.svg" alt="" class="w-10 h-10" />
          <h1 class="text-lg font-semibold m-0">
            {host.token ? t("access.expiredTitle") : t("access.missingTitle")}
          </h1>
        </div>
        <p class="m-0 text-sm">{t("access.explain")}</p>
        <ul class="m-0 pl-5 text-sm flex flex-col gap-1">
          <li>{t("access.serveHint")}</li>
          <li>{t("access.windowHint")}</li>
        </ul>
        <div>
          <button type="button" class="btn-ghost" onClick={() => location.reload()}>
            {t("access.reload")}
          </button>
        </div>
      </div>
    </main>
  );
}

/**
 * The window's one-time offer to add Sage to the application menu (what `sage --install` does): a
 * toast with an "Add" button on the first window launch of the built app. Shown once: the server
 * remembers that it was offered, whether or not the user took it.
 */
import { t } from "../i18n/index.ts";
import { call } from "../lib/api-client.ts";
import { inNativeWindow } from "../lib/env.ts";
import { notify, notifyError } from "../state/toasts.ts";

export async function offerDesktopEntry(): Promise<void> {
  if (!inNativeWindow()) return;
  try {
    const { offer } = await call("GET /api/app/desktop-entry");
    if (!offer) return;
    await call("POST /api/app/desktop-entry", { json: { action: "offered" } });
    notify(t("desktop.installOffer"), {
      timeoutMs: 30_000,
      action: {
        label: t("desktop.install"),
        run: () =>
          void call("POST /api/app/desktop-entry", { json: { action: "install" } })
            .then(() => notify(t("desktop.installed")))
            .catch((error: unknown) => notifyError((error as Error).message)),
      },
    });
  } catch {
    // Not offered this time; nothing the user needs to hear about.
  }
}

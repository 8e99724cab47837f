/** About: version, what Sage is, where its data and log live. */
import { Dialog } from "@kobalte/core/dialog";
import { createResource, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { call } from "../lib/api-client.ts";

export function AboutDialog(props: { open: boolean; onOpenChange(open: boolean): void }) {
  const [health] = createResource(
    () => props.open,
    () => call("GET /api/health"),
  );
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <Dialog.Content class="card w-full max-w-md p-6 shadow-xl bg-bg" data-testid="about-dialog">
            <div class="flex items-center gap-3 mb-3">
              <img src="/favicon.svg" alt="" class="w-10 h-10" />
              <div>
                <Dialog.Title class="text-lg font-semibold m-0">{t("about.title")}</Dialog.Title>
                <Show when={health()}>
                  {(info) => (
                    <p class="text-sm text-muted m-0" data-testid="about-version">
                      {t("about.version", { version: info().version })}
                    </p>
                  )}
                </Show>
              </div>
            </div>
            <Dialog.Description class="text-sm mb-4">{t("about.tagline")}</Dialog.Description>
            <Show when={health()}>
              {(info) => (
                <dl class="text-xs grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 mb-4">
                  <dt class="text-muted">{t("about.dataDir")}</dt>
                  <dd class="m-0 font-mono break-all">{info().dataDir}</dd>
                  <dt class="text-muted">{t("about.logFile")}</dt>
                  <dd class="m-0 font-mono break-all">{info().logFile ?? "—"}</dd>
                </dl>
              )}
            </Show>
            <div class="flex justify-end">
              <Dialog.CloseButton class="btn-primary">{t("about.close")}</Dialog.CloseButton>
            </div>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

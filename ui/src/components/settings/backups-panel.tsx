/**
 * Settings → About → Database backups: where they are, how many days are kept, the list (newest
 * first), the last failure if any, and "Back up now". Restoring is a start-up flag, explained here.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { formatTime } from "../workspace/format.ts";
import { errorText } from "./field.tsx";

export function BackupsPanel() {
  const [status, { refetch }] = createResource(() => call("GET /api/backups"));
  const [busy, setBusy] = createSignal(false);
  const backUp = async () => {
    setBusy(true);
    try {
      await call("POST /api/backups");
      notify(t("storage.backups.done"));
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
      void refetch();
    }
  };
  return (
    <section class="flex flex-col gap-2" data-testid="backups-panel" aria-labelledby="backups-title">
      <h3 id="backups-title" class="m-0 text-sm font-semibold">
        {t("storage.backups.title")}
      </h3>
      <Show when={status()}>
        {(info) => (
          <>
            <p class="m-0 text-xs text-muted break-words">
              {t("storage.backups.description", { dir: info().dir, days: info().daysKept })}
            </p>
            <Show when={info().lastError}>
              {(error) => (
                <p class="m-0 text-sm text-danger" role="alert" data-testid="backups-error">
                  {t("storage.backups.failed", { error: error() })}
                </p>
              )}
            </Show>
            <Show
              when={info().backups.length > 0}
              fallback={<p class="m-0 text-sm text-muted">{t("storage.backups.none")}</p>}
            >
              <ul class="m-0 pl-0 list-none text-sm flex flex-col gap-0.5" data-testid="backups-list">
                <For each={info().backups}>
                  {(backup) => (
                    <li title={backup.name}>
                      {t("storage.backups.row", {
                        date: formatTime(backup.createdAt),
                        size: formatBytes(backup.size),
                      })}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
      <Show when={status.error}>
        <p class="m-0 text-sm text-danger" role="alert">
          {errorText(status.error)}
        </p>
      </Show>
      <div>
        <button
          type="button"
          class="btn-ghost border border-line"
          disabled={busy()}
          onClick={() => void backUp()}
          data-testid="backup-now"
        >
          {busy() ? t("storage.backups.running") : t("storage.backups.now")}
        </button>
      </div>
    </section>
  );
}

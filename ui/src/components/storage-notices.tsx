/**
 * Storage news from start-up, shown at once above every page until closed: today, a database file that
 * was empty (0 bytes), so Sage started with a new one — saying so, and how to bring the newest backup
 * back. Read once from GET /api/health `notices` (see src/shared/storage.ts).
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { call } from "../lib/api-client.ts";
import { formatTime } from "./workspace/format.ts";

export function StorageNotices() {
  const [notices] = createResource(async () => {
    try {
      return (await call("GET /api/health")).notices;
    } catch {
      return [];
    }
  });
  const [closed, setClosed] = createSignal(false);
  return (
    <Show when={!closed() && (notices()?.length ?? 0) > 0}>
      <div
        role="alert"
        class="flex items-start gap-3 border-b border-warn bg-warn/10 px-4 py-3 text-sm"
        data-testid="storage-notice"
      >
        <div class="flex-1 min-w-0">
          <For each={notices()}>
            {(notice) => (
              <div data-code={notice.code}>
                <p class="m-0 font-medium">{t("storage.emptyDatabase.title")}</p>
                <p class="m-0 mt-0.5 break-words">{t("storage.emptyDatabase.body", { path: notice.path })}</p>
                <p class="m-0 mt-0.5" data-testid="storage-notice-backup">
                  {notice.backup
                    ? t("storage.emptyDatabase.backup", { date: formatTime(notice.backup.createdAt) })
                    : t("storage.emptyDatabase.noBackup")}
                </p>
              </div>
            )}
          </For>
        </div>
        <button
          type="button"
          class="icon-btn w-6 h-6 shrink-0"
          aria-label={t("common.close")}
          title={t("common.close")}
          onClick={() => setClosed(true)}
          data-testid="storage-notice-close"
        >
          ×
        </button>
      </div>
    </Show>
  );
}

/**
 * Settings → Storage: what takes space in Sage's folders (GET /api/storage) and the safe clean-ups:
 * saved tool outputs older than N days, deleted chats still kept for undo, compacting the database.
 * Each clean-up asks first and says what it freed; sizes refresh afterwards. Folder sizes come from the
 * server's background measurement: shown with how long ago they were measured, "measuring…" for a folder
 * not measured yet (the page asks again each second while the server measures), and "Measure again".
 * The database backups panel is here too (also in About).
 */
import { createEffect, createResource, createSignal, For, type JSX, onCleanup, Show } from "solid-js";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { BackupsPanel } from "../../components/settings/backups-panel.tsx";
import { errorText, SectionHeader } from "../../components/settings/field.tsx";
import { formatTime } from "../../components/workspace/format.ts";
import { t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { timeAgo } from "../../lib/time-ago.ts";
import { notify, notifyError } from "../../state/toasts.ts";

type Cleanup = "outputs" | "chats" | "compact";

function Row(props: {
  label: string;
  size: number;
  complete?: boolean;
  /** null: not measured yet. */
  measuredAt?: number | null;
  detail?: JSX.Element;
  testId: string;
}) {
  return (
    <tr class="border-t border-line" data-testid={props.testId}>
      <th scope="row" class="text-left font-normal py-1.5 pr-4 align-top">
        {props.label}
        <Show when={props.detail}>
          <div class="text-xs text-muted break-all">{props.detail}</div>
        </Show>
      </th>
      <td class="text-right py-1.5 tabular-nums align-top whitespace-nowrap">
        {props.measuredAt === null
          ? t("settings.storage.notMeasured")
          : props.complete === false
            ? t("settings.storage.atLeast", { size: formatBytes(props.size) })
            : formatBytes(props.size)}
      </td>
    </tr>
  );
}

export function StorageSettings() {
  const [days, setDays] = createSignal(30);
  const [usage, { refetch }] = createResource(days, (olderThanDays) =>
    call("GET /api/storage", { query: { olderThanDays } }),
  );
  const [asking, setAsking] = createSignal<Cleanup>();
  const [now, setNow] = createSignal(Date.now());
  const clock = setInterval(() => setNow(Date.now()), 15_000);
  onCleanup(() => clearInterval(clock));
  // While the server measures folder sizes, ask again each second for the figures it has by then.
  createEffect(() => {
    if (!usage()?.measuring) return;
    const timer = setTimeout(() => void refetch(), 1000);
    onCleanup(() => clearTimeout(timer));
  });
  const folders = () => {
    const info = usage();
    if (!info) return [];
    return [
      info.backups,
      info.logs,
      info.browserProfiles,
      info.skills,
      ...info.workspaces.map((w) => w.size),
    ];
  };
  /** The oldest measurement shown, or null while some folder is not measured yet. */
  const measuredAt = () => {
    const times = folders().map((folder) => folder.measuredAt);
    if (times.length === 0 || times.includes(null)) return null;
    return Math.min(...(times as number[]));
  };
  const measureAgain = async () => {
    try {
      await call("POST /api/storage/measure");
      setNow(Date.now());
      await refetch();
    } catch (error) {
      notifyError(errorText(error));
    }
  };
  const [busy, setBusy] = createSignal(false);
  const oldOutputs = () =>
    (usage()?.workspaces ?? []).reduce(
      (sum, workspace) => ({
        files: sum.files + workspace.toolOutputs.oldFiles,
        bytes: sum.bytes + workspace.toolOutputs.oldBytes,
      }),
      { files: 0, bytes: 0 },
    );

  const run = async (which: Cleanup) => {
    setBusy(true);
    try {
      if (which === "outputs") {
        const removed = await call("POST /api/storage/tool-outputs/clean", {
          json: { olderThanDays: days() },
        });
        notify(
          t("settings.storage.outputsRemoved", { files: removed.files, size: formatBytes(removed.bytes) }),
        );
      } else if (which === "chats") {
        const result = await call("POST /api/storage/deleted-chats/purge");
        notify(t("settings.storage.chatsPurged", { count: result.purged }));
      } else {
        const report = await call("POST /api/storage/compact");
        if (report.error) notifyError(t("settings.storage.compactFailed", { error: report.error }));
        else notify(t("settings.storage.compacted", { size: formatBytes(report.freedBytes) }));
      }
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
      setAsking(undefined);
      void refetch();
    }
  };

  return (
    <div class="max-w-3xl flex flex-col gap-5" data-testid="settings-storage">
      <SectionHeader title={t("settings.storage.title")} description={t("settings.storage.description")} />
      <Show when={usage.error}>
        <p class="text-danger text-sm" role="alert">
          {errorText(usage.error)}
        </p>
      </Show>
      <Show when={usage()} fallback={<p class="text-sm text-muted">{t("settings.storage.measuring")}</p>}>
        {(info) => (
          <>
            <div class="flex flex-wrap items-center gap-2 text-xs text-muted">
              <span data-testid="storage-measured" aria-live="polite">
                {info().measuring || measuredAt() === null
                  ? t("settings.storage.measuringSizes")
                  : t("settings.storage.measuredAgo", { ago: timeAgo(measuredAt() ?? 0, now()) })}
              </span>
              <button
                type="button"
                class="btn-ghost border border-line text-xs"
                disabled={info().measuring}
                onClick={() => void measureAgain()}
                data-testid="storage-measure"
              >
                {t("settings.storage.measureAgain")}
              </button>
            </div>
            <table class="w-full text-sm border-collapse" data-testid="storage-table">
              <caption class="sr-only">{t("settings.storage.title")}</caption>
              <tbody>
                <Row
                  label={t("settings.storage.database")}
                  size={info().database.bytes}
                  detail={
                    info().database.freeBytes > 0
                      ? t("settings.storage.databaseFree", { size: formatBytes(info().database.freeBytes) })
                      : undefined
                  }
                  testId="storage-database"
                />
                <For each={info().workspaces}>
                  {(workspace) => (
                    <Row
                      label={t("settings.storage.workspace", { agents: workspace.agents.join(", ") })}
                      size={workspace.size.bytes}
                      complete={workspace.size.complete}
                      measuredAt={workspace.size.measuredAt}
                      detail={
                        <>
                          {workspace.size.path}
                          <br />
                          {t("settings.storage.toolOutputs", {
                            files: workspace.toolOutputs.files,
                            size: formatBytes(workspace.toolOutputs.bytes),
                          })}
                        </>
                      }
                      testId="storage-workspace"
                    />
                  )}
                </For>
                <Row
                  label={t("settings.storage.backups")}
                  size={info().backups.bytes}
                  measuredAt={info().backups.measuredAt}
                  complete={info().backups.complete}
                  testId="storage-backups"
                />
                <Row
                  label={t("settings.storage.logs")}
                  size={info().logs.bytes}
                  measuredAt={info().logs.measuredAt}
                  complete={info().logs.complete}
                  testId="storage-logs"
                />
                <Row
                  label={t("settings.storage.browserProfiles")}
                  size={info().browserProfiles.bytes}
                  measuredAt={info().browserProfiles.measuredAt}
                  complete={info().browserProfiles.complete}
                  testId="storage-browser"
                />
                <Row
                  label={t("settings.storage.skills")}
                  size={info().skills.bytes}
                  measuredAt={info().skills.measuredAt}
                  complete={info().skills.complete}
                  testId="storage-skills"
                />
              </tbody>
            </table>

            <section class="flex flex-col gap-3" aria-labelledby="storage-cleanup-title">
              <h3 id="storage-cleanup-title" class="m-0 text-sm font-semibold">
                {t("settings.storage.cleanupTitle")}
              </h3>
              <div class="flex flex-wrap items-center gap-2 text-sm">
                <label class="flex items-center gap-2">
                  {t("settings.storage.olderThan")}
                  <input
                    type="number"
                    min="0"
                    max="3650"
                    class="input w-20"
                    value={days()}
                    onChange={(event) => {
                      const value = Number(event.currentTarget.value);
                      if (Number.isInteger(value) && value >= 0 && value <= 3650) setDays(value);
                      else event.currentTarget.value = String(days());
                    }}
                    data-testid="storage-days"
                  />
                  {t("settings.storage.days")}
                </label>
                <button
                  type="button"
                  class="btn-ghost border border-line"
                  disabled={busy() || oldOutputs().files === 0}
                  onClick={() => setAsking("outputs")}
                  data-testid="storage-clean-outputs"
                >
                  {t("settings.storage.cleanOutputs", {
                    files: oldOutputs().files,
                    size: formatBytes(oldOutputs().bytes),
                  })}
                </button>
              </div>
              <div>
                <button
                  type="button"
                  class="btn-ghost border border-line"
                  disabled={busy() || info().deletedChats.sessions === 0}
                  onClick={() => setAsking("chats")}
                  data-testid="storage-purge-chats"
                >
                  {t("settings.storage.purgeChats", { count: info().deletedChats.sessions })}
                </button>
              </div>
              <div class="flex flex-col gap-1">
                <div>
                  <button
                    type="button"
                    class="btn-ghost border border-line"
                    disabled={busy()}
                    onClick={() => setAsking("compact")}
                    data-testid="storage-compact"
                  >
                    {busy() && asking() === "compact"
                      ? t("settings.storage.compacting")
                      : t("settings.storage.compact", { size: formatBytes(info().database.freeBytes) })}
                  </button>
                </div>
                <p class="m-0 text-xs text-muted" data-testid="storage-maintenance">
                  {info().maintenance.running
                    ? t("settings.storage.maintenanceRunning")
                    : info().maintenance.last
                      ? t("settings.storage.lastMaintenance", {
                          date: formatTime(info().maintenance.last?.at ?? 0),
                        })
                      : t("settings.storage.noMaintenance")}
                </p>
              </div>
            </section>
          </>
        )}
      </Show>
      <BackupsPanel />
      <ConfirmDialog
        open={asking() !== undefined}
        title={
          asking() === "outputs"
            ? t("settings.storage.confirmOutputsTitle")
            : asking() === "chats"
              ? t("settings.storage.confirmChatsTitle")
              : t("settings.storage.confirmCompactTitle")
        }
        description={
          asking() === "outputs"
            ? t("settings.storage.confirmOutputs", { days: days() })
            : asking() === "chats"
              ? t("settings.storage.confirmChats")
              : t("settings.storage.confirmCompact")
        }
        confirmLabel={
          asking() === "compact" ? t("settings.storage.compactShort") : t("settings.storage.remove")
        }
        danger={asking() !== "compact"}
        busy={busy()}
        onConfirm={() => {
          const which = asking();
          if (which) void run(which);
        }}
        onCancel={() => setAsking(undefined)}
        testId="storage-confirm"
      />
    </div>
  );
}

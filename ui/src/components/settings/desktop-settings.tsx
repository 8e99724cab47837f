/**
 * Settings → General, the desktop part: "Start Sage when you log in" (built executable only), whether
 * a tray shows Sage's icon (without one, closing the window quits) with "keep running in the tray",
 * and desktop notifications — a line saying whether this desktop can show them, and one switch per
 * kind (a turn finished, failed, or waits for an approval or an answer). Notifications are sent only
 * while no Sage window or tab has the focus (src/desktop/turn-notifier.ts).
 */
import { createResource, For, Show } from "solid-js";
import type { SettingsPatch, UserSettings } from "../../../../src/shared/settings.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { Toggle } from "./field.tsx";

type Key = "notifyTurnEnded" | "notifyTurnFailed" | "notifyNeedsInput";
const KINDS: { key: Key; label: MessageKey; testId: string }[] = [
  { key: "notifyTurnEnded", label: "settings.notifications.turnEnded", testId: "setting-notify-turn-ended" },
  {
    key: "notifyTurnFailed",
    label: "settings.notifications.turnFailed",
    testId: "setting-notify-turn-failed",
  },
  {
    key: "notifyNeedsInput",
    label: "settings.notifications.needsInput",
    testId: "setting-notify-needs-input",
  },
];

export function DesktopSettings(props: {
  settings: UserSettings | undefined;
  update(patch: SettingsPatch): void;
  onError(error: unknown): void;
}) {
  const [desktop] = createResource(() => call("GET /api/app/desktop").catch(() => undefined));
  const status = () => desktop()?.notifications.status;
  const [autostart, { mutate: setAutostart }] = createResource(() =>
    call("GET /api/app/autostart").catch(() => undefined),
  );
  return (
    <>
      <Show when={autostart()?.available}>
        <Toggle
          id="setting-autostart"
          label={t("settings.autostart")}
          hint={t("settings.autostartHint")}
          checked={autostart()?.enabled ?? false}
          onChange={(enabled) =>
            void call("PUT /api/app/autostart", { json: { enabled } })
              .then(setAutostart)
              .catch((error: unknown) => props.onError(error))
          }
          testId="setting-autostart"
        />
      </Show>
      <section class="flex flex-col gap-2" data-testid="settings-notifications">
        <h3 class="text-base font-semibold m-0">{t("settings.notifications.title")}</h3>
        <p class="m-0 text-xs text-muted" data-testid="notifications-status" data-status={status() ?? ""}>
          {status() === "ready"
            ? t("settings.notifications.ready")
            : status() === "no-service"
              ? t("settings.notifications.noService")
              : status() === "no-bus"
                ? t("settings.notifications.noBus")
                : "…"}
        </p>
        <Show when={desktop()?.tray === "shown" || desktop()?.tray === "no-host"}>
          <p class="m-0 text-xs text-muted" data-testid="tray-status" data-status={desktop()?.tray}>
            {desktop()?.tray === "shown" ? t("settings.tray.shown") : t("settings.tray.noHost")}
          </p>
        </Show>
        <For each={KINDS}>
          {(kind) => (
            <Toggle
              id={kind.testId}
              label={t(kind.label)}
              checked={props.settings?.[kind.key] ?? true}
              onChange={(checked) => props.update({ [kind.key]: checked })}
              testId={kind.testId}
            />
          )}
        </For>
      </section>
    </>
  );
}

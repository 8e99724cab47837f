/** Where API keys are kept: a quiet line for the OS keychain, a visible notice for the encrypted file. */
import { Show } from "solid-js";
import type { KeyStorage } from "../../../../src/shared/provider-input.ts";
import { t } from "../../i18n/index.ts";
import { LockIcon } from "../icons.tsx";

export function KeyStorageNotice(props: { storage: KeyStorage }) {
  return (
    <Show
      when={props.storage === "encrypted-file"}
      fallback={
        <p class="m-0 text-xs text-muted flex items-center gap-1" data-testid="key-storage-keychain">
          <LockIcon size={12} /> {t("settings.keys.keychain")}
        </p>
      }
    >
      <div
        role="note"
        class="rounded-md border border-warn bg-warn/10 px-3 py-2 text-sm"
        data-testid="key-storage-notice"
      >
        <p class="m-0 font-medium">{t("settings.keys.fileTitle")}</p>
        <p class="m-0 mt-0.5 text-xs">{t("settings.keys.fileBody")}</p>
      </div>
    </Show>
  );
}

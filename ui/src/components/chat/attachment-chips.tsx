/** The files attached to the message being written, each removable, and the upload in progress. */
import { For, Show } from "solid-js";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import type { Attachment } from "../../../../src/shared/client-messages.ts";
import { t } from "../../i18n/index.ts";
import { PaperclipIcon } from "../icons.tsx";

export function AttachmentChips(props: {
  attachments: Attachment[];
  /** The names being uploaded now, if any. */
  uploading: string | undefined;
  onRemove(file: Attachment): void;
}) {
  return (
    <Show when={props.attachments.length > 0 || props.uploading}>
      <div class="flex flex-wrap gap-2" data-testid="attachments">
        <For each={props.attachments}>
          {(file) => (
            <span
              class="inline-flex items-center gap-1 rounded-md border border-line bg-panel px-2 py-1 text-xs"
              data-testid="attachment-chip"
            >
              <PaperclipIcon size={12} /> {file.name} <span class="text-muted">{formatBytes(file.size)}</span>
              <button
                type="button"
                class="icon-btn w-5 h-5"
                aria-label={t("composer.removeAttachment", { name: file.name })}
                onClick={() => props.onRemove(file)}
              >
                ×
              </button>
            </span>
          )}
        </For>
        <Show when={props.uploading}>
          <span class="text-xs text-muted">{t("composer.uploading", { name: props.uploading ?? "" })}</span>
        </Show>
      </div>
    </Show>
  );
}

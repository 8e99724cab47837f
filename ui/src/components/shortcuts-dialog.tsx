/** The keyboard shortcuts, listed (opened with "?"). */
import { Dialog } from "@kobalte/core/dialog";
import { For } from "solid-js";
import { type MessageKey, t } from "../i18n/index.ts";

const SHORTCUTS: [string, MessageKey][] = [
  ["Ctrl+N", "sidebar.newChat"],
  ["Ctrl+K", "shortcuts.palette"],
  ["Enter", "composer.send"],
  ["Shift+Enter", "shortcuts.newline"],
  ["Esc", "composer.stop"],
  ["Alt+P", "shortcuts.planMode"],
  ["↑", "shortcuts.editLast"],
  ["Esc, Alt+←", "shortcuts.backToList"],
  ["?", "nav.help"],
];

export function ShortcutsDialog(props: { open: boolean; onOpenChange(open: boolean): void }) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <Dialog.Content class="card w-full max-w-sm p-6 shadow-xl bg-bg" data-testid="shortcuts-dialog">
            <Dialog.Title class="text-lg font-semibold m-0 mb-3">{t("nav.help")}</Dialog.Title>
            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm m-0">
              <For each={SHORTCUTS}>
                {([keys, label]) => (
                  <>
                    <dt>
                      <kbd class="px-1.5 py-0.5 rounded border border-line bg-panel text-xs font-mono">
                        {keys}
                      </kbd>
                    </dt>
                    <dd class="m-0">{t(label)}</dd>
                  </>
                )}
              </For>
            </dl>
            <div class="flex justify-end mt-4">
              <Dialog.CloseButton class="btn-primary">{t("common.close")}</Dialog.CloseButton>
            </div>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

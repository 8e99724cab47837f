/**
 * The first time the window is closed while a tray shows Sage's icon, the window asks here (the native
 * shell calls `window.__sageAskClose()`, see src/shell/window-mode.ts): keep Sage running in the tray,
 * or quit. The answer is stored as the `closeToTray` setting (Settings → General changes it later; the
 * question is not asked again), then given to the window through its bound `sageCloseAnswer`, which
 * hides the window or quits. Escape or Cancel leaves the window open and asks again next time.
 */
import { AlertDialog } from "@kobalte/core/alert-dialog";
import { createSignal, onCleanup, onMount } from "solid-js";
import { t } from "../i18n/index.ts";
import { call } from "../lib/api-client.ts";
import { notifyError } from "../state/toasts.ts";

type CloseAnswer = "hide" | "quit" | "cancel";

declare global {
  interface Window {
    /** Set by this component; called by the native window on its first close with a tray. */
    __sageAskClose?: () => void;
    /** Bound by the native window (webview_bind): what to do with the window now. */
    sageCloseAnswer?: (answer: CloseAnswer) => Promise<unknown>;
  }
}

export function ClosePrompt() {
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let keep!: HTMLButtonElement;

  onMount(() => {
    window.__sageAskClose = () => setOpen(true);
  });
  onCleanup(() => {
    window.__sageAskClose = undefined;
  });

  const answer = async (choice: CloseAnswer) => {
    if (choice !== "cancel") {
      setBusy(true);
      try {
        await call("PATCH /api/settings", { json: { closeToTray: choice === "hide" } });
      } catch (error) {
        notifyError((error as Error).message);
      } finally {
        setBusy(false);
      }
    }
    setOpen(false);
    await window.sageCloseAnswer?.(choice);
  };

  return (
    <AlertDialog open={open()} onOpenChange={(next) => !next && void answer("cancel")}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <AlertDialog.Content
            class="card w-full max-w-md p-5 shadow-xl bg-bg"
            data-testid="close-prompt"
            onOpenAutoFocus={(event) => {
              event.preventDefault();
              keep.focus();
            }}
          >
            <AlertDialog.Title class="text-base font-semibold m-0 mb-2">
              {t("closePrompt.title")}
            </AlertDialog.Title>
            <AlertDialog.Description as="div" class="text-sm mb-4">
              {t("closePrompt.body")}
            </AlertDialog.Description>
            <div class="flex justify-end gap-2">
              <button
                type="button"
                class="btn-ghost"
                disabled={busy()}
                onClick={() => void answer("cancel")}
                data-testid="close-prompt-cancel"
              >
                {t("common.cancel")}
              </button>
              <button
                type="button"
                class="btn-ghost"
                disabled={busy()}
                onClick={() => void answer("quit")}
                data-testid="close-prompt-quit"
              >
                {t("closePrompt.quit")}
              </button>
              <button
                type="button"
                class="btn-primary"
                ref={keep}
                disabled={busy()}
                onClick={() => void answer("hide")}
                data-testid="close-prompt-keep"
              >
                {t("closePrompt.keep")}
              </button>
            </div>
          </AlertDialog.Content>
        </div>
      </AlertDialog.Portal>
    </AlertDialog>
  );
}

/**
 * A modal question with a confirm and a cancel button (Escape cancels; focus starts on cancel, and goes
 * back to the element that had it — usually the button that opened the dialog — when it closes). Shared
 * by every page that asks before doing something (deleting an agent, a provider, a skill ...).
 */
import { AlertDialog } from "@kobalte/core/alert-dialog";
import type { JSX } from "solid-js";
import { t } from "../i18n/index.ts";

export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  description: JSX.Element;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
}) {
  let cancel!: HTMLButtonElement;
  // Opened without a Kobalte Trigger, so Kobalte has nowhere to return focus: remember it ourselves.
  let opener: HTMLElement | null = null;
  return (
    <AlertDialog open={props.open} onOpenChange={(open) => !open && props.onCancel()}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <AlertDialog.Content
            class="card w-full max-w-md p-5 shadow-xl bg-bg"
            data-testid={props.testId ?? "confirm-dialog"}
            onOpenAutoFocus={(event) => {
              event.preventDefault();
              opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
              cancel.focus();
            }}
            onCloseAutoFocus={(event) => {
              if (opener?.isConnected) {
                event.preventDefault();
                opener.focus();
              }
              opener = null;
            }}
          >
            <AlertDialog.Title class="text-base font-semibold m-0 mb-2">{props.title}</AlertDialog.Title>
            <AlertDialog.Description as="div" class="text-sm mb-4">
              {props.description}
            </AlertDialog.Description>
            <div class="flex justify-end gap-2">
              <button type="button" class="btn-ghost" ref={cancel} onClick={() => props.onCancel()}>
                {t("common.cancel")}
              </button>
              <button
                type="button"
                class={props.danger ? "btn-danger" : "btn-primary"}
                disabled={props.busy}
                onClick={() => props.onConfirm()}
                data-testid="confirm-action"
              >
                {props.confirmLabel}
              </button>
            </div>
          </AlertDialog.Content>
        </div>
      </AlertDialog.Portal>
    </AlertDialog>
  );
}

/**
 * An edited built-in with a newer shipped version: what differs (unified diff, shipped -> yours, per
 * file) and "Reset to built-in" (your copy is kept in the skills folder's .backup).
 */
import { Dialog } from "@kobalte/core/dialog";
import { createResource, For, Show } from "solid-js";
import type { SkillDiffFile } from "../../../../src/shared/skills.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { skillsApi } from "./skills-api.ts";

const CHANGE_LABELS: Record<SkillDiffFile["change"], MessageKey> = {
  added: "skills.diff.added",
  removed: "skills.diff.removed",
  modified: "skills.diff.modified",
};

function lineClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---")) return "text-muted";
  if (line.startsWith("+")) return "bg-ok/15 text-fg";
  if (line.startsWith("-")) return "bg-danger/15 text-fg";
  if (line.startsWith("@@")) return "text-accent";
  return "text-fg";
}

/** The patch's lines without the "Index:" and "===" header lines. */
function patchLines(patch: string): string[] {
  return patch.split("\n").filter((line) => !line.startsWith("Index:") && !line.startsWith("====="));
}

export function BuiltinDiffDialog(props: {
  name: string;
  open: boolean;
  onOpenChange(open: boolean): void;
  onReset(): void;
  busy?: boolean;
}) {
  const [diff] = createResource(
    () => (props.open ? props.name : undefined),
    async (name) => (await skillsApi.diff(name)).files,
  );
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <Dialog.Content
            class="card w-full max-w-4xl p-5 shadow-xl bg-bg max-h-[90vh] flex flex-col"
            data-testid="builtin-diff-dialog"
          >
            <Dialog.Title class="text-base font-semibold m-0 mb-1">
              {t("skills.diff.title", { name: props.name })}
            </Dialog.Title>
            <Dialog.Description class="text-sm text-muted mb-3">{t("skills.diff.intro")}</Dialog.Description>
            <div class="flex-1 min-h-0 overflow-y-auto flex flex-col gap-3">
              <Show when={diff.error}>
                <p class="text-sm text-danger m-0" role="alert">
                  {String(diff.error?.message ?? diff.error)}
                </p>
              </Show>
              <Show when={diff() && diff()?.length === 0}>
                <p class="text-sm text-muted m-0">{t("skills.diff.none")}</p>
              </Show>
              <For each={diff()}>
                {(file) => (
                  <section class="border border-line rounded-md overflow-hidden" data-testid="diff-file">
                    <header class="flex items-center gap-2 px-3 py-1.5 bg-panel border-b border-line text-sm">
                      <span class="font-mono">{file.path}</span>
                      <span class="text-xs text-muted">{t(CHANGE_LABELS[file.change])}</span>
                    </header>
                    <Show
                      when={!file.binary && file.patch}
                      fallback={<p class="text-xs text-muted m-0 px-3 py-2">{t("skills.diff.binary")}</p>}
                    >
                      <pre class="m-0 text-xs font-mono overflow-x-auto py-1">
                        <For each={patchLines(file.patch ?? "")}>
                          {(line) => (
                            <div class={`px-3 whitespace-pre ${lineClass(line)}`}>{line || " "}</div>
                          )}
                        </For>
                      </pre>
                    </Show>
                  </section>
                )}
              </For>
            </div>
            <div class="flex justify-end gap-2 mt-4">
              <Dialog.CloseButton class="btn-ghost">{t("skills.diff.keepMine")}</Dialog.CloseButton>
              <button
                type="button"
                class="btn-danger"
                disabled={props.busy}
                onClick={() => props.onReset()}
                data-testid="diff-reset"
              >
                {t("skills.action.reset")}
              </button>
            </div>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

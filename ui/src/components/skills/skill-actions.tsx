/**
 * A skill's actions: export as .zip, "new version available" (diff + reset) for an edited built-in,
 * reset to built-in, delete. Destructive actions ask first.
 */
import { createSignal, Show } from "solid-js";
import type { SkillEntry } from "../../../../src/shared/skills.ts";
import { t } from "../../i18n/index.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { ConfirmDialog } from "../confirm-dialog.tsx";
import { BuiltinDiffDialog } from "./builtin-diff-dialog.tsx";
import { errorText, skillsApi } from "./skills-api.ts";
import { reloadSkillsAndAgents, setDirty, updateEntry } from "./skills-store.ts";

export function SkillActions(props: { skill: SkillEntry; onDeleted(): void; onChanged(): void }) {
  const [confirm, setConfirm] = createSignal<"delete" | "reset">();
  const [diffOpen, setDiffOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const exportZip = () => skillsApi.exportZip(props.skill.name);

  const remove = async () => {
    setBusy(true);
    try {
      await skillsApi.remove(props.skill.name);
      setDirty(false);
      setConfirm(undefined);
      notify(t("skills.deleted", { name: props.skill.name }));
      await reloadSkillsAndAgents();
      props.onDeleted();
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    setBusy(true);
    try {
      const entry = await skillsApi.reset(props.skill.name);
      setDirty(false);
      setConfirm(undefined);
      setDiffOpen(false);
      updateEntry(entry);
      notify(t("skills.resetDone", { name: props.skill.name }));
      props.onChanged();
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="flex items-center gap-2 flex-wrap">
      <span class="text-xs rounded-full border border-line px-2 py-0.5 text-muted" data-testid="skill-source">
        {t(`skills.source.${props.skill.source}`)}
      </span>
      <Show when={props.skill.builtinUpdate}>
        <button
          type="button"
          class="btn-ghost border border-accent text-accent"
          onClick={() => setDiffOpen(true)}
          data-testid="skill-show-update"
        >
          {t("skills.action.update")}
        </button>
      </Show>
      <button
        type="button"
        class="btn-ghost border border-line"
        onClick={() => void exportZip()}
        data-testid="skill-export"
      >
        {t("skills.action.export")}
      </button>
      <Show when={props.skill.resettable}>
        <button
          type="button"
          class="btn-ghost border border-line"
          onClick={() => setConfirm("reset")}
          data-testid="skill-reset"
        >
          {t("skills.action.reset")}
        </button>
      </Show>
      <button
        type="button"
        class="btn-ghost border border-danger/60 text-danger"
        onClick={() => setConfirm("delete")}
        data-testid="skill-delete"
      >
        {t("skills.action.delete")}
      </button>

      <ConfirmDialog
        open={confirm() === "delete"}
        title={t("skills.deleteTitle", { name: props.skill.name })}
        description={
          <>
            <p class="m-0 mb-2">{t("skills.deleteBody")}</p>
            <Show when={props.skill.resettable}>
              <p class="m-0 text-muted">{t("skills.deleteBuiltinBody")}</p>
            </Show>
          </>
        }
        confirmLabel={t("skills.action.delete")}
        danger
        busy={busy()}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => void remove()}
        testId="confirm-delete"
      />
      <ConfirmDialog
        open={confirm() === "reset"}
        title={t("skills.resetTitle", { name: props.skill.name })}
        description={t("skills.resetBody")}
        confirmLabel={t("skills.action.reset")}
        danger
        busy={busy()}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() => void reset()}
        testId="confirm-reset"
      />
      <BuiltinDiffDialog
        name={props.skill.name}
        open={diffOpen()}
        onOpenChange={setDiffOpen}
        onReset={() => void reset()}
        busy={busy()}
      />
    </div>
  );
}

/**
 * "New skill": name (checked as typed: lowercase letters, digits, single hyphens, at most 64), what the
 * skill is for, and a template. The server checks again and answers name clashes.
 */
import { Dialog } from "@kobalte/core/dialog";
import { createSignal, For, Show } from "solid-js";
import { SKILL_TEMPLATES, type SkillEntry, type SkillTemplate } from "../../../../src/shared/skills.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";
import { errorText, skillsApi } from "./skills-api.ts";

const NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const NAME_MAX = 64;

function nameHint(name: string): MessageKey | undefined {
  if (name === "") return undefined;
  if (name.length > NAME_MAX) return "skills.create.nameTooLong";
  if (!NAME_PATTERN.test(name)) return "skills.create.nameRule";
  return undefined;
}

const TEMPLATE_LABELS: Record<SkillTemplate, { title: MessageKey; detail: MessageKey }> = {
  basic: { title: "skills.template.basic", detail: "skills.template.basicDetail" },
  script: { title: "skills.template.script", detail: "skills.template.scriptDetail" },
};

export function CreateSkillDialog(props: {
  open: boolean;
  onOpenChange(open: boolean): void;
  onCreated(entry: SkillEntry): void;
}) {
  const [name, setName] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [template, setTemplate] = createSignal<SkillTemplate>("basic");
  const [error, setError] = createSignal<{ text: string; field?: string }>();
  const [busy, setBusy] = createSignal(false);

  const reset = () => {
    setName("");
    setDescription("");
    setTemplate("basic");
    setError(undefined);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (nameHint(name()) || name() === "" || description().trim() === "") return;
    setBusy(true);
    setError(undefined);
    try {
      const entry = await skillsApi.create({
        name: name(),
        description: description(),
        template: template(),
      });
      reset();
      props.onCreated(entry);
    } catch (caught) {
      setError({ text: errorText(caught), field: caught instanceof ApiError ? caught.field : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onOpenChange={(open) => {
        if (!open) reset();
        props.onOpenChange(open);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <Dialog.Content class="card w-full max-w-lg p-5 shadow-xl bg-bg" data-testid="create-skill-dialog">
            <Dialog.Title class="text-base font-semibold m-0 mb-1">{t("skills.create.title")}</Dialog.Title>
            <Dialog.Description class="text-sm text-muted mb-4">
              {t("skills.create.intro")}
            </Dialog.Description>
            <form class="flex flex-col gap-4" onSubmit={submit}>
              <div>
                <label class="block text-sm font-medium mb-1" for="new-skill-name">
                  {t("skills.create.name")}
                </label>
                <input
                  id="new-skill-name"
                  class="input font-mono"
                  value={name()}
                  maxLength={NAME_MAX + 10}
                  autocomplete="off"
                  spellcheck={false}
                  placeholder="pdf-forms"
                  aria-invalid={!!nameHint(name()) || error()?.field === "name"}
                  aria-describedby="new-skill-name-hint"
                  onInput={(event) => setName(event.currentTarget.value)}
                  data-testid="new-skill-name"
                />
                <p
                  id="new-skill-name-hint"
                  class={`text-xs mt-1 mb-0 ${nameHint(name()) ? "text-danger" : "text-muted"}`}
                >
                  {t(nameHint(name()) ?? "skills.create.nameRule")}
                </p>
              </div>
              <div>
                <label class="block text-sm font-medium mb-1" for="new-skill-description">
                  {t("skills.create.description")}
                </label>
                <textarea
                  id="new-skill-description"
                  class="input min-h-20"
                  maxLength={1024}
                  value={description()}
                  placeholder={t("skills.create.descriptionPlaceholder")}
                  onInput={(event) => setDescription(event.currentTarget.value)}
                  data-testid="new-skill-description"
                />
              </div>
              <fieldset class="border-0 p-0 m-0">
                <legend class="text-sm font-medium mb-1">{t("skills.create.template")}</legend>
                <div class="flex flex-col gap-2">
                  <For each={SKILL_TEMPLATES}>
                    {(id) => (
                      <label class="flex items-start gap-2 text-sm cursor-pointer">
                        <input
                          type="radio"
                          name="skill-template"
                          value={id}
                          checked={template() === id}
                          onChange={() => setTemplate(id)}
                          data-testid={`new-skill-template-${id}`}
                        />
                        <span>
                          <span class="font-medium">{t(TEMPLATE_LABELS[id].title)}</span>
                          <span class="block text-xs text-muted">{t(TEMPLATE_LABELS[id].detail)}</span>
                        </span>
                      </label>
                    )}
                  </For>
                </div>
              </fieldset>
              <Show when={error()}>
                {(shown) => (
                  <p class="text-sm text-danger m-0" role="alert" data-testid="create-skill-error">
                    {shown().text}
                  </p>
                )}
              </Show>
              <div class="flex justify-end gap-2">
                <Dialog.CloseButton class="btn-ghost" type="button">
                  {t("skills.cancel")}
                </Dialog.CloseButton>
                <button
                  type="submit"
                  class="btn-primary"
                  disabled={busy() || name() === "" || !!nameHint(name()) || description().trim() === ""}
                  data-testid="create-skill-submit"
                >
                  {t("skills.create.submit")}
                </button>
              </div>
            </form>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

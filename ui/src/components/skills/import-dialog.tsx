/**
 * "Import skills": a .zip or .skill (file picker or drag and drop), a folder, .zip or .skill path on this
 * computer, or skills found in other tools' folders (~/.claude/skills, ~/.agents/skills), several at once.
 * Each attempt gets a result line; a name clash offers "Replace".
 */
import { Dialog } from "@kobalte/core/dialog";
import { createResource, createSignal, For, Show } from "solid-js";
import type { SkillImportResponse } from "../../../../src/shared/skills.ts";
import { chooseFiles } from "../../actions/open-files.ts";
import { t } from "../../i18n/index.ts";
import { errorText, isNameTaken, skillsApi } from "./skills-api.ts";
import { reloadSkills } from "./skills-store.ts";

interface ImportResult {
  id: number;
  label: string;
  ok: boolean;
  text: string;
  /** Present when the name was taken: run the same import with overwrite. */
  replace?: () => Promise<SkillImportResponse>;
  name?: string;
}

let nextResultId = 1;

export function ImportDialog(props: {
  open: boolean;
  onOpenChange(open: boolean): void;
  onImported(name: string): void;
}) {
  const [results, setResults] = createSignal<ImportResult[]>([]);
  const [path, setPath] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [dragging, setDragging] = createSignal(false);
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [sources, { refetch }] = createResource(
    () => props.open,
    async () => (await skillsApi.sources()).sources,
  );
  let fileInput!: HTMLInputElement;

  const run = async (label: string, attempt: (overwrite: boolean) => Promise<SkillImportResponse>) => {
    setBusy(true);
    const id = nextResultId++;
    try {
      const done = await attempt(false);
      setResults((list) => [...list, success(id, label, done)]);
      await reloadSkills();
      props.onImported(done.name);
    } catch (error) {
      const result: ImportResult = { id, label, ok: false, text: errorText(error) };
      if (isNameTaken(error)) result.replace = () => attempt(true);
      setResults((list) => [...list, result]);
    } finally {
      setBusy(false);
    }
  };

  const replace = async (result: ImportResult) => {
    if (!result.replace) return;
    setBusy(true);
    try {
      const done = await result.replace();
      setResults((list) =>
        list.map((item) => (item.id === result.id ? success(result.id, result.label, done) : item)),
      );
      await reloadSkills();
      props.onImported(done.name);
    } catch (error) {
      setResults((list) =>
        list.map((item) =>
          item.id === result.id ? { ...item, text: errorText(error), replace: undefined } : item,
        ),
      );
    } finally {
      setBusy(false);
    }
  };

  const importFiles = async (files: FileList | File[] | null | undefined) => {
    for (const file of files ?? []) await run(file.name, (overwrite) => skillsApi.importZip(file, overwrite));
  };

  const importSelected = async () => {
    for (const folder of selected())
      await run(folder, (overwrite) => skillsApi.importPath(folder, overwrite));
    setSelected(new Set<string>());
    await refetch();
  };

  const toggle = (path: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(path);
    else next.delete(path);
    setSelected(next);
  };

  return (
    <Dialog
      open={props.open}
      onOpenChange={(open) => {
        if (!open) {
          setResults([]);
          setSelected(new Set<string>());
        }
        props.onOpenChange(open);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <Dialog.Content
            class="card w-full max-w-xl p-5 shadow-xl bg-bg max-h-[90vh] overflow-y-auto"
            data-testid="import-dialog"
          >
            <Dialog.Title class="text-base font-semibold m-0 mb-4">{t("skills.import.title")}</Dialog.Title>

            <section class="mb-5">
              <h3 class="text-sm font-semibold m-0 mb-2">{t("skills.import.zipHeading")}</h3>
              <div
                class={`rounded-lg border-2 border-dashed p-5 text-center text-sm ${
                  dragging() ? "border-accent bg-accent/10" : "border-line"
                }`}
                onDragOver={(event) => {
                  event.preventDefault();
                  setDragging(true);
                }}
                onDragLeave={() => setDragging(false)}
                onDrop={(event) => {
                  event.preventDefault();
                  setDragging(false);
                  void importFiles(event.dataTransfer?.files);
                }}
                data-testid="import-drop-zone"
              >
                <p class="m-0 mb-2 text-muted">{t("skills.import.dropHere")}</p>
                <button
                  type="button"
                  class="btn-ghost border border-line"
                  onClick={() =>
                    void chooseFiles(
                      fileInput,
                      {
                        title: t("skills.import.chooseZip"),
                        multiple: true,
                        filters: [{ name: "Skill packages", patterns: ["*.zip", "*.skill"] }],
                      },
                      (files) => void importFiles(files),
                    )
                  }
                >
                  {t("skills.import.chooseZip")}
                </button>
                <input
                  ref={fileInput}
                  type="file"
                  accept=".zip,.skill,application/zip"
                  multiple
                  class="sr-only"
                  tabIndex={-1}
                  aria-label={t("skills.import.chooseZip")}
                  onChange={(event) => {
                    const files = [...(event.currentTarget.files ?? [])];
                    event.currentTarget.value = "";
                    void importFiles(files);
                  }}
                  data-testid="import-zip-input"
                />
              </div>
            </section>

            <section class="mb-5">
              <h3 class="text-sm font-semibold m-0 mb-2">
                <label for="import-path">{t("skills.import.pathHeading")}</label>
              </h3>
              <form
                class="flex gap-2"
                onSubmit={(event) => {
                  event.preventDefault();
                  const value = path().trim();
                  if (value === "") return;
                  void run(value, (overwrite) => skillsApi.importPath(value, overwrite)).then(() =>
                    setPath(""),
                  );
                }}
              >
                <input
                  id="import-path"
                  class="input font-mono"
                  placeholder="/home/me/skills/my-skill"
                  value={path()}
                  onInput={(event) => setPath(event.currentTarget.value)}
                  data-testid="import-path"
                />
                <button type="submit" class="btn-primary shrink-0" disabled={busy() || path().trim() === ""}>
                  {t("skills.import.importButton")}
                </button>
              </form>
              <p class="text-xs text-muted mt-1 mb-0">{t("skills.import.pathHint")}</p>
            </section>

            <section class="mb-4">
              <h3 class="text-sm font-semibold m-0 mb-2">{t("skills.import.otherTools")}</h3>
              <Show
                when={!sources.loading}
                fallback={<p class="text-sm text-muted m-0">{t("skills.loading")}</p>}
              >
                <Show
                  when={(sources() ?? []).length > 0}
                  fallback={<p class="text-sm text-muted m-0">{t("skills.import.noOtherTools")}</p>}
                >
                  <For each={sources()}>
                    {(source) => (
                      <fieldset class="border border-line rounded-md p-2 mb-2">
                        <legend class="text-xs text-muted px-1">{source.label}</legend>
                        <Show
                          when={source.skills.length > 0}
                          fallback={<p class="text-sm text-muted m-0">{t("skills.import.folderEmpty")}</p>}
                        >
                          <ul class="m-0 p-0 list-none flex flex-col gap-1">
                            <For each={source.skills}>
                              {(candidate) => (
                                <li class="text-sm">
                                  <label class="flex items-start gap-2 cursor-pointer">
                                    <input
                                      type="checkbox"
                                      checked={selected().has(candidate.path)}
                                      onChange={(event) =>
                                        toggle(candidate.path, event.currentTarget.checked)
                                      }
                                      data-testid={`import-candidate-${candidate.folder}`}
                                    />
                                    <span class="min-w-0">
                                      <span class="font-medium">{candidate.name}</span>
                                      <Show when={candidate.installed}>
                                        <span class="ml-2 text-xs text-muted">
                                          {t("skills.import.installed")}
                                        </span>
                                      </Show>
                                      <span class="block text-xs text-muted truncate">
                                        {candidate.description}
                                      </span>
                                      <For
                                        each={candidate.problems.filter(
                                          (problem) => problem.severity === "error",
                                        )}
                                      >
                                        {(problem) => (
                                          <span class="block text-xs text-danger">
                                            {problem.file}: {problem.message}
                                          </span>
                                        )}
                                      </For>
                                    </span>
                                  </label>
                                </li>
                              )}
                            </For>
                          </ul>
                        </Show>
                      </fieldset>
                    )}
                  </For>
                  <button
                    type="button"
                    class="btn-primary"
                    disabled={busy() || selected().size === 0}
                    onClick={() => void importSelected()}
                    data-testid="import-selected"
                  >
                    {t("skills.import.importSelected", { count: selected().size })}
                  </button>
                </Show>
              </Show>
            </section>

            <Show when={results().length > 0}>
              <ul
                class="m-0 p-0 list-none flex flex-col gap-1 mb-4"
                aria-live="polite"
                data-testid="import-results"
              >
                <For each={results()}>
                  {(result) => (
                    <li
                      class={`text-sm rounded-md px-3 py-2 border ${
                        result.ok ? "border-ok/40 bg-ok/10" : "border-danger/50 bg-danger/10"
                      }`}
                      data-testid="import-result"
                      data-ok={result.ok ? "true" : "false"}
                    >
                      <span class="font-mono text-xs">{result.label}</span>
                      <span class="block">{result.text}</span>
                      <Show when={result.replace}>
                        <button
                          type="button"
                          class="btn-danger mt-1"
                          disabled={busy()}
                          onClick={() => void replace(result)}
                          data-testid="import-replace"
                        >
                          {t("skills.import.replace")}
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>

            <div class="flex justify-end">
              <Dialog.CloseButton class="btn-ghost" data-testid="import-close">
                {t("skills.close")}
              </Dialog.CloseButton>
            </div>
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

function success(id: number, label: string, done: SkillImportResponse): ImportResult {
  const text = done.replaced
    ? t("skills.import.replaced", { name: done.name })
    : t("skills.import.done", { name: done.name });
  const warnings = done.warnings.map((warning) => warning.message).join("; ");
  return {
    id,
    label,
    ok: true,
    name: done.name,
    text: warnings ? `${text} ${t("skills.import.warnings", { warnings })}` : text,
  };
}

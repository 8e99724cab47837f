/**
 * One skill: its header and actions (export, reset to built-in, delete), its problems, the agents that
 * use it, its files, and an editor with a live Markdown preview for `.md` files. Ctrl/Cmd+S saves;
 * switching files with unsaved changes asks first (see skills-store `guardUnsaved`).
 */
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  on,
  onCleanup,
  onMount,
  Show,
} from "solid-js";
import { t } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { ConfirmDialog } from "../confirm-dialog.tsx";
import { Markdown } from "../markdown/markdown.tsx";
import { AgentToggles } from "./agent-toggles.tsx";
import { SkillActions } from "./skill-actions.tsx";
import { SkillEditor } from "./skill-editor.tsx";
import { SkillProblems } from "./skill-problems.tsx";
import { errorText, skillsApi } from "./skills-api.ts";
import { dirty, entryByName, guardUnsaved, setDirty, updateEntry } from "./skills-store.ts";

const SKILL_FILE = "SKILL.md";

/** Show SKILL.md's frontmatter as a YAML code block above the rendered body. */
export function previewSource(path: string, text: string): string {
  if (path !== SKILL_FILE) return text;
  const match = /^\uFEFF?\s*---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!match) return text;
  return `\`\`\`yaml\n${match[1]}\n\`\`\`\n\n${text.slice(match[0].length)}`;
}

export function SkillDetail(props: { name: string; onDeleted(): void }) {
  const entry = createMemo(() => entryByName(props.name));
  const [detail, { refetch }] = createResource(() => props.name, skillsApi.detail);
  const [path, setPath] = createSignal<string>();
  const [saved, setSaved] = createSignal("");
  const [draft, setDraft] = createSignal("");
  const [fileError, setFileError] = createSignal<string>();
  const [saving, setSaving] = createSignal(false);
  const [preview, setPreview] = createSignal(true);
  const [newFile, setNewFile] = createSignal<string>();
  const [fileToDelete, setFileToDelete] = createSignal<string>();
  /** Bumped when the folder changed behind the editor (reset to built-in): re-read the open file. */
  const [reloads, setReloads] = createSignal(0);

  const files = () => detail()?.files ?? [];
  const current = () => files().find((file) => file.path === path());
  const isMarkdown = () => (path() ?? "").toLowerCase().endsWith(".md");

  // Open SKILL.md (or the first editable file) whenever another skill is shown.
  createEffect(
    on(
      () => detail()?.skill.name,
      () => {
        const list = files();
        const first = list.find((file) => file.path === SKILL_FILE) ?? list.find((file) => file.editable);
        setPath(first?.path);
      },
    ),
  );

  createEffect(
    on([() => detail()?.skill.name, path, reloads], async ([name, file]) => {
      setFileError(undefined);
      setSaved("");
      setDraft("");
      if (!name || !file) return;
      const info = files().find((candidate) => candidate.path === file);
      if (info && !info.editable) return;
      try {
        const content = await skillsApi.readFile(name, file);
        if (name !== detail()?.skill.name || file !== path()) return;
        setSaved(content.text);
        setDraft(content.text);
      } catch (error) {
        setFileError(errorText(error));
      }
    }),
  );

  createEffect(() => setDirty(draft() !== saved()));

  const save = async () => {
    const file = path();
    if (!file || saving() || !dirty()) return;
    setSaving(true);
    const text = draft();
    try {
      const result = await skillsApi.writeFile(props.name, file, text);
      setSaved(text);
      updateEntry(result.skill);
      notify(t("skills.saved", { path: file }));
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setSaving(false);
    }
  };

  // Ctrl/Cmd+S saves wherever the focus is on the page (the editor handles it itself too).
  const onWindowKey = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && !event.defaultPrevented) {
      event.preventDefault();
      void save();
    }
  };
  onMount(() => window.addEventListener("keydown", onWindowKey));
  onCleanup(() => window.removeEventListener("keydown", onWindowKey));

  const openFile = (file: string) => guardUnsaved(() => setPath(file));

  const createFile = async (event: Event) => {
    event.preventDefault();
    const file = (newFile() ?? "").trim().replace(/^\/+/, "");
    if (file === "") return;
    try {
      const result = await skillsApi.writeFile(props.name, file, "");
      updateEntry(result.skill);
      setNewFile(undefined);
      await refetch();
      setPath(file);
    } catch (error) {
      notifyError(errorText(error));
    }
  };

  const deleteFile = async (file: string) => {
    try {
      updateEntry(await skillsApi.deleteFile(props.name, file));
      await refetch();
      if (path() === file) {
        setSaved("");
        setDraft("");
        setPath(SKILL_FILE);
      }
    } catch (error) {
      notifyError(errorText(error));
    }
  };

  return (
    <div class="flex-1 min-w-0 min-h-0 flex flex-col" data-testid="skill-detail">
      <Show
        when={!(detail.error instanceof ApiError && detail.error.status === 404)}
        fallback={
          <p class="p-6 text-muted" data-testid="skill-missing">
            {t("skills.missing", { name: props.name })}
          </p>
        }
      >
        <header class="px-5 pt-4 pb-3 border-b border-line flex flex-col gap-3">
          <div class="flex items-start gap-3 flex-wrap">
            <div class="min-w-64 flex-1">
              <h2 class="text-lg font-semibold m-0 font-mono break-all" data-testid="skill-title">
                {props.name}
              </h2>
              <p class="text-sm text-muted m-0 mt-0.5 line-clamp-3" title={entry()?.description}>
                {entry()?.description}
              </p>
            </div>
            <Show when={entry()}>
              {(shown) => (
                <SkillActions
                  skill={shown()}
                  onDeleted={props.onDeleted}
                  onChanged={() => {
                    void refetch();
                    setReloads((count) => count + 1);
                  }}
                />
              )}
            </Show>
          </div>
          <Show when={entry()}>
            {(shown) => (
              <>
                <SkillProblems problems={shown().problems} onOpenFile={openFile} />
                <AgentToggles skill={shown()} />
              </>
            )}
          </Show>
        </header>

        {/* Below 768 px the files go above the editor, and the preview under it: side by side, each
            got a sliver of a narrow window. */}
        <div class="flex-1 min-h-0 flex lt-md:flex-col">
          <nav
            class="w-52 shrink-0 border-r border-line overflow-y-auto p-2 lt-md:w-auto lt-md:max-h-32 lt-md:border-r-0 lt-md:border-b"
            aria-label={t("skills.files.title")}
          >
            <h3 class="text-xs font-semibold uppercase tracking-wide text-muted px-1 my-1">
              {t("skills.files.title")}
            </h3>
            <ul class="m-0 p-0 list-none flex flex-col gap-0.5" data-testid="skill-files">
              <For each={files()}>
                {(file) => (
                  <li class="group flex items-center">
                    <button
                      type="button"
                      class={`flex-1 min-w-0 text-left font-mono text-xs px-2 py-1 rounded border-0 cursor-pointer truncate ${
                        path() === file.path
                          ? "bg-raised text-fg"
                          : "bg-transparent text-muted hover:bg-raised"
                      }`}
                      aria-current={path() === file.path ? "true" : undefined}
                      title={file.path}
                      onClick={() => openFile(file.path)}
                      data-testid={`skill-file-${file.path}`}
                    >
                      {file.path}
                    </button>
                    <Show when={file.path !== SKILL_FILE}>
                      <button
                        type="button"
                        class="icon-btn w-6 h-6 opacity-0 group-hover:opacity-100 focus-visible:opacity-100"
                        aria-label={t("skills.files.delete", { path: file.path })}
                        onClick={() => setFileToDelete(file.path)}
                        data-testid={`skill-delete-file-${file.path}`}
                      >
                        ×
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
            <Show when={detail()?.filesTruncated}>
              <p class="text-xs text-muted px-1">{t("skills.files.truncated")}</p>
            </Show>
            <Show
              when={newFile() !== undefined}
              fallback={
                <button
                  type="button"
                  class="btn-ghost text-xs mt-2 w-full"
                  onClick={() => setNewFile("")}
                  data-testid="skill-new-file"
                >
                  {t("skills.files.new")}
                </button>
              }
            >
              <form class="mt-2 flex flex-col gap-1" onSubmit={createFile}>
                <label class="sr-only" for="skill-new-file-path">
                  {t("skills.files.newPath")}
                </label>
                <input
                  id="skill-new-file-path"
                  class="input font-mono text-xs py-1"
                  placeholder="references/notes.md"
                  value={newFile() ?? ""}
                  onInput={(event) => setNewFile(event.currentTarget.value)}
                  onKeyDown={(event) => event.key === "Escape" && setNewFile(undefined)}
                  ref={(element) => queueMicrotask(() => element.focus())}
                />
                <button type="submit" class="btn-primary text-xs py-1">
                  {t("skills.files.create")}
                </button>
              </form>
            </Show>
          </nav>

          <section class="flex-1 min-w-0 min-h-0 flex flex-col p-3 gap-2">
            <div class="flex items-center gap-2">
              <span class="font-mono text-sm truncate" data-testid="skill-current-file">
                {path() ?? ""}
              </span>
              <Show when={dirty()}>
                <span class="text-xs text-warn" data-testid="skill-unsaved">
                  {t("skills.unsaved")}
                </span>
              </Show>
              <div class="ml-auto flex items-center gap-2">
                <Show when={isMarkdown()}>
                  <label class="flex items-center gap-1 text-sm text-muted cursor-pointer">
                    <input
                      type="checkbox"
                      checked={preview()}
                      onChange={(event) => setPreview(event.currentTarget.checked)}
                      data-testid="skill-preview-toggle"
                    />
                    {t("skills.preview")}
                  </label>
                </Show>
                <button
                  type="button"
                  class="btn-primary"
                  disabled={!dirty() || saving()}
                  onClick={() => void save()}
                  title={t("skills.saveShortcut")}
                  data-testid="skill-save"
                >
                  {t("skills.save")}
                </button>
              </div>
            </div>
            <Show when={fileError()}>
              <p class="text-sm text-danger m-0" role="alert">
                {fileError()}
              </p>
            </Show>
            <Show
              when={current()?.editable !== false}
              fallback={<p class="text-sm text-muted">{t("skills.files.notText")}</p>}
            >
              <div class="flex-1 min-h-0 flex gap-3 lt-md:flex-col">
                <SkillEditor
                  value={draft()}
                  onInput={setDraft}
                  onSave={() => void save()}
                  label={t("skills.editorLabel", { path: path() ?? "" })}
                />
                <Show when={isMarkdown() && preview()}>
                  <section
                    class="flex-1 min-w-0 min-h-0 overflow-y-auto border border-line rounded-md p-4 bg-panel"
                    aria-label={t("skills.preview")}
                    data-testid="skill-preview"
                  >
                    <Markdown text={previewSource(path() ?? "", draft())} />
                  </section>
                </Show>
              </div>
            </Show>
          </section>
        </div>
      </Show>
      <ConfirmDialog
        open={fileToDelete() !== undefined}
        title={t("skills.files.deleteTitle")}
        description={t("skills.files.deleteConfirm", { path: fileToDelete() ?? "" })}
        confirmLabel={t("skills.action.delete")}
        danger
        onCancel={() => setFileToDelete(undefined)}
        onConfirm={() => {
          const file = fileToDelete();
          setFileToDelete(undefined);
          if (file) void deleteFile(file);
        }}
      />
    </div>
  );
}

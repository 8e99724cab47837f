/**
 * The skill library (/skills and /skills/:name): the list (search, grouped by source, problems inline)
 * and the chosen skill, side by side or, in a narrow window, one at a time with a Back control
 * (components/layout/list-detail.tsx). New skill, import (.zip or .skill by picker or by dropping it
 * anywhere on the page, a path, other tools' folders), restore deleted built-ins. Leaving an edited
 * file (another file or skill, an in-app link, closing the window) asks first.
 */
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { isSkillArchiveName } from "../../../src/shared/skills.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { DrawerButton } from "../components/layout/drawer-button.tsx";
import { ListDetail } from "../components/layout/list-detail.tsx";
import { CreateSkillDialog } from "../components/skills/create-skill-dialog.tsx";
import { ImportDialog } from "../components/skills/import-dialog.tsx";
import { SkillDetail } from "../components/skills/skill-detail.tsx";
import { SkillList } from "../components/skills/skill-list.tsx";
import { SkillProblems } from "../components/skills/skill-problems.tsx";
import { errorText, isNameTaken, skillsApi } from "../components/skills/skills-api.ts";
import {
  cancelDiscard,
  confirmDiscard,
  dirty,
  guardUnsaved,
  listing,
  pendingDiscard,
  reloadSkills,
  setDirty,
} from "../components/skills/skills-store.ts";
import { t } from "../i18n/index.ts";
import { navigate } from "../lib/router.ts";
import { notify, notifyError } from "../state/toasts.ts";

function skillPath(name: string): string {
  return `/skills/${encodeURIComponent(name)}`;
}

/** Import dropped .zip files, reporting through toasts (a name clash offers "Replace"). */
async function importDropped(files: File[]): Promise<void> {
  for (const file of files) {
    if (!isSkillArchiveName(file.name)) {
      notifyError(t("skills.import.notZip", { name: file.name }));
      continue;
    }
    try {
      const done = await skillsApi.importZip(file);
      notify(t("skills.import.done", { name: done.name }));
    } catch (error) {
      if (!isNameTaken(error)) {
        notifyError(errorText(error));
        continue;
      }
      notify(errorText(error), {
        kind: "error",
        action: {
          label: t("skills.import.replace"),
          run: () =>
            void skillsApi
              .importZip(file, true)
              .then((done) => {
                notify(t("skills.import.replaced", { name: done.name }));
                return reloadSkills();
              })
              .catch((failure) => notifyError(errorText(failure))),
        },
      });
    }
  }
  await reloadSkills();
}

export function SkillsPage(props: { section?: string }) {
  const [createOpen, setCreateOpen] = createSignal(false);
  const [importOpen, setImportOpen] = createSignal(false);
  const [dropping, setDropping] = createSignal(false);

  const open = (name: string) => guardUnsaved(() => navigate(skillPath(name)));

  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (!dirty()) return;
    event.preventDefault();
    event.returnValue = "";
  };
  /** In-app links elsewhere (sidebar ...) would drop unsaved edits: ask first. */
  const guardLinks = (event: MouseEvent) => {
    if (!dirty() || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) return;
    const link = (event.target as HTMLElement | null)?.closest?.("a[href]");
    const href = link?.getAttribute("href");
    if (!href?.startsWith("/") || href === location.pathname) return;
    event.preventDefault();
    event.stopPropagation();
    guardUnsaved(() => navigate(href));
  };

  onMount(() => {
    void reloadSkills();
    window.addEventListener("beforeunload", beforeUnload);
    document.addEventListener("click", guardLinks, true);
  });
  onCleanup(() => {
    window.removeEventListener("beforeunload", beforeUnload);
    document.removeEventListener("click", guardLinks, true);
    setDirty(false);
    cancelDiscard();
  });

  const restore = async (name: string) => {
    try {
      await skillsApi.reset(name);
      await reloadSkills();
      notify(t("skills.restored", { name }));
      open(name);
    } catch (error) {
      notifyError(errorText(error));
    }
  };

  return (
    <ListDetail
      testId="skills-page"
      listLabel={t("skills.title")}
      showDetail={props.section !== undefined}
      onBack={() => guardUnsaved(() => navigate("/skills"))}
      detailClass="flex-1 min-w-0 min-h-0 flex flex-col"
      rootProps={{
        onDragOver: (event) => {
          if (!event.dataTransfer?.types.includes("Files")) return;
          event.preventDefault();
          setDropping(true);
        },
        onDragLeave: (event) => {
          if (event.currentTarget === event.target) setDropping(false);
        },
        onDrop: (event) => {
          if (!event.dataTransfer?.files.length || importOpen()) return;
          event.preventDefault();
          setDropping(false);
          void importDropped([...event.dataTransfer.files]);
        },
      }}
      list={
        <>
          <div class="px-3 pt-3 flex items-center gap-2">
            <DrawerButton />
            <h1 class="text-base font-semibold m-0 flex-1">{t("skills.title")}</h1>
            <button
              type="button"
              class="btn-ghost border border-line"
              onClick={() => setImportOpen(true)}
              data-testid="skills-import"
            >
              {t("skills.action.import")}
            </button>
            <button
              type="button"
              class="btn-primary"
              onClick={() => setCreateOpen(true)}
              data-testid="skills-new"
            >
              {t("skills.action.new")}
            </button>
          </div>
          <div class="flex-1 min-h-0">
            <SkillList selected={props.section} onOpen={open} />
          </div>
          <Show when={listing.data.deletedBuiltins.length > 0}>
            <section class="border-t border-line p-3" data-testid="deleted-builtins">
              <h2 class="text-xs font-semibold uppercase tracking-wide text-muted m-0 mb-1">
                {t("skills.deletedBuiltins")}
              </h2>
              <ul class="m-0 p-0 list-none flex flex-col gap-1">
                <For each={listing.data.deletedBuiltins}>
                  {(name) => (
                    <li class="flex items-center gap-2 text-sm">
                      <span class="font-mono flex-1 truncate">{name}</span>
                      <button
                        type="button"
                        class="btn-ghost text-xs py-0.5"
                        onClick={() => void restore(name)}
                        data-testid={`restore-${name}`}
                      >
                        {t("skills.action.restore")}
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </>
      }
      detail={
        <Show
          when={props.section}
          keyed
          fallback={
            <section class="flex-1 min-w-0 p-8 overflow-y-auto">
              <h2 class="text-lg font-semibold m-0 mb-2">{t("skills.intro.title")}</h2>
              <p class="text-sm text-muted max-w-prose">{t("skills.intro.body")}</p>
              <p class="text-sm text-muted">
                {t("skills.intro.folder")} <code class="font-mono text-xs">{listing.data.skillsDir}</code>
              </p>
              <Show when={listing.error}>
                <p class="text-sm text-danger" role="alert">
                  {listing.error}
                </p>
              </Show>
              <SkillProblems problems={listing.data.problems} />
            </section>
          }
        >
          {(name) => <SkillDetail name={name} onDeleted={() => navigate("/skills")} />}
        </Show>
      }
    >
      <Show when={dropping() && !importOpen()}>
        <div class="absolute inset-0 z-30 grid place-items-center bg-accent/10 border-2 border-dashed border-accent pointer-events-none">
          <p class="text-base font-medium">{t("skills.import.dropPage")}</p>
        </div>
      </Show>

      <CreateSkillDialog
        open={createOpen()}
        onOpenChange={setCreateOpen}
        onCreated={(entry) => {
          setCreateOpen(false);
          void reloadSkills().then(() => open(entry.name));
        }}
      />
      <ImportDialog
        open={importOpen()}
        onOpenChange={setImportOpen}
        onImported={(name) => {
          if (!props.section) open(name);
        }}
      />
      <ConfirmDialog
        open={pendingDiscard() !== undefined}
        title={t("skills.discard.title")}
        description={t("skills.discard.body")}
        confirmLabel={t("skills.discard.confirm")}
        danger
        onCancel={cancelDiscard}
        onConfirm={confirmDiscard}
        testId="confirm-discard"
      />
    </ListDetail>
  );
}

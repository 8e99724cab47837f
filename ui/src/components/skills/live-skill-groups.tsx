/**
 * The skill list's read-only groups of skills read in place for the current agent: from its workspace
 * (`.agents/skills`, `.claude/skills`, `.opencode/skills`, `skills/`) and the user's home (`~/.agents/skills`,
 * `~/.claude/skills`). Each row shows the folder it came from, a skill overridden by a same-named one of
 * higher precedence, and warnings; problems that kept a skill out are listed below.
 *
 * Live: read again when a file under one of the workspace's skill folders changes (the workspace's change
 * stream) and when the window gets the focus back (the home folders are not watched: an edit made in
 * another program shows on return).
 */
import { createEffect, createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { type LiveSkillEntry, WORKSPACE_SKILL_FOLDERS } from "../../../../src/shared/project-context.ts";
import { t } from "../../i18n/index.ts";
import { fetchProjectContext } from "../../lib/project-context.ts";
import { agents } from "../../state/agents.ts";
import { watchWorkspace } from "../workspace/workspace-api.ts";

const SOURCES = ["workspace", "home"] as const;

/** True when a changed workspace path lies in a skill folder (an empty list means "many changed"). */
function touchesSkillFolders(paths: readonly string[]): boolean {
  return (
    paths.length === 0 ||
    paths.some((path) =>
      WORKSPACE_SKILL_FOLDERS.some((folder) => path === folder || path.startsWith(`${folder}/`)),
    )
  );
}

export function LiveSkillGroups(props: { query: string; reloadKey?: unknown }) {
  const [changes, setChanges] = createSignal(0);
  const reread = () => setChanges((count) => count + 1);
  createEffect(() => {
    const agentId = agents.currentId;
    if (!agentId) return;
    const stop = watchWorkspace(agentId, {
      onChange: (paths) => {
        if (touchesSkillFolders(paths)) reread();
      },
      onState: () => {},
    });
    onCleanup(stop);
  });
  window.addEventListener("focus", reread);
  onCleanup(() => window.removeEventListener("focus", reread));
  const [context] = createResource(
    () => (agents.currentId ? { id: agents.currentId, key: props.reloadKey, changes: changes() } : undefined),
    ({ id }) => fetchProjectContext(id).catch(() => undefined),
  );
  const matches = (skill: LiveSkillEntry) => {
    const q = props.query.trim().toLowerCase();
    return q === "" || skill.name.includes(q) || skill.description.toLowerCase().includes(q);
  };
  return (
    <>
      <For each={SOURCES}>
        {(source) => {
          const items = () =>
            (context.latest?.skills ?? []).filter((skill) => skill.source === source && matches(skill));
          return (
            <Show when={items().length > 0}>
              <section class="mb-3" data-testid={`skill-group-${source}`}>
                <h2 class="text-xs font-semibold uppercase tracking-wide text-muted px-2 my-1">
                  {t(source === "workspace" ? "skills.group.workspace" : "skills.group.home")}{" "}
                  <span class="font-normal">({items().length})</span>
                </h2>
                <ul class="m-0 p-0 list-none flex flex-col gap-0.5">
                  <For each={items()}>
                    {(skill) => (
                      <li
                        class="rounded-md px-2 py-1.5"
                        title={`${t("skills.live.hint", { folder: skill.dir })}`}
                        data-testid={`live-skill-${skill.name}`}
                      >
                        <div class="flex items-center gap-2">
                          <span
                            class={`font-medium text-sm truncate ${skill.shadowedBy ? "text-muted line-through" : "text-fg"}`}
                          >
                            {skill.name}
                          </span>
                          <span
                            class="ml-auto text-xs font-mono text-muted shrink-0 border border-line rounded px-1"
                            data-testid="live-skill-location"
                          >
                            {skill.location}
                          </span>
                        </div>
                        <p class="m-0 text-xs text-muted line-clamp-2">{skill.description}</p>
                        <Show when={skill.shadowedBy}>
                          {(by) => (
                            <p class="m-0 text-xs text-muted italic" data-testid="live-skill-shadowed">
                              {t("skills.live.shadowed", {
                                source: t(
                                  by() === "workspace" ? "skills.source.workspace" : "skills.source.library",
                                ),
                              })}
                            </p>
                          )}
                        </Show>
                        <For each={skill.warnings}>
                          {(warning) => (
                            <p class="m-0 text-xs text-warn line-clamp-2" data-testid="live-skill-warning">
                              {warning}
                            </p>
                          )}
                        </For>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            </Show>
          );
        }}
      </For>
      <Show when={(context.latest?.problems ?? []).length > 0}>
        <ul class="m-0 px-2 list-none text-xs text-danger" data-testid="live-skill-problems">
          <For each={context.latest?.problems ?? []}>
            {(problem) => (
              <li class="mb-1">
                <span class="font-mono">{problem.path}</span>: {problem.message}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}

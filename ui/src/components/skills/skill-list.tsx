/**
 * The skill list: search, then groups by source (built-in / mine / imported, then the skills read in place
 * from the current agent's workspace and the home folder, see live-skill-groups.tsx). Each row shows the name,
 * the description (or, for a malformed skill, its first error inline), and which agents enable it.
 * Arrow keys move between rows; Enter opens one.
 */
import { createMemo, createSignal, For, Show } from "solid-js";
import type { SkillEntry, SkillSourceKind } from "../../../../src/shared/skills.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { agents } from "../../state/agents.ts";
import { LiveSkillGroups } from "./live-skill-groups.tsx";
import { listing } from "./skills-store.ts";

const GROUPS: { source: SkillSourceKind; label: MessageKey }[] = [
  { source: "builtin", label: "skills.group.builtin" },
  { source: "user", label: "skills.group.user" },
  { source: "imported", label: "skills.group.imported" },
];

function matches(skill: SkillEntry, query: string): boolean {
  if (query === "") return true;
  const q = query.toLowerCase();
  return skill.name.includes(q) || skill.description.toLowerCase().includes(q);
}

export function SkillList(props: { selected?: string; onOpen(name: string): void }) {
  const [query, setQuery] = createSignal("");
  const visible = createMemo(() => listing.data.skills.filter((skill) => matches(skill, query().trim())));
  const agentName = (id: string) => listing.data.agents.find((agent) => agent.id === id);
  let listRoot!: HTMLDivElement;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const rows = [...listRoot.querySelectorAll<HTMLButtonElement>("button[data-skill-row]")];
    const index = rows.indexOf(document.activeElement as HTMLButtonElement);
    const next = event.key === "ArrowDown" ? Math.min(rows.length - 1, index + 1) : Math.max(0, index - 1);
    rows[next]?.focus();
    event.preventDefault();
  };

  return (
    <div class="flex flex-col min-h-0 h-full">
      <div class="p-3 border-b border-line">
        <label class="sr-only" for="skill-search">
          {t("skills.search.label")}
        </label>
        <input
          id="skill-search"
          type="search"
          class="input"
          placeholder={t("skills.search.placeholder")}
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === "ArrowDown") {
              listRoot.querySelector<HTMLButtonElement>("button[data-skill-row]")?.focus();
              event.preventDefault();
            }
          }}
          data-testid="skill-search"
        />
      </div>
      <div class="flex-1 overflow-y-auto p-2" ref={listRoot} onKeyDown={onKeyDown} data-testid="skill-list">
        <Show when={listing.loaded && visible().length === 0}>
          <p class="text-sm text-muted px-2">
            {query() ? t("skills.search.none", { query: query() }) : t("skills.empty")}
          </p>
        </Show>
        <For each={GROUPS}>
          {(group) => {
            const items = () => visible().filter((skill) => skill.source === group.source);
            return (
              <Show when={items().length > 0}>
                <section class="mb-3" data-testid={`skill-group-${group.source}`}>
                  <h2 class="text-xs font-semibold uppercase tracking-wide text-muted px-2 my-1">
                    {t(group.label)} <span class="font-normal">({items().length})</span>
                  </h2>
                  <ul class="m-0 p-0 list-none flex flex-col gap-0.5">
                    <For each={items()}>
                      {(skill) => {
                        const firstError = () =>
                          skill.problems.find((problem) => problem.severity === "error");
                        const enabledForCurrent = () =>
                          !agents.currentId || skill.enabledFor.includes(agents.currentId);
                        return (
                          <li>
                            <button
                              type="button"
                              data-skill-row
                              data-testid={`skill-row-${skill.name}`}
                              aria-current={props.selected === skill.name ? "page" : undefined}
                              class={`w-full text-left rounded-md px-2 py-1.5 border-0 cursor-pointer outline-none focus-visible:ring-2 focus-visible:ring-accent ${
                                props.selected === skill.name ? "bg-raised" : "bg-transparent hover:bg-raised"
                              }`}
                              onClick={() => props.onOpen(skill.name)}
                            >
                              <div class="flex items-center gap-2">
                                <span class="font-medium text-sm text-fg truncate">{skill.name}</span>
                                <Show when={!skill.valid}>
                                  <span
                                    class="text-xs font-semibold text-danger"
                                    data-testid="skill-row-invalid"
                                  >
                                    {t("skills.row.invalid")}
                                  </span>
                                </Show>
                                <Show when={skill.builtinUpdate}>
                                  <span class="text-xs text-accent">{t("skills.row.update")}</span>
                                </Show>
                                <Show when={skill.valid && !enabledForCurrent()}>
                                  <span class="text-xs text-muted">{t("skills.row.off")}</span>
                                </Show>
                                <span
                                  class="ml-auto text-xs shrink-0"
                                  title={skill.enabledFor.map((id) => agentName(id)?.name ?? id).join(", ")}
                                >
                                  <span class="sr-only">
                                    {t("skills.row.agents", { count: skill.enabledFor.length })}
                                  </span>
                                  <For each={skill.enabledFor.slice(0, 4)}>
                                    {(id) => <span aria-hidden="true">{agentName(id)?.emoji ?? ""}</span>}
                                  </For>
                                </span>
                              </div>
                              <Show
                                when={firstError()}
                                fallback={
                                  <p class="m-0 text-xs text-muted line-clamp-2">{skill.description}</p>
                                }
                              >
                                {(problem) => (
                                  <p
                                    class="m-0 text-xs text-danger line-clamp-2"
                                    data-testid="skill-row-problem"
                                  >
                                    <span class="font-mono">
                                      {problem().file || t("skills.problems.folder")}
                                    </span>
                                    {": "}
                                    {problem().message}
                                  </p>
                                )}
                              </Show>
                            </button>
                          </li>
                        );
                      }}
                    </For>
                  </ul>
                </section>
              </Show>
            );
          }}
        </For>
        <LiveSkillGroups query={query()} reloadKey={listing.data} />
      </div>
    </div>
  );
}

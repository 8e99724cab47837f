/**
 * Which agents use this skill, with a switch per agent (the current agent first). An agent set to
 * "all skills" is shown as such: turning the skill off for it switches that agent to an explicit list.
 */
import { createMemo, createSignal, For, Show } from "solid-js";
import type { SkillEntry } from "../../../../src/shared/skills.ts";
import { t } from "../../i18n/index.ts";
import { agents } from "../../state/agents.ts";
import { notifyError } from "../../state/toasts.ts";
import { errorText, skillsApi } from "./skills-api.ts";
import { listing, reloadSkillsAndAgents } from "./skills-store.ts";

export function AgentToggles(props: { skill: SkillEntry }) {
  const [busy, setBusy] = createSignal<string>();
  const ordered = createMemo(() => {
    const current = agents.currentId;
    return [...listing.data.agents].sort((left, right) =>
      left.id === current ? -1 : right.id === current ? 1 : left.name.localeCompare(right.name),
    );
  });

  const toggle = async (agentId: string, enabled: boolean) => {
    setBusy(agentId);
    try {
      await skillsApi.setEnabled(props.skill.name, agentId, enabled);
      await reloadSkillsAndAgents();
    } catch (error) {
      notifyError(errorText(error));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <fieldset class="border-0 p-0 m-0" data-testid="skill-agents">
      <legend class="text-xs font-semibold uppercase tracking-wide text-muted mb-1">
        {t("skills.agents.title")}
      </legend>
      <Show
        when={ordered().length > 0}
        fallback={<p class="text-sm text-muted m-0">{t("skills.agents.none")}</p>}
      >
        <ul class="m-0 p-0 list-none flex flex-wrap gap-x-4 gap-y-1">
          <For each={ordered()}>
            {(agent) => {
              const enabled = () => props.skill.enabledFor.includes(agent.id);
              return (
                <li>
                  <label class="flex items-center gap-1.5 text-sm cursor-pointer">
                    <input
                      type="checkbox"
                      checked={enabled()}
                      disabled={busy() !== undefined || (!props.skill.valid && !enabled())}
                      onChange={(event) => void toggle(agent.id, event.currentTarget.checked)}
                      data-testid={`skill-agent-${agent.id}`}
                    />
                    <span aria-hidden="true">{agent.emoji}</span>
                    <span>{agent.name}</span>
                    <Show when={agent.id === agents.currentId}>
                      <span class="text-xs text-muted">{t("skills.agents.current")}</span>
                    </Show>
                    <Show when={agent.allSkills}>
                      <span class="text-xs text-muted">{t("skills.agents.all")}</span>
                    </Show>
                  </label>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
    </fieldset>
  );
}

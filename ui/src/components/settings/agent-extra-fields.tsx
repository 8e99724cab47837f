/**
 * Parts of the agent form that edit one nested setting each: which agents it may delegate to (and
 * whether it keeps its own workspace when delegated to), where skills come from (the workspace's skill
 * folders, the user's home skill folders) and memory (the search_memory tool, notes to remember).
 */
import type { AgentConfig } from "../../../../src/shared/agent.ts";
import type { DelegateTargets } from "../../../../src/shared/delegation.ts";
import { t } from "../../i18n/index.ts";
import { agents } from "../../state/agents.ts";
import { CapabilityPicker } from "./capability-picker.tsx";
import { Field, inputProps, Toggle } from "./field.tsx";

type SkillSources = NonNullable<AgentConfig["skillSources"]>;
type Memory = NonNullable<AgentConfig["memory"]>;

export function DelegationChoices(props: {
  /** The agent being edited (absent for a new one): it is not offered as its own target. */
  agentId: string | undefined;
  delegates: DelegateTargets | undefined;
  ownWorkspace: boolean;
  onDelegates(value: DelegateTargets): void;
  onOwnWorkspace(value: boolean): void;
}) {
  return (
    <>
      <CapabilityPicker
        id="agent-delegates"
        legend={t("settings.agent.delegates")}
        items={agents.list
          .filter((other) => other.id !== props.agentId)
          .map((other) => ({
            name: other.id,
            label: other.config.name,
            description: other.config.description,
          }))}
        value={props.delegates ?? "all"}
        onChange={(value) => props.onDelegates(value)}
      />
      <Toggle
        id="agent-own-workspace-delegated"
        label={t("settings.agent.ownWorkspaceWhenDelegated")}
        hint={t("settings.agent.ownWorkspaceWhenDelegatedHint")}
        checked={props.ownWorkspace}
        onChange={(checked) => props.onOwnWorkspace(checked)}
      />
    </>
  );
}

export function SkillSourceToggles(props: {
  value: SkillSources | undefined;
  onChange(value: SkillSources): void;
}) {
  const workspace = () => props.value?.workspace ?? true;
  const home = () => props.value?.home ?? true;
  return (
    <>
      <Toggle
        id="agent-skills-workspace"
        label={t("settings.agent.skillsWorkspace")}
        hint={t("settings.agent.skillsWorkspaceHint")}
        checked={workspace()}
        onChange={(checked) => props.onChange({ workspace: checked, home: home() })}
      />
      <Toggle
        id="agent-skills-home"
        label={t("settings.agent.skillsHome")}
        hint={t("settings.agent.skillsHomeHint")}
        checked={home()}
        onChange={(checked) => props.onChange({ workspace: workspace(), home: checked })}
      />
    </>
  );
}

export function AgentMemoryFields(props: {
  value: Memory | undefined;
  error: string | undefined;
  onChange(value: Memory): void;
  onTouch(): void;
}) {
  const search = () => props.value?.search ?? true;
  const notes = () => props.value?.notes ?? "";
  return (
    <>
      <Toggle
        id="agent-memory-search"
        testId="agent-memory-search"
        label={t("settings.agent.memorySearch")}
        hint={t("settings.agent.memorySearchHint")}
        checked={search()}
        onChange={(checked) => props.onChange({ search: checked, notes: notes() })}
      />
      <Field
        id="agent-memory-notes"
        label={t("settings.agent.memoryNotes")}
        hint={t("settings.agent.memoryNotesHint")}
        error={props.error}
      >
        <textarea
          {...inputProps("agent-memory-notes", props.error)}
          class="input min-h-20"
          value={notes()}
          onInput={(event) => {
            props.onChange({ search: search(), notes: event.currentTarget.value });
            props.onTouch();
          }}
          data-testid="agent-memory-notes"
        />
      </Field>
    </>
  );
}

/**
 * Editing one agent: identity (emoji or avatar, name, description), instructions (system prompt),
 * model and fast model (from a provider's list), tools and skills with approval rules, workspace
 * folder, step limit, temperature, the shell's network (isolated / internet / this computer's, with
 * what each means and a warning for the last). Validates as the user types with the server's
 * rules (src/shared/agent-input.ts); the server re-checks and also checks the folder can be created.
 */
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { Agent, AgentConfig, NetworkMode } from "../../../../src/shared/agent.ts";
import { agentConfigIssues } from "../../../../src/shared/agent-input.ts";
import type { Provider } from "../../../../src/shared/provider.ts";
import type { ToolInfo } from "../../../../src/shared/tools-api.ts";
import { t } from "../../i18n/index.ts";
import { localizedAgentConfig, storedAgentConfig } from "../../lib/agent-text.ts";
import { AgentServers } from "../mcp/agent-servers.tsx";
import { toolsApi } from "../tools/tools-api.ts";
import { AgentMemoryFields, DelegationChoices, SkillSourceToggles } from "./agent-extra-fields.tsx";
import { ApprovalRules, CapabilityPicker } from "./capability-picker.tsx";
import { DelegationLimits, optionalNumber } from "./delegation-limits.tsx";
import { Field, fieldError, inputProps } from "./field.tsx";

const NETWORK_MODES: NetworkMode[] = ["internet", "isolated", "host"];

export function AgentForm(props: {
  agent?: Agent;
  initial: AgentConfig;
  providers: Provider[];
  tools: ToolInfo[] | undefined;
  skills: string[] | undefined;
  takenNames: string[];
  onSave(config: AgentConfig): Promise<void>;
  onCancel(): void;
}) {
  const [config, setConfig] = createStore<AgentConfig>(
    localizedAgentConfig(JSON.parse(JSON.stringify(props.initial)) as AgentConfig),
  );
  const [stepText, setStepText] = createSignal(String(props.initial.stepLimit));
  const [temperatureText, setTemperatureText] = createSignal(props.initial.temperature?.toString() ?? "");
  const [depthText, setDepthText] = createSignal(props.initial.delegationDepth?.toString() ?? "");
  const [perTurnText, setPerTurnText] = createSignal(props.initial.delegationsPerTurn?.toString() ?? "");
  const [touched, setTouched] = createStore<Record<string, boolean>>({});
  const [submitted, setSubmitted] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [serverError, setServerError] = createSignal<{ message: string; field?: string }>();
  const [sandbox] = createResource(() => toolsApi.sandbox().catch(() => undefined));

  const built = (): AgentConfig => {
    // Read through the store (not `unwrap`) so the validation memo tracks every field.
    const out = JSON.parse(JSON.stringify(config)) as AgentConfig;
    out.stepLimit = stepText().trim() === "" ? Number.NaN : Number(stepText());
    if (temperatureText().trim() === "") delete out.temperature;
    else out.temperature = Number(temperatureText());
    const depth = optionalNumber(depthText());
    if (depth === undefined) delete out.delegationDepth;
    else out.delegationDepth = depth;
    const perTurn = optionalNumber(perTurnText());
    if (perTurn === undefined) delete out.delegationsPerTurn;
    else out.delegationsPerTurn = perTurn;
    for (const key of ["providerId", "model", "fastModel", "workspace", "reasoningEffort"] as const) {
      if (!out[key]) delete out[key];
    }
    return out;
  };
  const issues = createMemo(() => agentConfigIssues(built(), { takenNames: props.takenNames }));
  const error = (field: string) =>
    (touched[field] || submitted()
      ? field === "stepLimit" && stepText().trim() === ""
        ? t("settings.validation.required")
        : fieldError(issues(), field)
      : undefined) ?? (serverError()?.field === field ? serverError()?.message : undefined);
  const touch = (field: string) => {
    setTouched(field, true);
    setServerError(undefined);
  };

  const provider = () =>
    props.providers.find((candidate) => candidate.id === config.providerId) ??
    props.providers.find((candidate) => candidate.isDefault);
  const modelIds = () => provider()?.models.map((model) => model.id) ?? [];
  const toolItems = () => props.tools?.map((tool) => ({ name: tool.name, description: tool.description }));
  const skillItems = () => props.skills?.map((name) => ({ name }));

  const save = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    if (issues().length > 0) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    setSaving(true);
    setServerError(undefined);
    try {
      await props.onSave(storedAgentConfig(built()));
    } catch (failure) {
      const { message, field } = failure as { message: string; field?: string };
      setServerError({ message, field });
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="flex flex-col gap-4" onSubmit={save} novalidate data-testid="agent-form">
      <div class="grid gap-4 grid-cols-[6rem_1fr]">
        <Field id="agent-emoji" label={t("settings.agent.emoji")} error={error("emoji")}>
          <input
            {...inputProps("agent-emoji", error("emoji"))}
            class="input text-center text-lg"
            value={config.emoji}
            maxLength={16}
            onInput={(event) => {
              setConfig("emoji", event.currentTarget.value);
              touch("emoji");
            }}
            data-testid="agent-emoji"
          />
        </Field>
        <Field id="agent-name" label={t("settings.agent.name")} error={error("name")}>
          <input
            {...inputProps("agent-name", error("name"))}
            class="input"
            value={config.name}
            maxLength={80}
            onInput={(event) => {
              setConfig("name", event.currentTarget.value);
              touch("name");
            }}
            data-testid="agent-name"
          />
        </Field>
      </div>
      <Field id="agent-description" label={t("settings.agent.description")} error={error("description")}>
        <input
          {...inputProps("agent-description", error("description"))}
          class="input"
          value={config.description}
          onInput={(event) => {
            setConfig("description", event.currentTarget.value);
            touch("description");
          }}
          data-testid="agent-description"
        />
      </Field>
      <Field
        id="agent-system-prompt"
        label={t("settings.agent.systemPrompt")}
        hint={t("settings.agent.systemPromptHint")}
        error={error("systemPrompt")}
      >
        <textarea
          {...inputProps("agent-system-prompt", error("systemPrompt"))}
          class="input font-mono min-h-32"
          value={config.systemPrompt}
          onInput={(event) => {
            setConfig("systemPrompt", event.currentTarget.value);
            touch("systemPrompt");
          }}
          data-testid="agent-system-prompt"
        />
      </Field>

      <div class="grid gap-4 2xl:grid-cols-3">
        <Field id="agent-provider" label={t("settings.agent.provider")}>
          <select
            id="agent-provider"
            class="input"
            value={config.providerId ?? ""}
            onChange={(event) => {
              setConfig({
                providerId: event.currentTarget.value || undefined,
                model: undefined,
                fastModel: undefined,
              });
            }}
            data-testid="agent-provider"
          >
            <option value="">{t("settings.agent.defaultProvider")}</option>
            <For each={props.providers}>{(item) => <option value={item.id}>{item.name}</option>}</For>
          </select>
        </Field>
        <For each={["model", "fastModel"] as const}>
          {(key) => (
            <Field
              id={`agent-${key}`}
              label={t(key === "model" ? "settings.agent.model" : "settings.agent.fastModel")}
            >
              <select
                id={`agent-${key}`}
                class="input font-mono"
                value={config[key] ?? ""}
                onChange={(event) => setConfig(key, event.currentTarget.value || undefined)}
                data-testid={`agent-${key}`}
              >
                <option value="">
                  {key === "model"
                    ? t("settings.agent.providerDefaultModel", { model: provider()?.defaultModel ?? "—" })
                    : t("settings.agent.providerFastModel")}
                </option>
                <For each={modelIds()}>{(id) => <option value={id}>{id}</option>}</For>
                <Show when={config[key] && !modelIds().includes(config[key] as string)}>
                  <option value={config[key]}>{config[key]}</option>
                </Show>
              </select>
            </Field>
          )}
        </For>
      </div>

      <CapabilityPicker
        id="agent-tools"
        legend={t("settings.agent.tools")}
        items={toolItems()}
        value={config.tools}
        onChange={(value) => setConfig("tools", value)}
      />
      <ApprovalRules
        tools={props.tools}
        value={config.approvals}
        onChange={(value) => setConfig("approvals", value)}
      />
      <DelegationChoices
        agentId={props.agent?.id}
        delegates={config.delegates}
        ownWorkspace={config.ownWorkspaceWhenDelegated ?? false}
        onDelegates={(value) => setConfig("delegates", value)}
        onOwnWorkspace={(value) => setConfig("ownWorkspaceWhenDelegated", value)}
      />
      <DelegationLimits
        depth={depthText()}
        perTurn={perTurnText()}
        onDepth={(text) => {
          setDepthText(text);
          touch("delegationDepth");
        }}
        onPerTurn={(text) => {
          setPerTurnText(text);
          touch("delegationsPerTurn");
        }}
        error={error}
      />
      <CapabilityPicker
        id="agent-skills"
        legend={t("settings.agent.skills")}
        items={skillItems()}
        value={config.skills}
        onChange={(value) => setConfig("skills", value)}
      />
      <SkillSourceToggles
        value={config.skillSources}
        onChange={(sources) => setConfig("skillSources", sources)}
      />
      <AgentServers value={config.mcpServers} onChange={(value) => setConfig("mcpServers", value)} />
      <AgentMemoryFields
        value={config.memory}
        error={error("memory.notes")}
        onChange={(memory) => setConfig("memory", memory)}
        onTouch={() => touch("memory.notes")}
      />

      <Field
        id="agent-workspace"
        label={t("settings.agent.workspace")}
        hint={t("settings.agent.workspaceHint")}
        error={error("workspace")}
      >
        <input
          {...inputProps("agent-workspace", error("workspace"))}
          class="input font-mono"
          value={config.workspace ?? ""}
          placeholder={t("settings.agent.workspacePlaceholder")}
          onInput={(event) => {
            setConfig("workspace", event.currentTarget.value);
            touch("workspace");
          }}
          data-testid="agent-workspace"
        />
      </Field>
      <div class="grid gap-4 sm:grid-cols-3">
        <Field
          id="agent-step-limit"
          label={t("settings.agent.stepLimit")}
          hint={t("settings.agent.stepLimitHint")}
          error={error("stepLimit")}
        >
          <input
            {...inputProps("agent-step-limit", error("stepLimit"))}
            class="input"
            type="number"
            min="1"
            max="500"
            step="1"
            value={stepText()}
            onInput={(event) => {
              setStepText(event.currentTarget.value);
              touch("stepLimit");
            }}
            data-testid="agent-step-limit"
          />
        </Field>
        <Field
          id="agent-temperature"
          label={t("settings.agent.temperature")}
          hint={t("settings.agent.temperatureHint")}
          error={error("temperature")}
        >
          <input
            {...inputProps("agent-temperature", error("temperature"))}
            class="input"
            type="number"
            min="0"
            max="2"
            step="0.1"
            value={temperatureText()}
            onInput={(event) => {
              setTemperatureText(event.currentTarget.value);
              touch("temperature");
            }}
            data-testid="agent-temperature"
          />
        </Field>
        <Field id="agent-reasoning" label={t("settings.agent.reasoning")}>
          <select
            id="agent-reasoning"
            class="input"
            value={config.reasoningEffort ?? ""}
            onChange={(event) =>
              setConfig(
                "reasoningEffort",
                (event.currentTarget.value || undefined) as AgentConfig["reasoningEffort"],
              )
            }
          >
            <option value="">{t("settings.agent.reasoningDefault")}</option>
            <option value="low">{t("settings.agent.reasoning.low")}</option>
            <option value="medium">{t("settings.agent.reasoning.medium")}</option>
            <option value="high">{t("settings.agent.reasoning.high")}</option>
          </select>
        </Field>
      </div>
      <Field
        id="agent-network"
        label={t("settings.agent.network")}
        hint={
          <span class={config.network === "host" ? "text-warn" : ""} data-testid="agent-network-hint">
            {t(`settings.agent.networkHint.${config.network}`)}
          </span>
        }
      >
        <select
          id="agent-network"
          class="input"
          value={config.network}
          onChange={(event) => setConfig("network", event.currentTarget.value as NetworkMode)}
          data-testid="agent-network"
        >
          <For each={NETWORK_MODES}>
            {(mode) => <option value={mode}>{t(`settings.agent.network.${mode}`)}</option>}
          </For>
        </select>
      </Field>
      <Show when={sandbox()?.mode === "none"}>
        <p class="m-0 -mt-2 text-xs text-warn" data-testid="agent-network-unsandboxed">
          {t("settings.agent.networkUnsandboxed")}
        </p>
      </Show>
      <Show
        when={
          sandbox()?.mode === "bubblewrap" && config.network === "internet" && !sandbox()?.internet?.available
        }
      >
        <p class="m-0 -mt-2 text-xs text-warn" data-testid="agent-network-unavailable">
          {t("settings.agent.networkUnavailable")}
        </p>
      </Show>

      <Show when={serverError() && !serverError()?.field}>
        <p class="m-0 text-sm text-danger" role="alert" data-testid="agent-form-error">
          {serverError()?.message}
        </p>
      </Show>
      <div class="flex justify-end gap-2">
        <button type="button" class="btn-ghost" onClick={() => props.onCancel()}>
          {t("settings.cancel")}
        </button>
        <button type="submit" class="btn-primary" disabled={saving()} data-testid="agent-save">
          {saving() ? t("settings.saving") : t("settings.save")}
        </button>
      </div>
    </form>
  );
}

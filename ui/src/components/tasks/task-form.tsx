/**
 * The form of a scheduled task, to create one or change one. The server checks everything; its
 * ValidationError names the field, and the message is shown under that field (a bad cron pattern says
 * why). A cron pattern is also checked as it is typed, with its next three run times shown.
 */
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import type { ScheduledTask, TaskInput } from "../../../../src/shared/schedule.ts";
import { t } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";
import { agents } from "../../state/agents.ts";
import { formatTime, fromLocalInput, toLocalInput } from "./task-times.ts";
import { tasksApi } from "./tasks-api.ts";

const HOUR = 60 * 60 * 1000;

export function TaskForm(props: {
  task?: ScheduledTask;
  onSaved(task: ScheduledTask): void;
  onCancel?(): void;
}) {
  const initial = props.task;
  const [name, setName] = createSignal(initial?.name ?? "");
  const [agentId, setAgentId] = createSignal(
    initial?.agentId ?? agents.list.find((agent) => agent.isDefault)?.id ?? "",
  );
  const [prompt, setPrompt] = createSignal(initial?.prompt ?? "");
  const [kind, setKind] = createSignal<"once" | "cron">(initial?.kind ?? "cron");
  const [runAt, setRunAt] = createSignal(
    toLocalInput(initial?.runAt ?? Math.ceil((Date.now() + HOUR) / HOUR) * HOUR),
  );
  const [cron, setCron] = createSignal(initial?.cron ?? "0 9 * * 1-5");
  const [timezone, setTimezone] = createSignal(initial?.timezone ?? "");
  const [sessionMode, setSessionMode] = createSignal(initial?.sessionMode ?? "new");
  const [missedPolicy, setMissedPolicy] = createSignal(initial?.missedPolicy ?? "skip");
  const [enabled, setEnabled] = createSignal(initial?.enabled ?? true);
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [preview, setPreview] = createSignal<number[]>([]);
  const [busy, setBusy] = createSignal(false);

  // The cron pattern, checked by the server a moment after each change.
  createEffect(
    on([kind, cron, timezone], ([currentKind, pattern, zone]) => {
      if (currentKind !== "cron" || !pattern.trim()) {
        setPreview([]);
        return;
      }
      const timer = setTimeout(() => {
        tasksApi
          .preview(pattern, zone.trim() || undefined)
          .then((result) => {
            setPreview(result.next);
            setErrors(({ cron: _c, timezone: _t, ...rest }) => rest);
          })
          .catch((error: unknown) => {
            setPreview([]);
            if (error instanceof ApiError && error.field)
              setErrors((all) => ({ ...all, [error.field as string]: error.message }));
          });
      }, 300);
      onCleanup(() => clearTimeout(timer));
    }),
  );

  // The Save button is at the form's end: the first field to fix may be far above it, out of sight.
  let form: HTMLFormElement | undefined;
  const focusFirstInvalid = () =>
    queueMicrotask(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const when: Pick<TaskInput, "kind" | "runAt" | "cron" | "timezone"> =
      kind() === "once"
        ? {
            kind: "once",
            ...(fromLocalInput(runAt()) !== undefined ? { runAt: fromLocalInput(runAt()) } : {}),
          }
        : { kind: "cron", cron: cron(), ...(timezone().trim() ? { timezone: timezone().trim() } : {}) };
    // Said under each field, in the user's language (the server's schema message would be raw).
    const missing: Record<string, string> = {};
    if (!name().trim()) missing.name = t("tasks.form.nameMissing");
    if (!prompt().trim()) missing.prompt = t("tasks.form.promptMissing");
    if (kind() === "once" && fromLocalInput(runAt()) === undefined)
      missing.runAt = t("tasks.form.runAtMissing");
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      focusFirstInvalid();
      return;
    }
    const input: TaskInput = {
      name: name(),
      prompt: prompt(),
      ...(agentId() ? { agentId: agentId() } : {}),
      ...when,
      sessionMode: sessionMode(),
      missedPolicy: missedPolicy(),
      enabled: enabled(),
    };
    setBusy(true);
    setErrors({});
    try {
      const saved = initial ? await tasksApi.update(initial.id, input) : await tasksApi.create(input);
      props.onSaved(saved);
    } catch (error) {
      const field = error instanceof ApiError && error.field ? error.field : "form";
      setErrors({ [field]: (error as Error).message });
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) => (
    <Show when={errors()[field]}>
      {(message) => (
        <p class="m-0 text-xs text-danger" role="alert" data-testid={`task-error-${field}`}>
          {message()}
        </p>
      )}
    </Show>
  );

  return (
    <form
      ref={form}
      class="flex flex-col gap-4 max-w-2xl"
      onSubmit={(event) => void submit(event)}
      data-testid="task-form"
      novalidate
    >
      <label class="flex flex-col gap-1 text-sm">
        <span class="font-medium">{t("tasks.form.name")}</span>
        <input
          class="input"
          value={name()}
          onInput={(e) => setName(e.currentTarget.value)}
          maxLength={200}
          aria-invalid={errors().name ? "true" : undefined}
          data-testid="task-name"
        />
        {fieldError("name")}
      </label>
      <label class="flex flex-col gap-1 text-sm">
        <span class="font-medium">{t("tasks.form.agent")}</span>
        <select
          class="input"
          value={agentId()}
          onChange={(e) => setAgentId(e.currentTarget.value)}
          data-testid="task-agent"
        >
          <For each={agents.list}>{(agent) => <option value={agent.id}>{agent.config.name}</option>}</For>
        </select>
        {fieldError("agentId")}
      </label>
      <label class="flex flex-col gap-1 text-sm">
        <span class="font-medium">{t("tasks.form.prompt")}</span>
        <textarea
          class="input min-h-28"
          value={prompt()}
          onInput={(e) => setPrompt(e.currentTarget.value)}
          aria-invalid={errors().prompt ? "true" : undefined}
          data-testid="task-prompt"
        />
        <span class="text-xs text-muted">{t("tasks.form.promptHint")}</span>
        {fieldError("prompt")}
      </label>
      <fieldset class="flex flex-col gap-2 text-sm border-0 p-0 m-0">
        <legend class="font-medium mb-1">{t("tasks.form.kind")}</legend>
        <div class="flex gap-4">
          <label class="flex items-center gap-1.5">
            <input
              type="radio"
              name="task-kind"
              checked={kind() === "cron"}
              onChange={() => setKind("cron")}
              data-testid="task-kind-cron"
            />
            {t("tasks.form.cron")}
          </label>
          <label class="flex items-center gap-1.5">
            <input
              type="radio"
              name="task-kind"
              checked={kind() === "once"}
              onChange={() => setKind("once")}
              data-testid="task-kind-once"
            />
            {t("tasks.form.once")}
          </label>
        </div>
        <Show
          when={kind() === "cron"}
          fallback={
            <label class="flex flex-col gap-1">
              <span>{t("tasks.form.runAt")}</span>
              <input
                type="datetime-local"
                class="input max-w-64"
                value={runAt()}
                onInput={(e) => setRunAt(e.currentTarget.value)}
                aria-invalid={errors().runAt ? "true" : undefined}
                data-testid="task-run-at"
              />
              {fieldError("runAt")}
            </label>
          }
        >
          <label class="flex flex-col gap-1">
            <span>{t("tasks.form.cronPattern")}</span>
            <input
              class="input font-mono max-w-80"
              value={cron()}
              onInput={(e) => setCron(e.currentTarget.value)}
              spellcheck={false}
              aria-invalid={errors().cron ? "true" : undefined}
              data-testid="task-cron"
            />
            <span class="text-xs text-muted">{t("tasks.form.cronHint")}</span>
            {fieldError("cron")}
            <Show when={preview().length > 0 && !errors().cron}>
              <span class="text-xs" data-testid="task-cron-preview">
                {t("tasks.form.preview", { times: preview().map(formatTime).join(" · ") })}
              </span>
            </Show>
          </label>
          <label class="flex flex-col gap-1">
            <span>{t("tasks.form.timezone")}</span>
            <input
              class="input max-w-64"
              value={timezone()}
              onInput={(e) => setTimezone(e.currentTarget.value)}
              placeholder="Europe/Paris"
              data-testid="task-timezone"
            />
            <span class="text-xs text-muted">{t("tasks.form.timezoneHint")}</span>
            {fieldError("timezone")}
          </label>
        </Show>
      </fieldset>
      <label class="flex flex-col gap-1 text-sm">
        <span class="font-medium">{t("tasks.form.sessionMode")}</span>
        <select
          class="input max-w-96"
          value={sessionMode()}
          onChange={(e) => setSessionMode(e.currentTarget.value as "new" | "same")}
          data-testid="task-session-mode"
        >
          <option value="new">{t("tasks.form.sessionNew")}</option>
          <option value="same">{t("tasks.form.sessionSame")}</option>
        </select>
      </label>
      <label class="flex flex-col gap-1 text-sm">
        <span class="font-medium">{t("tasks.form.missed")}</span>
        <select
          class="input max-w-96"
          value={missedPolicy()}
          onChange={(e) => setMissedPolicy(e.currentTarget.value as "skip" | "run-once")}
          data-testid="task-missed"
        >
          <option value="skip">{t("tasks.form.missedSkip")}</option>
          <option value="run-once">{t("tasks.form.missedRunOnce")}</option>
        </select>
        <span class="text-xs text-muted">{t("tasks.form.missedHint")}</span>
      </label>
      <label class="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={enabled()}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
          data-testid="task-enabled"
        />
        {t("tasks.form.enabled")}
      </label>
      {fieldError("form")}
      <div class="flex gap-2">
        <button type="submit" class="btn-primary" disabled={busy()} data-testid="task-save">
          {busy() ? t("tasks.form.saving") : initial ? t("tasks.form.save") : t("tasks.form.create")}
        </button>
        <Show when={props.onCancel}>
          <button type="button" class="btn-ghost" onClick={() => props.onCancel?.()}>
            {t("tasks.form.cancel")}
          </button>
        </Show>
      </div>
    </form>
  );
}

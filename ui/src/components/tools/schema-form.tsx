/**
 * The "try it" form: inputs generated from the tool's schema (see schema-fields.ts), or a raw JSON
 * editor, with a switch between them that keeps what was typed. Tools whose schema the form cannot
 * express get the JSON editor only. Submitting hands the arguments to `onRun`.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from "solid-js";
import type { ToolInfo } from "../../../../src/shared/tools-api.ts";
import { t } from "../../i18n/index.ts";
import {
  argumentsToValues,
  emptyValues,
  type FieldSpec,
  type FormValues,
  planForm,
  valuesToArguments,
} from "./schema-fields.ts";

export function SchemaForm(props: { tool: ToolInfo; running: boolean; onRun(input: unknown): void }) {
  const plan = createMemo(() => planForm(props.tool.parameters));
  const formOnly = () => plan().unsupported.length === 0;
  const [mode, setMode] = createSignal<"form" | "json">(formOnly() ? "form" : "json");
  const [values, setValues] = createSignal<FormValues>(emptyValues(plan()));
  const [jsonText, setJsonText] = createSignal("{}");
  const [problems, setProblems] = createSignal<Record<string, string>>({});
  const [jsonError, setJsonError] = createSignal("");

  const setValue = (name: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [name]: value }));
    setProblems((current) => ({ ...current, [name]: "" }));
  };

  const toJson = () => {
    setJsonText(JSON.stringify(valuesToArguments(plan(), values()).arguments, null, 2));
    setJsonError("");
    setMode("json");
  };
  const toForm = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(jsonText() || "{}");
    } catch (error) {
      setJsonError(t("tools.form.badJson", { message: (error as Error).message }));
      return;
    }
    const next = argumentsToValues(plan(), parsed);
    if (!next) {
      setJsonError(t("tools.form.notForForm"));
      return;
    }
    setValues(next);
    setMode("form");
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (mode() === "json") {
      try {
        setJsonError("");
        props.onRun(JSON.parse(jsonText() || "{}"));
      } catch (error) {
        setJsonError(t("tools.form.badJson", { message: (error as Error).message }));
      }
      return;
    }
    const converted = valuesToArguments(plan(), values());
    if (converted.problems.length > 0) {
      setProblems(
        Object.fromEntries(
          converted.problems.map((problem) => [
            problem.field,
            problem.message === "whole number" ? t("tools.form.needInteger") : t("tools.form.needNumber"),
          ]),
        ),
      );
      return;
    }
    props.onRun(converted.arguments);
  };

  return (
    <form
      class="flex flex-col gap-3"
      novalidate
      onSubmit={submit}
      data-testid="tool-form"
      aria-label={t("tools.form.label")}
    >
      <div class="flex items-center gap-2">
        <Show when={formOnly()} fallback={<p class="m-0 text-xs text-muted">{t("tools.form.jsonOnly")}</p>}>
          <fieldset class="m-0 p-0 border-0 flex gap-1">
            <legend class="sr-only">{t("tools.form.modeLabel")}</legend>
            <button
              type="button"
              class={mode() === "form" ? "btn-primary py-1" : "btn-ghost py-1"}
              aria-pressed={mode() === "form"}
              onClick={() => mode() === "json" && toForm()}
              data-testid="tool-mode-form"
            >
              {t("tools.form.modeForm")}
            </button>
            <button
              type="button"
              class={mode() === "json" ? "btn-primary py-1" : "btn-ghost py-1"}
              aria-pressed={mode() === "json"}
              onClick={() => mode() === "form" && toJson()}
              data-testid="tool-mode-json"
            >
              {t("tools.form.modeJson")}
            </button>
          </fieldset>
        </Show>
      </div>

      <Switch>
        <Match when={mode() === "form"}>
          <Show when={plan().fields.length === 0}>
            <p class="m-0 text-sm text-muted">{t("tools.form.noArguments")}</p>
          </Show>
          <For each={plan().fields}>
            {(field) => (
              <FieldInput
                field={field}
                value={values()[field.name]}
                problem={problems()[field.name]}
                onChange={(value) => setValue(field.name, value)}
              />
            )}
          </For>
        </Match>
        <Match when={mode() === "json"}>
          <label class="text-sm font-medium" for="tool-json">
            {t("tools.form.jsonLabel")}
          </label>
          <textarea
            id="tool-json"
            class="input font-mono text-xs min-h-40"
            spellcheck={false}
            value={jsonText()}
            onInput={(event) => {
              setJsonText(event.currentTarget.value);
              setJsonError("");
            }}
            aria-invalid={jsonError() !== ""}
            aria-describedby={jsonError() ? "tool-json-error" : undefined}
            data-testid="tool-json-editor"
          />
        </Match>
      </Switch>
      <Show when={jsonError()}>
        <p id="tool-json-error" class="m-0 text-sm text-danger" role="alert">
          {jsonError()}
        </p>
      </Show>
      <div>
        <button type="submit" class="btn-primary" disabled={props.running} data-testid="tool-run">
          {props.running ? t("tools.run.running") : t("tools.run.button")}
        </button>
      </div>
    </form>
  );
}

function FieldInput(props: {
  field: FieldSpec;
  value: string | boolean | undefined;
  problem?: string;
  onChange(value: string | boolean): void;
}) {
  const id = () => `tool-field-${props.field.name}`;
  const helpId = () => `${id()}-help`;
  const text = () => (typeof props.value === "string" ? props.value : "");
  const described = () =>
    [
      props.field.description || props.field.kind === "string-list" ? helpId() : "",
      props.problem ? `${id()}-problem` : "",
    ]
      .filter(Boolean)
      .join(" ") || undefined;
  const common = () => ({
    id: id(),
    "aria-describedby": described(),
    "aria-invalid": props.problem ? true : undefined,
    "aria-required": props.field.required || undefined,
    "data-testid": id(),
  });
  const label = (
    <span class="font-mono text-sm">
      {props.field.name}
      <Show when={props.field.required}>
        <span class="text-danger" aria-hidden="true">
          {" *"}
        </span>
        <span class="sr-only">{` (${t("tools.form.required")})`}</span>
      </Show>
    </span>
  );
  return (
    <div class="flex flex-col gap-1">
      <Switch>
        <Match when={props.field.kind === "boolean"}>
          <label class="flex items-center gap-2" for={id()}>
            <input
              type="checkbox"
              {...common()}
              checked={props.value === true}
              onChange={(event) => props.onChange(event.currentTarget.checked)}
            />
            {label}
          </label>
        </Match>
        <Match when={props.field.kind !== "boolean"}>
          <label for={id()}>{label}</label>
          <Switch>
            <Match when={props.field.kind === "enum" && props.field}>
              {(field) => (
                <select
                  class="input"
                  {...common()}
                  value={text()}
                  onChange={(event) => props.onChange(event.currentTarget.value)}
                >
                  <option value="">{t("tools.form.unset")}</option>
                  <For each={(field() as Extract<FieldSpec, { kind: "enum" }>).options}>
                    {(option) => <option value={option}>{option}</option>}
                  </For>
                </select>
              )}
            </Match>
            <Match when={props.field.kind === "number" && props.field}>
              {(field) => {
                const spec = field() as Extract<FieldSpec, { kind: "number" }>;
                return (
                  <input
                    class="input"
                    type="number"
                    step={spec.integer ? 1 : "any"}
                    min={spec.minimum}
                    max={spec.maximum}
                    {...common()}
                    value={text()}
                    onInput={(event) => props.onChange(event.currentTarget.value)}
                  />
                );
              }}
            </Match>
            <Match
              when={
                props.field.kind === "string-list" || (props.field.kind === "string" && props.field.multiline)
              }
            >
              <textarea
                class="input font-mono text-xs min-h-20"
                spellcheck={false}
                {...common()}
                value={text()}
                onInput={(event) => props.onChange(event.currentTarget.value)}
              />
            </Match>
            <Match when={props.field.kind === "string"}>
              <input
                class="input"
                type="text"
                spellcheck={false}
                {...common()}
                value={text()}
                onInput={(event) => props.onChange(event.currentTarget.value)}
              />
            </Match>
          </Switch>
        </Match>
      </Switch>
      <Show when={props.field.description || props.field.kind === "string-list"}>
        <p id={helpId()} class="m-0 text-xs text-muted">
          {props.field.description}
          <Show when={props.field.kind === "string-list"}> {t("tools.form.onePerLine")}</Show>
        </p>
      </Show>
      <Show when={props.problem}>
        <p id={`${id()}-problem`} class="m-0 text-xs text-danger">
          {props.problem}
        </p>
      </Show>
    </div>
  );
}

/**
 * Adding or editing one MCP server: name (fixed once saved: agents refer to it), transport, command and
 * arguments (stdio) or URL (HTTP), environment variables or headers with secrets, start-up, timeouts,
 * trust in read-only tools. Validates as the user types (src/shared/mcp.ts `mcpServerIssues`).
 */
import { createMemo, createSignal, Show } from "solid-js";
import { createStore } from "solid-js/store";
import {
  type McpNamedValue,
  type McpServerEntry,
  type McpServerInput,
  mcpServerIssues,
} from "../../../../src/shared/mcp.ts";
import { t } from "../../i18n/index.ts";
import { errorText, Field, fieldError, inputProps, Toggle } from "../settings/field.tsx";
import { NamedValues, newRow, type ValueRow } from "./named-values.tsx";

interface FormState {
  name: string;
  transport: McpServerInput["transport"];
  command: string;
  args: string;
  cwd: string;
  url: string;
  env: ValueRow[];
  headers: ValueRow[];
  enabled: boolean;
  startup: McpServerInput["startup"];
  initTimeoutSec: string;
  callTimeoutSec: string;
  trustReadOnly: boolean;
  oauthClientId: string;
}

function initialState(entry: McpServerEntry | undefined): FormState {
  const config = entry?.config;
  const rows = (list: McpServerEntry["config"]["env"] | undefined) =>
    (list ?? []).map((item) =>
      newRow({
        name: item.name,
        value: item.value ?? "",
        secret: item.secret,
        stored: item.secret && item.hasValue,
      }),
    );
  return {
    name: config?.name ?? "",
    transport: config?.transport ?? "stdio",
    command: config?.command ?? "",
    args: (config?.args ?? []).join("\n"),
    cwd: config?.cwd ?? "",
    url: config?.url ?? "",
    env: rows(config?.env),
    headers: rows(config?.headers),
    enabled: config?.enabled ?? true,
    startup: config?.startup ?? "lazy",
    initTimeoutSec: String(config?.initTimeoutSec ?? 30),
    callTimeoutSec: String(config?.callTimeoutSec ?? 300),
    trustReadOnly: config?.trustReadOnly ?? false,
    oauthClientId: config?.oauthClientId ?? "",
  };
}

function toValues(rows: ValueRow[]): McpNamedValue[] {
  return rows.map((row) =>
    row.secret
      ? row.value || !row.stored
        ? { name: row.name.trim(), value: row.value, secret: true }
        : { name: row.name.trim(), secret: true }
      : { name: row.name.trim(), value: row.value, secret: false },
  );
}

export function ServerForm(props: {
  entry?: McpServerEntry;
  onSave(input: McpServerInput): Promise<void>;
  onCancel(): void;
}) {
  const [form, setForm] = createStore<FormState>(initialState(props.entry));
  const [submitted, setSubmitted] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const [serverError, setServerError] = createSignal<string>();
  const editing = () => props.entry !== undefined;

  const built = (): McpServerInput => {
    const input: McpServerInput = {
      name: form.name.trim(),
      transport: form.transport,
      args: form.args.split("\n").filter((line) => line.trim() !== ""),
      env: form.transport === "stdio" ? toValues(form.env) : [],
      headers: form.transport === "stdio" ? [] : toValues(form.headers),
      enabled: form.enabled,
      startup: form.startup,
      initTimeoutSec: Number(form.initTimeoutSec),
      callTimeoutSec: Number(form.callTimeoutSec),
      trustReadOnly: form.trustReadOnly,
    };
    if (form.transport === "stdio") {
      input.command = form.command.trim();
      if (form.cwd.trim()) input.cwd = form.cwd.trim();
    } else {
      input.url = form.url.trim();
      input.args = [];
      if (form.oauthClientId.trim()) input.oauthClientId = form.oauthClientId.trim();
    }
    return input;
  };
  const issues = createMemo(() => mcpServerIssues(built()));
  const error = (field: string) => (submitted() ? fieldError(issues(), field) : undefined);
  const rowError = (list: "env" | "headers") => (index: number) =>
    submitted() ? fieldError(issues(), `${list}.${index}.name`) : undefined;

  const save = async (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    if (issues().length > 0) return;
    setSaving(true);
    setServerError(undefined);
    try {
      await props.onSave(built());
    } catch (failure) {
      setServerError(errorText(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="card p-4 flex flex-col gap-3 mb-4" onSubmit={save} novalidate data-testid="mcp-form">
      <h3 class="m-0 text-base font-semibold">
        {editing() ? t("mcp.form.editTitle", { name: form.name }) : t("mcp.form.addTitle")}
      </h3>
      <div class="grid grid-cols-2 gap-3">
        <Field id="mcp-name" label={t("mcp.form.name")} hint={t("mcp.form.nameHint")} error={error("name")}>
          <input
            {...inputProps("mcp-name", error("name"))}
            class="input font-mono"
            value={form.name}
            disabled={editing()}
            onInput={(event) => setForm("name", event.currentTarget.value)}
            data-testid="mcp-name"
          />
        </Field>
        <Field id="mcp-transport" label={t("mcp.form.transport")}>
          <select
            id="mcp-transport"
            class="input"
            value={form.transport}
            onChange={(event) => setForm("transport", event.currentTarget.value as FormState["transport"])}
            data-testid="mcp-transport"
          >
            <option value="stdio">{t("mcp.transport.stdio")}</option>
            <option value="http">{t("mcp.transport.http")}</option>
            <option value="sse">{t("mcp.transport.sse")}</option>
          </select>
        </Field>
      </div>
      <Show
        when={form.transport === "stdio"}
        fallback={
          <>
            <Field id="mcp-url" label={t("mcp.form.url")} error={error("url")}>
              <input
                {...inputProps("mcp-url", error("url"))}
                class="input font-mono"
                value={form.url}
                placeholder="https://example.com/mcp"
                onInput={(event) => setForm("url", event.currentTarget.value)}
                data-testid="mcp-url"
              />
            </Field>
            <NamedValues
              id="mcp-headers"
              legend={t("mcp.form.headers")}
              hint={t("mcp.form.headersHint")}
              namePlaceholder="Authorization"
              rows={form.headers}
              errors={rowError("headers")}
              onChange={(rows) => setForm("headers", rows)}
            />
            <Field
              id="mcp-oauth-client"
              label={t("mcp.form.oauthClientId")}
              hint={t("mcp.form.oauthClientIdHint")}
            >
              <input
                {...inputProps("mcp-oauth-client", undefined)}
                class="input font-mono"
                value={form.oauthClientId}
                onInput={(event) => setForm("oauthClientId", event.currentTarget.value)}
                data-testid="mcp-oauth-client"
              />
            </Field>
          </>
        }
      >
        <Field
          id="mcp-command"
          label={t("mcp.form.command")}
          hint={t("mcp.form.commandHint")}
          error={error("command")}
        >
          <input
            {...inputProps("mcp-command", error("command"))}
            class="input font-mono"
            value={form.command}
            placeholder="npx"
            onInput={(event) => setForm("command", event.currentTarget.value)}
            data-testid="mcp-command"
          />
        </Field>
        <Field id="mcp-args" label={t("mcp.form.args")} hint={t("mcp.form.argsHint")}>
          <textarea
            id="mcp-args"
            class="input font-mono min-h-16"
            value={form.args}
            placeholder={"-y\n@modelcontextprotocol/server-filesystem\n."}
            onInput={(event) => setForm("args", event.currentTarget.value)}
            data-testid="mcp-args"
          />
        </Field>
        <Field id="mcp-cwd" label={t("mcp.form.cwd")} hint={t("mcp.form.cwdHint")}>
          <input
            id="mcp-cwd"
            class="input font-mono"
            value={form.cwd}
            onInput={(event) => setForm("cwd", event.currentTarget.value)}
          />
        </Field>
        <NamedValues
          id="mcp-env"
          legend={t("mcp.form.env")}
          hint={t("mcp.form.envHint", { example: `$${"{NAME}"}` })}
          namePlaceholder="API_KEY"
          rows={form.env}
          errors={rowError("env")}
          onChange={(rows) => setForm("env", rows)}
        />
      </Show>
      <div class="grid grid-cols-3 gap-3">
        <Field id="mcp-startup" label={t("mcp.form.startup")}>
          <select
            id="mcp-startup"
            class="input"
            value={form.startup}
            onChange={(event) => setForm("startup", event.currentTarget.value as FormState["startup"])}
          >
            <option value="lazy">{t("mcp.form.startupLazy")}</option>
            <option value="eager">{t("mcp.form.startupEager")}</option>
          </select>
        </Field>
        <Field id="mcp-init-timeout" label={t("mcp.form.initTimeout")} error={error("initTimeoutSec")}>
          <input
            {...inputProps("mcp-init-timeout", error("initTimeoutSec"))}
            class="input"
            inputMode="numeric"
            value={form.initTimeoutSec}
            onInput={(event) => setForm("initTimeoutSec", event.currentTarget.value)}
          />
        </Field>
        <Field id="mcp-call-timeout" label={t("mcp.form.callTimeout")} error={error("callTimeoutSec")}>
          <input
            {...inputProps("mcp-call-timeout", error("callTimeoutSec"))}
            class="input"
            inputMode="numeric"
            value={form.callTimeoutSec}
            onInput={(event) => setForm("callTimeoutSec", event.currentTarget.value)}
          />
        </Field>
      </div>
      <Toggle
        id="mcp-trust-read-only"
        label={t("mcp.form.trustReadOnly")}
        hint={t("mcp.form.trustReadOnlyHint")}
        checked={form.trustReadOnly}
        onChange={(checked) => setForm("trustReadOnly", checked)}
      />
      <Toggle
        id="mcp-enabled"
        label={t("mcp.form.enabled")}
        checked={form.enabled}
        onChange={(checked) => setForm("enabled", checked)}
      />
      <Show when={serverError()}>
        <p class="m-0 text-sm text-danger" role="alert" data-testid="mcp-form-error">
          {serverError()}
        </p>
      </Show>
      <div class="flex gap-2 justify-end">
        <button type="button" class="btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn-primary" disabled={saving()} data-testid="mcp-form-save">
          {saving() ? t("settings.saving") : t("settings.save")}
        </button>
      </div>
    </form>
  );
}

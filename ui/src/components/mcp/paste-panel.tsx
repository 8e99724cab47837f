/**
 * Adding servers from JSON users already have: Claude Desktop's `{"mcpServers": {...}}`, Claude Code's
 * `.mcp.json`, VS Code's `{"servers": {...}}`. The server reads the text (nothing is saved), the panel
 * shows each server with its command or URL and which variables and headers go to the key store
 * (secret guesses can be changed), and adds the ones left ticked. A project's `.mcp.json` arrives here
 * too (`initial`), so its servers run only once the user has added them.
 */
import { createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { McpParseResult, McpServerInput } from "../../../../src/shared/mcp.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { errorText } from "../settings/field.tsx";
import { mcpApi } from "./mcp-api.ts";

interface Candidate {
  input: McpServerInput;
  chosen: boolean;
}

export function PastePanel(props: {
  existing: string[];
  /** Servers already read (a project's .mcp.json), shown without pasting. */
  initial?: McpParseResult & { source?: string };
  onAdded(names: string[]): void;
  onCancel(): void;
}) {
  const [text, setText] = createSignal("");
  const [candidates, setCandidates] = createStore<Candidate[]>(
    (props.initial?.servers ?? []).map((input) => ({ input, chosen: !props.existing.includes(input.name) })),
  );
  const [problems, setProblems] = createSignal<string[]>(props.initial?.problems ?? []);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const read = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const result = await mcpApi.parse(text());
      setCandidates(result.servers.map((input) => ({ input, chosen: !props.existing.includes(input.name) })));
      setProblems(result.problems);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    setBusy(true);
    setError(undefined);
    const added: string[] = [];
    const failures: string[] = [];
    for (const candidate of candidates) {
      if (!candidate.chosen) continue;
      try {
        await mcpApi.create(candidate.input);
        added.push(candidate.input.name);
      } catch (failure) {
        failures.push(`${candidate.input.name}: ${errorText(failure)}`);
      }
    }
    setBusy(false);
    if (failures.length) setError(failures.join("\n"));
    if (added.length) props.onAdded(added);
  };

  const chosenCount = () => candidates.filter((candidate) => candidate.chosen).length;

  return (
    <section class="card p-4 flex flex-col gap-3 mb-4" data-testid="mcp-paste">
      <h3 class="m-0 text-base font-semibold">
        {props.initial?.source ? t("mcp.paste.projectTitle") : t("mcp.paste.title")}
      </h3>
      <Show
        when={!props.initial}
        fallback={
          <p class="m-0 text-sm text-muted" data-testid="mcp-paste-source">
            {t("mcp.paste.projectIntro", { path: props.initial?.source ?? "" })}
          </p>
        }
      >
        <p class="m-0 text-sm text-muted">{t("mcp.paste.intro")}</p>
        <textarea
          class="input font-mono min-h-40"
          aria-label={t("mcp.paste.label")}
          placeholder={
            '{\n  "mcpServers": {\n    "filesystem": {\n      "command": "npx",\n      "args": ["-y", "@modelcontextprotocol/server-filesystem", "."]\n    }\n  }\n}'
          }
          value={text()}
          onInput={(event) => setText(event.currentTarget.value)}
          data-testid="mcp-paste-text"
        />
        <div>
          <button
            type="button"
            class="btn-ghost border border-line"
            disabled={busy() || !text().trim()}
            onClick={read}
            data-testid="mcp-paste-read"
          >
            {t("mcp.paste.read")}
          </button>
        </div>
      </Show>
      <Show when={problems().length > 0}>
        <ul class="m-0 pl-5 text-sm text-danger" data-testid="mcp-paste-problems">
          <For each={problems()}>{(problem) => <li>{problem}</li>}</For>
        </ul>
      </Show>
      <For each={candidates}>
        {(candidate, index) => {
          const taken = () => props.existing.includes(candidate.input.name);
          const values = () => [
            ...candidate.input.env.map((item, position) => ({ list: "env" as const, item, position })),
            ...candidate.input.headers.map((item, position) => ({
              list: "headers" as const,
              item,
              position,
            })),
          ];
          return (
            <div class="border border-line rounded-md p-3 flex flex-col gap-1" data-testid="mcp-paste-server">
              <label class="flex items-center gap-2 text-sm font-medium">
                <input
                  type="checkbox"
                  checked={candidate.chosen}
                  disabled={taken()}
                  onChange={(event) => setCandidates(index(), "chosen", event.currentTarget.checked)}
                />
                <span class="font-mono">{candidate.input.name}</span>
                <span class="text-xs text-muted">
                  {t(`mcp.transport.${candidate.input.transport}` as MessageKey)}
                </span>
              </label>
              <Show when={taken()}>
                <p class="m-0 text-xs text-danger">{t("mcp.paste.taken")}</p>
              </Show>
              <code class="text-xs break-all">
                {candidate.input.transport === "stdio"
                  ? [candidate.input.command, ...candidate.input.args].join(" ")
                  : candidate.input.url}
              </code>
              <Show when={values().length > 0}>
                <ul class="m-0 pl-0 list-none text-xs flex flex-col gap-0.5">
                  <For each={values()}>
                    {(value) => (
                      <li class="flex items-center gap-2">
                        <span class="font-mono">{value.item.name}</span>
                        <label class="flex items-center gap-1 text-muted">
                          <input
                            type="checkbox"
                            checked={value.item.secret}
                            onChange={(event) =>
                              setCandidates(
                                index(),
                                "input",
                                value.list,
                                value.position,
                                "secret",
                                event.currentTarget.checked,
                              )
                            }
                            data-testid="mcp-paste-secret"
                          />
                          {t("mcp.paste.keyStore")}
                        </label>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </div>
          );
        }}
      </For>
      <Show when={error()}>
        <p class="m-0 text-sm text-danger whitespace-pre-line" role="alert" data-testid="mcp-paste-error">
          {error()}
        </p>
      </Show>
      <div class="flex gap-2 justify-end">
        <button type="button" class="btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button
          type="button"
          class="btn-primary"
          disabled={busy() || chosenCount() === 0}
          onClick={add}
          data-testid="mcp-paste-add"
        >
          {t("mcp.paste.add", { count: chosenCount() })}
        </button>
      </div>
    </section>
  );
}

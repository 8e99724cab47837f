/**
 * Rows of name / value / secret for an MCP server's environment variables or HTTP headers. A secret's
 * stored value is never shown: its field stays empty with a "saved" placeholder and typing replaces it
 * (as in Settings → Environment).
 */
import { For, Show } from "solid-js";
import { t } from "../../i18n/index.ts";

export interface ValueRow {
  key: number;
  name: string;
  value: string;
  secret: boolean;
  /** A secret value is stored and the user has not typed a new one. */
  stored: boolean;
}

let nextKey = 1;
export function newRow(patch: Partial<ValueRow> = {}): ValueRow {
  return { key: nextKey++, name: "", value: "", secret: false, stored: false, ...patch };
}

export function NamedValues(props: {
  id: string;
  legend: string;
  hint: string;
  namePlaceholder: string;
  rows: ValueRow[];
  errors(index: number): string | undefined;
  onChange(rows: ValueRow[]): void;
}) {
  const update = (index: number, patch: Partial<ValueRow>) =>
    props.onChange(props.rows.map((row, position) => (position === index ? { ...row, ...patch } : row)));
  return (
    <fieldset class="border border-line rounded-md p-3 m-0 flex flex-col gap-2" data-testid={props.id}>
      <legend class="text-sm font-medium px-1">{props.legend}</legend>
      <p class="m-0 text-xs text-muted">{props.hint}</p>
      <For each={props.rows}>
        {(row, index) => (
          <div class="flex flex-col gap-1">
            <div class="flex gap-2 items-center">
              <input
                class="input font-mono w-1/3"
                value={row.name}
                placeholder={props.namePlaceholder}
                aria-label={t("mcp.form.valueName", { index: index() + 1 })}
                aria-invalid={props.errors(index()) ? "true" : undefined}
                onInput={(event) => update(index(), { name: event.currentTarget.value })}
                data-testid={`${props.id}-name`}
              />
              <input
                class="input font-mono flex-1"
                type={row.secret ? "password" : "text"}
                autocomplete="off"
                value={row.value}
                placeholder={row.secret && row.stored ? t("mcp.form.storedSecret") : ""}
                aria-label={t("mcp.form.valueOf", { name: row.name || String(index() + 1) })}
                onInput={(event) => update(index(), { value: event.currentTarget.value })}
                data-testid={`${props.id}-value`}
              />
              <label class="flex items-center gap-1 text-xs shrink-0">
                <input
                  type="checkbox"
                  checked={row.secret}
                  onChange={(event) =>
                    update(index(), {
                      secret: event.currentTarget.checked,
                      stored: false,
                      value: row.stored ? "" : row.value,
                    })
                  }
                  data-testid={`${props.id}-secret`}
                />
                {t("mcp.form.secret")}
              </label>
              <button
                type="button"
                class="icon-btn"
                aria-label={t("mcp.form.removeValue", { name: row.name || String(index() + 1) })}
                onClick={() => props.onChange(props.rows.filter((_, position) => position !== index()))}
              >
                ×
              </button>
            </div>
            <Show when={props.errors(index())}>
              <p class="m-0 text-xs text-danger" aria-live="polite">
                {props.errors(index())}
              </p>
            </Show>
          </div>
        )}
      </For>
      <div>
        <button
          type="button"
          class="btn-ghost border border-line"
          onClick={() => props.onChange([...props.rows, newRow()])}
          data-testid={`${props.id}-add`}
        >
          {t("mcp.form.addValue")}
        </button>
      </div>
    </fieldset>
  );
}

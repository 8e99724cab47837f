/**
 * Form building blocks for the settings pages and the setup wizard: a labelled field with a hint and a
 * live error (announced to screen readers), and validation issues (src/shared/validation.ts) turned
 * into translated messages.
 */
import { type JSX, Show } from "solid-js";
import type { FieldIssue } from "../../../../src/shared/validation.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";

/** The translated message of an issue. */
export function issueText(issue: FieldIssue | undefined): string | undefined {
  if (!issue) return undefined;
  return t(`settings.validation.${issue.code}` as MessageKey, { limit: issue.limit ?? "" });
}

/** The message for one field among the issues (exact path). */
export function fieldError(issues: readonly FieldIssue[], field: string): string | undefined {
  return issueText(issues.find((issue) => issue.field === field));
}

/** A server error's message, for a toast or a form's error line. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export function Field(props: {
  id: string;
  label: string;
  hint?: JSX.Element;
  error?: string;
  children: JSX.Element;
  class?: string;
}) {
  return (
    <div class={`flex flex-col gap-1 ${props.class ?? ""}`}>
      <label for={props.id} class="text-sm font-medium">
        {props.label}
      </label>
      {props.children}
      <Show when={props.hint && !props.error}>
        <p class="m-0 text-xs text-muted" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <p
        class="m-0 text-xs text-danger min-h-0"
        id={`${props.id}-error`}
        aria-live="polite"
        data-testid={`error-${props.id}`}
        hidden={!props.error}
      >
        {props.error}
      </p>
    </div>
  );
}

/** Props for an input inside `Field`: id, invalid state and the description link. */
export function inputProps(id: string, error: string | undefined) {
  return {
    id,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": error ? `${id}-error` : `${id}-hint`,
  };
}

/** A switch-like checkbox with its label on the right. */
export function Toggle(props: {
  id: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  hint?: string;
  testId?: string;
}) {
  return (
    <label for={props.id} class="flex items-start gap-2 text-sm cursor-pointer">
      <input
        id={props.id}
        type="checkbox"
        class="mt-1 accent-[rgb(var(--accent))]"
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
        data-testid={props.testId}
      />
      <span>
        {props.label}
        <Show when={props.hint}>
          <span class="block text-xs text-muted">{props.hint}</span>
        </Show>
      </span>
    </label>
  );
}

/** A section heading with an optional description, used by every settings page. */
export function SectionHeader(props: { title: string; description?: string; actions?: JSX.Element }) {
  return (
    <header class="flex items-start justify-between gap-4 mb-4">
      <div>
        <h2 class="text-lg font-semibold m-0">{props.title}</h2>
        <Show when={props.description}>
          <p class="m-0 mt-1 text-sm text-muted max-w-prose">{props.description}</p>
        </Show>
      </div>
      <Show when={props.actions}>
        <div class="flex items-center gap-2 shrink-0">{props.actions}</div>
      </Show>
    </header>
  );
}

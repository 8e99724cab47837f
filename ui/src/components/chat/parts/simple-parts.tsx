/** Small parts: attached files, context markers (summaries, prunes), errors, a retried step's attempts. */
import { createSignal, For, type JSX, Show } from "solid-js";
import { formatBytes } from "../../../../../src/shared/byte-size.ts";
import type { CompactionPart, ErrorPart, FailedAttempt, FilePart } from "../../../../../src/shared/parts.ts";
import { locale, t } from "../../../i18n/index.ts";
import { linkHandler } from "../../../lib/router.ts";
import { PaperclipIcon } from "../../icons.tsx";
import { Markdown } from "../../markdown/markdown.tsx";
import { fileUrl } from "../../workspace/workspace-api.ts";

export function FileChip(props: { part: FilePart; agentId?: string }) {
  const isImage = () => props.part.mime.startsWith("image/");
  const url = () => (props.agentId ? fileUrl(props.agentId, props.part.path) : undefined);
  return (
    <Show
      when={isImage() && url()}
      fallback={
        <span
          class="inline-flex items-center gap-1 rounded-md border border-line bg-panel px-2 py-1 text-xs"
          data-testid="file-part"
        >
          <PaperclipIcon size={12} /> {props.part.name}{" "}
          <span class="text-muted">({formatBytes(props.part.size)})</span>
        </span>
      }
    >
      <img
        src={url()}
        alt={props.part.name}
        class="max-h-48 max-w-64 rounded-md border border-line"
        data-testid="file-part"
        loading="lazy"
      />
    </Show>
  );
}

const NUMBER = new Intl.NumberFormat();

/**
 * A context marker: a summary (the model sees it instead of the older messages), a prune (old tool
 * outputs sent as short notes), or the summary a continued chat starts from (with a link back). One
 * collapsed line with the request's size before and after; expands to the summary or an explanation.
 */
export function CompactionNotice(props: { part: CompactionPart }) {
  const [open, setOpen] = createSignal(false);
  const prune = () => props.part.mode === "prune";
  const from = () => props.part.fromSessionId;
  const label = () =>
    prune()
      ? t("chat.pruned", { count: props.part.replacedCount })
      : from()
        ? t("chat.continuedFrom", { count: props.part.replacedCount })
        : t("chat.summary", { count: props.part.replacedCount });
  return (
    <div
      class="my-2 rounded-md border border-dashed border-line bg-panel px-3 py-2 text-sm"
      data-testid="compaction-part"
      data-mode={props.part.mode ?? "summary"}
    >
      <button
        type="button"
        class="btn-ghost px-0 py-0 text-muted text-xs text-left"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
      >
        <span aria-hidden="true">{open() ? "▾" : "▸"}</span> {label()}
        <Show when={!from() && props.part.tokensBefore > 0}>
          <span class="tabular-nums" data-testid="compaction-tokens">
            {" · "}
            {t("chat.contextTokens", {
              before: NUMBER.format(props.part.tokensBefore),
              after: NUMBER.format(props.part.tokensAfter),
            })}
          </span>
        </Show>
      </button>
      <Show when={from()}>
        {(id) => (
          <a
            href={`/s/${id()}`}
            onClick={linkHandler(`/s/${id()}`)}
            class="ml-2 text-xs underline text-accent"
            data-testid="continued-from"
          >
            {t("chat.openEarlierChat")}
          </a>
        )}
      </Show>
      <Show when={open()}>
        <Show when={!prune()} fallback={<p class="m-0 mt-2 text-xs text-muted">{t("chat.prunedExplain")}</p>}>
          <Markdown text={props.part.summary} class="mt-2 text-sm" />
        </Show>
      </Show>
    </div>
  );
}

/** Failures the user fixes in the provider's settings (key, access, model name, no provider yet). */
const PROVIDER_SETTINGS_CODES = new Set(["auth", "forbidden", "model_not_found", "no_model"]);

export function ErrorNotice(props: { part: ErrorPart; onRetry?: () => void; children?: JSX.Element }) {
  return (
    <div
      role="alert"
      class="my-2 rounded-md border border-danger/40 bg-danger/8 px-3 py-2 text-sm text-danger flex flex-wrap items-start gap-x-3 gap-y-1"
      data-testid="error-part"
    >
      <span aria-hidden="true">⚠</span>
      <span class="flex-1">{props.part.message}</span>
      <Show when={PROVIDER_SETTINGS_CODES.has(props.part.code)}>
        <a
          href="/settings/providers"
          onClick={linkHandler("/settings/providers")}
          class="btn-ghost py-0.5 text-danger underline whitespace-nowrap"
          data-testid="error-settings"
        >
          {t("error.providerSettings")}
        </a>
      </Show>
      <Show when={props.onRetry}>
        <button
          type="button"
          class="btn-ghost py-0.5 text-danger underline"
          onClick={() => props.onRetry?.()}
          data-testid="retry-button"
        >
          {t("error.retry")}
        </button>
      </Show>
      <Show when={props.children}>
        {/* Actions that need room (e.g. a model's name) go on their own line under the message. */}
        <div class="basis-full pl-6">{props.children}</div>
      </Show>
    </div>
  );
}

/**
 * "Retried N times" under a step an automatic retry replaced: expands to each failed attempt's time
 * and error (the attempts themselves are stored but not shown).
 */
export function RetriedNotice(props: { attempts: FailedAttempt[] }) {
  const [open, setOpen] = createSignal(false);
  const count = () => props.attempts.length;
  const time = (at: number) =>
    new Date(at).toLocaleTimeString(locale() === "zh" ? "zh-CN" : "en", {
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  return (
    <div class="my-1 text-xs text-muted" data-testid="retried">
      <button
        type="button"
        class="btn-ghost px-0 py-0 text-xs text-muted"
        aria-expanded={open()}
        onClick={() => setOpen(!open())}
        data-testid="retried-toggle"
      >
        <span aria-hidden="true">{open() ? "▾" : "▸"}</span>{" "}
        {count() === 1 ? t("chat.retriedOnce") : t("chat.retriedTimes", { count: count() })}
      </button>
      <Show when={open()}>
        <ol class="m-0 mt-1 pl-5 flex flex-col gap-0.5" data-testid="retried-attempts">
          <For each={props.attempts}>
            {(attempt, index) => (
              <li data-code={attempt.code}>
                {t("chat.attemptFailed", {
                  number: index() + 1,
                  time: time(attempt.at),
                  reason: attempt.message,
                })}
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}

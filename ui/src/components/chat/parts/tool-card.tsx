/**
 * One tool call as a card: what it does (by kind: shell, file edit, web fetch, browser, plan, delegation,
 * generic),
 * its status with duration, live output while it runs, the result when done, and — when the policy
 * asks — the approval prompt inline.
 */
import { createEffect, createSignal, For, Match, Show, Switch } from "solid-js";
import { formatBytes } from "../../../../../src/shared/byte-size.ts";
import type { ToolPart } from "../../../../../src/shared/parts.ts";
import { TOOL_STOPPED_ERROR } from "../../../../../src/shared/tool-stopped.ts";
import type { PendingApproval } from "../../../../../src/shared/transcript.ts";
import { type MessageKey, t } from "../../../i18n/index.ts";
import { inNativeWindow } from "../../../lib/env.ts";
import { linkHandler } from "../../../lib/router.ts";
import { noteJob, openJobsView } from "../../../state/shell-jobs.ts";
import { cardOpenChoice, rememberCardOpen } from "../../../state/tool-cards.ts";
import { fileUrl, openInFileManager } from "../../workspace/workspace-api.ts";
import { ApprovalPrompt } from "../approval-prompt.tsx";
import { DelegateBody, delegateName } from "./delegate-body.tsx";
import { DiffView, diffStat } from "./diff-view.tsx";
import { MemoryBody } from "./memory-body.tsx";
import { WebSearchBody } from "./web-search-body.tsx";

const FILE_TOOLS = new Set(["write_file", "edit_file", "apply_patch"]);

type Input = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
}

export function summarize(part: ToolPart): string {
  const input = (part.input ?? {}) as Input;
  switch (part.tool) {
    case "shell":
      return str(input.description) || str(input.command).split("\n")[0] || "";
    case "read_file":
    case "write_file":
    case "edit_file":
    case "list_dir":
      return str(input.path) || ".";
    case "glob":
    case "grep":
      return str(input.pattern);
    case "web_fetch":
    case "browser_navigate":
      return str(input.url);
    case "load_skill":
      return str(input.name);
    case "web_search":
    case "search_memory":
      return str(input.query);
    case "delegate":
      return `${delegateName(part)}: ${str(input.task).split("\n")[0]}`;
    case "apply_patch": {
      const paths = (part.output?.details?.paths as string[] | undefined) ?? [];
      return paths.join(", ");
    }
    default:
      return "";
  }
}

const STATUS_STYLE: Record<ToolPart["status"], string> = {
  pending: "text-muted",
  "awaiting-approval": "text-warn",
  running: "text-accent",
  completed: "text-ok",
  error: "text-danger",
  denied: "text-danger",
};

export function ToolCard(props: {
  part: ToolPart;
  approval?: PendingApproval;
  agentId?: string;
  sessionId: string;
}) {
  const active = () =>
    props.part.status === "running" ||
    props.part.status === "awaiting-approval" ||
    props.part.status === "pending";
  const stopped = () => props.part.status === "error" && props.part.error === TOOL_STOPPED_ERROR;
  const details = () => props.part.output?.details ?? {};
  // A shell command started with background: true returns at once; the job runs on (see the jobs view).
  const backgroundJob = () =>
    props.part.tool === "shell" && details().background === true && typeof details().jobId === "string"
      ? (details().jobId as string)
      : undefined;
  // The user's choice, kept across re-creations of this card (state/tool-cards.ts).
  const [open, setOpenSignal] = createSignal<boolean | undefined>(cardOpenChoice(props.part.id));
  const setOpen = (value: boolean) => {
    rememberCardOpen(props.part.id, value);
    setOpenSignal(value);
  };
  // A delegate card open while its child works (the default) stays open when the child finishes: the
  // user was watching its progress, and its outcome shows there. Closing it is the user's choice.
  createEffect(() => {
    if (props.part.tool === "delegate" && active() && open() === undefined) setOpen(true);
  });
  const expanded = () =>
    open() ??
    (active() ||
      props.part.status === "error" ||
      backgroundJob() !== undefined ||
      FILE_TOOLS.has(props.part.tool) ||
      // A screenshot is the point of its card: shown as a thumbnail without a click.
      (props.part.output?.images?.length ?? 0) > 0);
  const duration = () =>
    props.part.startedAt && props.part.endedAt
      ? `${((props.part.endedAt - props.part.startedAt) / 1000).toFixed(1)}s`
      : "";
  const stat = () => (typeof details().diff === "string" ? diffStat(details().diff as string) : undefined);
  createEffect(() => {
    if (backgroundJob()) noteJob(props.sessionId);
  });

  return (
    <div
      class="my-1.5 rounded-lg border border-line bg-panel text-sm"
      data-testid="tool-card"
      data-tool={props.part.tool}
      data-status={props.part.status}
    >
      <button
        type="button"
        class="w-full flex items-center gap-2 px-3 py-1.5 bg-transparent border-0 text-left text-fg cursor-pointer rounded-lg hover:bg-raised"
        aria-expanded={expanded()}
        onClick={() => setOpen(!expanded())}
      >
        <span class="font-mono text-xs font-semibold shrink-0">{props.part.tool}</span>
        <span class="truncate text-muted font-mono text-xs flex-1">{summarize(props.part)}</span>
        <Show when={stat()}>
          {(s) => (
            <span class="text-xs font-mono shrink-0">
              <span class="text-ok">+{s().added}</span> <span class="text-danger">−{s().removed}</span>
            </span>
          )}
        </Show>
        <Show
          when={backgroundJob()}
          fallback={
            <span
              class={`text-xs shrink-0 ${stopped() ? "text-muted" : STATUS_STYLE[props.part.status]}`}
              data-testid="tool-status"
            >
              <Show when={props.part.status === "running"}>
                <span
                  class="inline-block w-2 h-2 rounded-full bg-accent animate-pulse mr-1"
                  aria-hidden="true"
                />
              </Show>
              {stopped() ? t("chat.stopped") : t(`tool.${props.part.status}` as MessageKey)}
              <Show when={duration()}> · {duration()}</Show>
            </span>
          }
        >
          {(jobId) => (
            <span
              class="text-xs shrink-0 text-accent"
              data-testid="tool-status"
              data-background-job={jobId()}
            >
              {t("jobs.card.status", { id: jobId() })}
            </span>
          )}
        </Show>
      </button>
      <Show when={props.approval}>
        {(approval) => <ApprovalPrompt approval={approval()} sessionId={props.sessionId} />}
      </Show>
      <Show when={expanded()}>
        <div class="border-t border-line px-3 py-2 flex flex-col gap-2">
          <Switch fallback={<GenericBody part={props.part} />}>
            <Match when={backgroundJob()}>
              {(jobId) => (
                <BackgroundShellBody part={props.part} jobId={jobId()} sessionId={props.sessionId} />
              )}
            </Match>
            <Match when={props.part.tool === "shell"}>
              <ShellBody part={props.part} commandShown={!!props.approval} />
            </Match>
            <Match when={props.part.tool === "delegate"}>
              <DelegateBody part={props.part} />
            </Match>
            <Match when={FILE_TOOLS.has(props.part.tool) && typeof details().diff === "string"}>
              <DiffView diff={details().diff as string} maxLines={400} />
            </Match>
            <Match when={props.part.tool === "web_fetch" && props.part.output}>
              <WebFetchBody part={props.part} />
            </Match>
            <Match when={props.part.tool === "web_search" && props.part.output}>
              <WebSearchBody part={props.part} />
            </Match>
            <Match when={props.part.tool === "search_memory" && props.part.output}>
              <MemoryBody part={props.part} />
            </Match>
            <Match when={typeof details().taskId === "string" && props.part.status === "completed"}>
              <GenericBody part={props.part} />
              <Show when={props.part.tool !== "delete_scheduled_task"}>
                <a
                  href={`/tasks/${encodeURIComponent(details().taskId as string)}`}
                  onClick={linkHandler(`/tasks/${encodeURIComponent(details().taskId as string)}`)}
                  class="text-xs text-accent"
                  data-testid="tool-open-task"
                >
                  {t("tool.openTask")}
                </a>
              </Show>
            </Match>
            <Match when={props.part.output?.images?.length && props.agentId}>
              <ImagesBody part={props.part} agentId={props.agentId as string} />
            </Match>
          </Switch>
          <Show when={props.part.error && !stopped()}>
            <p class="m-0 text-danger text-xs whitespace-pre-wrap" data-testid="tool-error">
              {props.part.error}
            </p>
          </Show>
          <Show when={props.part.output?.truncated && props.part.output?.fullOutputPath}>
            <p class="m-0 text-xs text-muted">
              {t("tool.truncated", { path: props.part.output?.fullOutputPath ?? "" })}
            </p>
          </Show>
        </div>
      </Show>
    </div>
  );
}

/** `commandShown`: the approval prompt above already shows the command (not repeated here). */
function ShellBody(props: { part: ToolPart; commandShown?: boolean }) {
  const input = () => (props.part.input ?? {}) as Input;
  // A command killed by a signal has no exit code (its output ends with how it was stopped).
  const exitCode = () => {
    const code = props.part.output?.details?.exitCode;
    return typeof code === "number" ? code : undefined;
  };
  const text = () => props.part.output?.text ?? props.part.progress ?? "";
  return (
    <>
      <Show when={!props.commandShown}>
        <pre class="m-0 text-xs font-mono whitespace-pre-wrap text-fg" data-testid="shell-command">
          <span class="text-muted select-none">$ </span>
          {str(input().command)}
        </pre>
      </Show>
      <Show when={text()}>
        <pre
          class="m-0 max-h-80 overflow-auto rounded bg-[#0f1411] text-[#d7e2dc] text-xs font-mono p-2 whitespace-pre-wrap"
          data-testid="shell-output"
        >
          {text()}
        </pre>
      </Show>
      <Show when={exitCode() !== undefined}>
        <span
          class={`text-xs font-mono ${exitCode() === 0 ? "text-ok" : "text-danger"}`}
          data-testid="exit-code"
        >
          {t("tool.exitCode", { code: String(exitCode()) })}
        </span>
      </Show>
    </>
  );
}

/** A background start: the command, that it runs on as its job, and the way to the jobs view. */
function BackgroundShellBody(props: { part: ToolPart; jobId: string; sessionId: string }) {
  const input = () => (props.part.input ?? {}) as Input;
  return (
    <>
      <pre class="m-0 text-xs font-mono whitespace-pre-wrap text-fg" data-testid="shell-command">
        <span class="text-muted select-none">$ </span>
        {str(input().command)}
      </pre>
      <div class="flex items-center gap-3 flex-wrap">
        <p class="m-0 text-xs text-muted flex-1 min-w-60" data-testid="background-explain">
          {t("jobs.card.explain", { id: props.jobId })}
        </p>
        <button
          type="button"
          class="btn-ghost border border-line py-0.5 px-2 text-xs"
          onClick={() => openJobsView(props.sessionId, props.jobId)}
          data-testid="open-jobs"
        >
          {t("jobs.card.open")}
        </button>
      </div>
    </>
  );
}

function WebFetchBody(props: { part: ToolPart }) {
  const d = () => props.part.output?.details ?? {};
  return (
    <div class="text-xs flex flex-col gap-1">
      <span class="font-medium">{str(d().title)}</span>
      <span class="text-muted font-mono break-all">
        {str(d().finalUrl ?? d().url)} · {str(d().status)} ·{" "}
        {typeof d().bytes === "number" ? formatBytes(d().bytes as number) : ""}
      </span>
    </div>
  );
}

function ImagesBody(props: { part: ToolPart; agentId: string }) {
  return (
    <div class="flex gap-2 flex-wrap">
      <For each={props.part.output?.images ?? []}>
        {(image) => (
          <a
            href={fileUrl(props.agentId, image.path)}
            target="_blank"
            rel="noopener"
            onClick={(event) => {
              // The window opens no new windows: show the image in its folder instead.
              if (!inNativeWindow()) return;
              event.preventDefault();
              void openInFileManager(props.agentId, image.path).catch(() => {});
            }}
          >
            <img
              src={fileUrl(props.agentId, image.path)}
              alt={image.path}
              class="max-h-40 rounded border border-line"
              loading="lazy"
              data-testid="tool-image"
            />
          </a>
        )}
      </For>
      <p class="m-0 text-xs text-muted whitespace-pre-wrap w-full">{props.part.output?.text}</p>
    </div>
  );
}

function GenericBody(props: { part: ToolPart }) {
  return (
    <>
      <details>
        <summary class="text-xs text-muted cursor-pointer">{t("tool.arguments")}</summary>
        <pre class="m-0 mt-1 text-xs font-mono whitespace-pre-wrap max-h-60 overflow-auto">
          {JSON.stringify(props.part.input ?? {}, null, 2)}
        </pre>
      </details>
      <Show when={props.part.output?.text || props.part.progress}>
        <pre
          class="m-0 text-xs font-mono whitespace-pre-wrap max-h-80 overflow-auto"
          data-testid="tool-output"
        >
          {props.part.output?.text ?? props.part.progress}
        </pre>
      </Show>
    </>
  );
}

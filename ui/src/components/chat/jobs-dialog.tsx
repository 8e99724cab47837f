/**
 * The jobs view: every background shell job of the chat's session, newest first — its state (running,
 * exited with its code, killed, timed out), how long it ran, the end of its output, and a Kill button.
 * Opened from the chat header or a background shell card (state/shell-jobs.ts). While open it polls the
 * jobs API once a second (list, and the output of the jobs shown unfolded); closed, it asks nothing.
 */
import { Dialog } from "@kobalte/core/dialog";
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { ShellJobInfo, ShellJobOutputTail } from "../../../../src/shared/shell-jobs.ts";
import { t } from "../../i18n/index.ts";
import { closeJobsView, jobOutput, jobsView, killJob, listJobs } from "../../state/shell-jobs.ts";
import { notifyError } from "../../state/toasts.ts";

const POLL_MS = 1000;

const STATE_STYLE: Record<ShellJobInfo["state"], string> = {
  running: "text-accent border-accent",
  exited: "text-muted border-line",
  killed: "text-warn border-warn",
  timed_out: "text-warn border-warn",
};

export function JobsDialog(props: { sessionId: string }) {
  const open = () => jobsView()?.sessionId === props.sessionId;
  return (
    <Dialog open={open()} onOpenChange={(next) => !next && closeJobsView()}>
      <Dialog.Portal>
        <Dialog.Overlay class="fixed inset-0 bg-black/40 z-40" />
        <div class="fixed inset-0 z-50 grid place-items-center p-4">
          <Dialog.Content
            class="card w-full max-w-3xl max-h-[85vh] flex flex-col p-5 shadow-xl bg-bg"
            data-testid="jobs-dialog"
            // Escape closes the view only: kept from the window, where it would also stop a running turn.
            onEscapeKeyDown={(event) => event.stopPropagation()}
          >
            <div class="flex items-center justify-between gap-3 mb-1">
              <Dialog.Title class="text-lg font-semibold m-0">{t("jobs.title")}</Dialog.Title>
              <Dialog.CloseButton class="btn-ghost text-sm" data-testid="jobs-close">
                {t("common.close")}
              </Dialog.CloseButton>
            </div>
            <Dialog.Description class="m-0 mb-3 text-xs text-muted">
              {t("jobs.intro")} {t("jobs.updating")}
            </Dialog.Description>
            <JobList sessionId={props.sessionId} focusJobId={jobsView()?.jobId} />
          </Dialog.Content>
        </div>
      </Dialog.Portal>
    </Dialog>
  );
}

/** Mounted only while the dialog is open: polls, and stops polling when it goes away. */
function JobList(props: { sessionId: string; focusJobId?: string }) {
  // A store reconciled by id: rows (and their open output, scroll position) survive each poll.
  const [jobs, setJobs] = createStore<ShellJobInfo[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [now, setNow] = createSignal(Date.now());
  const [unfolded, setUnfolded] = createStore<Record<string, boolean>>(
    props.focusJobId ? { [props.focusJobId]: true } : {},
  );
  const [outputs, setOutputs] = createStore<Record<string, ShellJobOutputTail>>({});
  let stopped = false;

  const refresh = async () => {
    try {
      const list = await listJobs(props.sessionId);
      if (stopped) return;
      // Unfold the newest job when none was asked for, so its output shows at once.
      const newest = list.at(-1);
      if (newest && !loaded() && !props.focusJobId) setUnfolded(newest.id, true);
      setJobs(reconcile(list, { key: "id" }));
      setLoaded(true);
      setError(undefined);
      setNow(Date.now());
      await Promise.all(
        list
          .filter((job) => unfolded[job.id] && (job.state === "running" || !outputs[job.id]))
          .map(async (job) => {
            const output = await jobOutput(props.sessionId, job.id);
            if (!stopped) setOutputs(job.id, output);
          }),
      );
    } catch (failure) {
      if (!stopped) setError((failure as Error).message);
    }
  };

  onMount(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    onCleanup(() => {
      stopped = true;
      clearInterval(timer);
    });
  });

  const toggle = (job: ShellJobInfo) => {
    setUnfolded(job.id, !unfolded[job.id]);
    if (unfolded[job.id]) void refresh();
  };

  const kill = async (job: ShellJobInfo) => {
    try {
      const ended = await killJob(props.sessionId, job.id);
      setJobs((candidate) => candidate.id === ended.id, reconcile(ended));
      void refresh();
    } catch (failure) {
      notifyError((failure as Error).message);
    }
  };

  return (
    <div class="min-h-0 overflow-y-auto flex flex-col gap-2" data-testid="jobs-list">
      <Show when={error()}>
        <p class="m-0 text-danger text-sm" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={loaded() && jobs.length === 0}>
        <p class="m-0 text-sm text-muted" data-testid="jobs-empty">
          {t("jobs.empty")}
        </p>
      </Show>
      <For each={[...jobs].reverse()}>
        {(job) => (
          <JobRow
            job={job}
            now={now()}
            unfolded={unfolded[job.id] === true}
            output={outputs[job.id]}
            onToggle={() => toggle(job)}
            onKill={() => kill(job)}
          />
        )}
      </For>
    </div>
  );
}

function duration(job: ShellJobInfo, now: number): string {
  const seconds = Math.max(0, ((job.endedAt ?? now) - job.startedAt) / 1000);
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60
    ? `${minutes}m ${Math.floor(seconds % 60)}s`
    : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function JobRow(props: {
  job: ShellJobInfo;
  now: number;
  unfolded: boolean;
  output?: ShellJobOutputTail;
  onToggle(): void;
  onKill(): Promise<void>;
}) {
  const [killing, setKilling] = createSignal(false);
  // The view shows the end of the output: it follows new output unless the user scrolled up to read.
  let outputBox: HTMLPreElement | undefined;
  let following = true;
  createEffect(
    on(
      () => props.output?.text,
      () => {
        if (outputBox && following) outputBox.scrollTop = outputBox.scrollHeight;
      },
    ),
  );
  const label = () => props.job.description || props.job.command.split("\n")[0];
  // Output before the shown tail (the view asks for the end only).
  const hiddenChars = () =>
    Math.max(0, (props.output?.job.outputChars ?? 0) - (props.output?.text.length ?? 0));
  const kill = async () => {
    setKilling(true);
    await props.onKill();
    setKilling(false);
  };
  return (
    <section
      class="rounded-lg border border-line bg-panel text-sm"
      data-testid="job-row"
      data-job-id={props.job.id}
      data-state={props.job.state}
      aria-label={`${props.job.id}: ${label()}`}
    >
      <div class="flex items-center gap-2 px-3 py-2 min-w-0">
        <span class="font-mono text-xs font-semibold shrink-0">{props.job.id}</span>
        <span
          class={`text-xs rounded-full border px-2 shrink-0 ${STATE_STYLE[props.job.state]}`}
          data-testid="job-state"
        >
          <Show when={props.job.state === "running"}>
            <span class="inline-block w-1.5 h-1.5 rounded-full bg-accent animate-pulse mr-1 align-middle" />
          </Show>
          {t(`jobs.state.${props.job.state}`)}
        </span>
        <span class="truncate flex-1 text-muted" title={props.job.command}>
          {label()}
        </span>
        <Show when={props.job.exitCode !== null}>
          <span
            class={`text-xs font-mono shrink-0 ${props.job.exitCode === 0 ? "text-ok" : "text-danger"}`}
            data-testid="job-exit-code"
          >
            {t("jobs.exitCode", { code: String(props.job.exitCode) })}
          </span>
        </Show>
        <span class="text-xs tabular-nums text-muted shrink-0" data-testid="job-duration">
          {duration(props.job, props.now)}
        </span>
        <button
          type="button"
          class="btn-ghost py-0.5 px-2 text-xs shrink-0"
          aria-expanded={props.unfolded}
          onClick={() => props.onToggle()}
          data-testid="job-toggle-output"
        >
          {t("jobs.showOutput")} {props.unfolded ? "▾" : "▸"}
        </button>
        <Show when={props.job.state === "running"}>
          <button
            type="button"
            class="btn-danger py-0.5 px-2 text-xs shrink-0"
            disabled={killing()}
            aria-label={t("jobs.killLabel", { id: props.job.id })}
            onClick={() => void kill()}
            data-testid="job-kill"
          >
            {killing() ? t("jobs.killing") : t("jobs.kill")}
          </button>
        </Show>
      </div>
      <Show when={props.unfolded}>
        <div class="border-t border-line px-3 py-2 flex flex-col gap-2">
          <pre class="m-0 text-xs font-mono whitespace-pre-wrap text-fg" data-testid="job-command">
            <span class="text-muted select-none">$ </span>
            {props.job.command}
          </pre>
          <Show when={hiddenChars() > 0}>
            <p class="m-0 text-xs text-muted">{t("jobs.omitted", { count: hiddenChars() })}</p>
          </Show>
          <pre
            ref={outputBox}
            class="m-0 max-h-64 overflow-auto rounded bg-[#0f1411] text-[#d7e2dc] text-xs font-mono p-2 whitespace-pre-wrap"
            onScroll={(event) => {
              const box = event.currentTarget;
              following = box.scrollHeight - box.scrollTop - box.clientHeight < 8;
            }}
            data-testid="job-output"
          >
            {props.output?.text || t("jobs.noOutput")}
          </pre>
        </div>
      </Show>
    </section>
  );
}

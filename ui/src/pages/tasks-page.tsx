/**
 * The Tasks page (/tasks, /tasks/new, /tasks/:id): scheduled tasks in the list (with the pause switch
 * for all scheduled work), the chosen task in the detail (beside the list, or alone with a Back control
 * in a narrow window: components/layout/list-detail.tsx) — its schedule, Run now, enable / disable,
 * delete, the edit form and its run history with links to each run's chat. Tasks an agent created from
 * a chat appear here too: the list and the history refresh every few seconds while the page is open.
 */
import { createResource, createSignal, For, Match, onCleanup, onMount, Show, Switch } from "solid-js";
import type { ScheduledTask } from "../../../src/shared/schedule.ts";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { DrawerButton } from "../components/layout/drawer-button.tsx";
import { ListDetail } from "../components/layout/list-detail.tsx";
import { LoadFailed } from "../components/load-failed.tsx";
import { TaskForm } from "../components/tasks/task-form.tsx";
import { statusLabel, TaskHistory } from "../components/tasks/task-history.tsx";
import { formatTime } from "../components/tasks/task-times.ts";
import { tasksApi } from "../components/tasks/tasks-api.ts";
import { t } from "../i18n/index.ts";
import { linkHandler, navigate } from "../lib/router.ts";
import { agentById } from "../state/agents.ts";
import { notify, notifyError } from "../state/toasts.ts";

const REFRESH_MS = 3000;

export function scheduleText(task: ScheduledTask): string {
  return task.kind === "once"
    ? t("tasks.onceAt", { time: formatTime(task.runAt) })
    : t("tasks.everyCron", { cron: `${task.cron ?? ""}${task.timezone ? ` (${task.timezone})` : ""}` });
}

export function TasksPage(props: { taskId?: string }) {
  const [data, { refetch, mutate }] = createResource(tasksApi.list);
  // `latest` keeps the shown list while a refresh loads (no flash); nothing after an error.
  const loaded = () => (data.error ? undefined : data.latest);
  const selected = () => loaded()?.tasks.find((task) => task.id === props.taskId);
  const timer = setInterval(() => void refetch(), REFRESH_MS);
  onCleanup(() => clearInterval(timer));

  const togglePause = async () => {
    const paused = loaded()?.status.paused ?? false;
    try {
      const status = await tasksApi.setPaused(!paused);
      const current = loaded();
      if (current) mutate({ ...current, status });
    } catch (error) {
      notifyError((error as Error).message);
    }
  };

  return (
    <ListDetail
      testId="tasks-page"
      listLabel={t("tasks.title")}
      // A failed load shows in the detail, also in a narrow window (the list is empty then).
      showDetail={props.taskId !== undefined || data.error !== undefined}
      onBack={props.taskId !== undefined ? () => navigate("/tasks") : undefined}
      list={
        <>
          <div class="px-3 h-12 flex items-center gap-2 border-b border-line">
            <DrawerButton />
            <h1 class="m-0 text-base font-semibold flex-1">{t("tasks.title")}</h1>
            <a
              href="/tasks/new"
              class="btn-primary text-xs"
              onClick={linkHandler("/tasks/new")}
              data-testid="task-new"
            >
              {t("tasks.new")}
            </a>
          </div>
          <Show when={loaded()}>
            {(current) => (
              <>
                {/* Pausing is offered once there is something to pause (or to resume a pause). */}
                <Show when={current().tasks.length > 0 || current().status.paused}>
                  <div class="px-3 py-2 border-b border-line flex flex-col gap-1">
                    <Show when={current().status.paused}>
                      <p class="m-0 text-xs text-warn" role="status" data-testid="tasks-paused">
                        {t("tasks.paused")}
                      </p>
                    </Show>
                    <button
                      type="button"
                      class="btn-ghost text-xs self-start"
                      onClick={() => void togglePause()}
                      data-testid="tasks-pause"
                    >
                      {current().status.paused ? t("tasks.resume") : t("tasks.pause")}
                    </button>
                  </div>
                </Show>
                <ul class="list-none m-0 p-2 flex flex-col gap-1 overflow-y-auto" data-testid="task-list">
                  <For each={current().tasks}>
                    {(task) => (
                      <li>
                        <a
                          href={`/tasks/${task.id}`}
                          onClick={linkHandler(`/tasks/${task.id}`)}
                          class={`block rounded-md px-2 py-1.5 no-underline text-fg hover:bg-raised ${task.id === props.taskId ? "bg-raised" : ""}`}
                          aria-current={task.id === props.taskId ? "page" : undefined}
                          data-testid="task-item"
                        >
                          <span class="block text-sm font-medium truncate">{task.name}</span>
                          <span class="block text-xs text-muted truncate">
                            {task.enabled
                              ? task.nextRunAt
                                ? t("tasks.next", { time: formatTime(task.nextRunAt) })
                                : t("tasks.noNext")
                              : t("tasks.disabled")}
                            <Show when={task.lastRun}>{(run) => ` · ${statusLabel(run().status)}`}</Show>
                          </span>
                        </a>
                      </li>
                    )}
                  </For>
                </ul>
                {/* A narrow window shows the list alone: the detail's empty state would never be seen. */}
                <Show when={current().tasks.length === 0}>
                  <div class="md:hidden px-4 py-2 flex flex-col gap-2" data-testid="tasks-list-empty">
                    <h2 class="m-0 text-base font-semibold">{t("tasks.empty.title")}</h2>
                    <p class="m-0 text-sm text-muted">{t("tasks.empty.body")}</p>
                  </div>
                </Show>
              </>
            )}
          </Show>
        </>
      }
      detail={
        <Switch>
          <Match when={data.error}>
            <LoadFailed
              message={t("tasks.loadFailed", { message: (data.error as Error).message })}
              onRetry={() => void refetch()}
            />
          </Match>
          <Match when={!loaded()}>
            <p class="text-muted">{t("common.loading")}</p>
          </Match>
          <Match when={props.taskId === "new"}>
            <h2 class="m-0 mb-4 text-lg font-semibold">{t("tasks.new")}</h2>
            <TaskForm
              onSaved={(task) => {
                notify(t("tasks.form.created"));
                void refetch();
                navigate(`/tasks/${task.id}`, { replace: true });
              }}
              onCancel={() => navigate("/tasks")}
            />
          </Match>
          <Match when={props.taskId ? selected() : undefined} keyed>
            {(task) => <TaskDetail task={task} onChanged={() => void refetch()} />}
          </Match>
          <Match when={props.taskId}>
            <p class="text-muted" data-testid="task-missing">
              {t("tasks.missing", { id: props.taskId ?? "" })}
            </p>
          </Match>
          <Match when={loaded()?.tasks.length === 0}>
            <div class="max-w-xl flex flex-col gap-3 items-start" data-testid="tasks-empty">
              <h2 class="m-0 text-lg font-semibold">{t("tasks.empty.title")}</h2>
              <p class="m-0 text-sm text-muted">{t("tasks.empty.body")}</p>
              <a href="/tasks/new" class="btn-primary" onClick={linkHandler("/tasks/new")}>
                {t("tasks.new")}
              </a>
            </div>
          </Match>
          <Match when={true}>
            <p class="text-muted">{t("tasks.pick")}</p>
          </Match>
        </Switch>
      }
    />
  );
}

function TaskDetail(props: { task: ScheduledTask; onChanged(): void }) {
  const [runs, { refetch }] = createResource(() => props.task.id, tasksApi.runs);
  const [editing, setEditing] = createSignal(false);
  const [confirming, setConfirming] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let timer: ReturnType<typeof setInterval> | undefined;
  onMount(() => {
    timer = setInterval(() => void refetch(), REFRESH_MS);
  });
  onCleanup(() => clearInterval(timer));

  const act = async (work: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    try {
      await work();
      if (done) notify(done);
      props.onChanged();
      void refetch();
    } catch (error) {
      notifyError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const task = () => props.task;
  return (
    <div class="flex flex-col gap-6" data-testid="task-detail">
      <header class="flex flex-col gap-1">
        <h2 class="m-0 text-lg font-semibold break-words" data-testid="task-title">
          {task().name}
        </h2>
        <p class="m-0 text-sm text-muted" data-testid="task-schedule">
          {scheduleText(task())} ·{" "}
          {task().enabled
            ? task().nextRunAt
              ? t("tasks.next", { time: formatTime(task().nextRunAt) })
              : t("tasks.noNext")
            : t("tasks.disabled")}
        </p>
        <p class="m-0 text-xs text-muted">
          {agentById(task().agentId)?.config.name ?? task().agentId}
          <Show when={task().createdBy === "agent"}> · {t("tasks.byAgent")}</Show>
        </p>
      </header>
      <div class="flex flex-wrap gap-2">
        <button
          type="button"
          class="btn-primary"
          disabled={
            busy() || runs.latest?.[0]?.status === "running" || runs.latest?.[0]?.status === "waiting"
          }
          onClick={() => void act(() => tasksApi.runNow(task().id), t("tasks.started"))}
          data-testid="task-run-now"
        >
          {t("tasks.runNow")}
        </button>
        <button
          type="button"
          class="btn-ghost"
          disabled={busy()}
          onClick={() => void act(() => tasksApi.update(task().id, { enabled: !task().enabled }))}
          data-testid="task-toggle"
        >
          {task().enabled ? t("tasks.disable") : t("tasks.enable")}
        </button>
        <button
          type="button"
          class="btn-ghost"
          onClick={() => setEditing(!editing())}
          data-testid="task-edit"
        >
          {editing() ? t("tasks.form.cancel") : t("tasks.edit")}
        </button>
        <button
          type="button"
          class="btn-ghost text-danger"
          disabled={busy()}
          onClick={() => setConfirming(true)}
          data-testid="task-delete"
        >
          {t("tasks.delete")}
        </button>
      </div>
      <Show
        when={editing()}
        fallback={
          <pre class="m-0 card p-3 text-sm whitespace-pre-wrap font-sans" data-testid="task-prompt-view">
            {task().prompt}
          </pre>
        }
      >
        <TaskForm
          task={task()}
          onSaved={() => {
            notify(t("tasks.form.saved"));
            setEditing(false);
            props.onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      </Show>
      <TaskHistory runs={runs.latest ?? []} />
      <ConfirmDialog
        open={confirming()}
        title={t("tasks.deleteTitle", { name: task().name })}
        description={t("tasks.deleteBody")}
        confirmLabel={t("tasks.delete")}
        danger
        busy={busy()}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          void act(async () => {
            await tasksApi.remove(task().id);
            setConfirming(false);
            navigate("/tasks", { replace: true });
          }, t("tasks.deleted"))
        }
      />
    </div>
  );
}

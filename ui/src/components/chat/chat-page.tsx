/**
 * The chat page. Without a session: the welcome state (typing or picking an example starts a chat).
 * With one: header, transcript, the live strip (retries, queue, questions), the plan, and the composer.
 */
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import type { RetryState } from "../../../../src/shared/events.ts";
import type { MessageInfo } from "../../../../src/shared/parts.ts";
import { t } from "../../i18n/index.ts";
import { agentDescription } from "../../lib/agent-text.ts";
import { linkHandler, navigate } from "../../lib/router.ts";
import { agentById, agents } from "../../state/agents.ts";
import { newClientTurnId, send } from "../../state/connection.ts";
import { drawer } from "../../state/drawer.ts";
import { createSession, ensureSession, leaveSession, sessions } from "../../state/sessions.ts";
import { openJobsView, sessionHasJobs } from "../../state/shell-jobs.ts";
import { notifyError } from "../../state/toasts.ts";
import { dismissNotice, transcript } from "../../state/transcripts.ts";
import { DrawerButton } from "../layout/drawer-button.tsx";
import { startNewChat } from "../layout/sidebar.tsx";
import { WorkspacePanel } from "../workspace/workspace-panel.tsx";
import { ChatHeader } from "./chat-header.tsx";
import { Composer } from "./composer.tsx";
import { EmptyState } from "./empty-state.tsx";
import { JobsDialog } from "./jobs-dialog.tsx";
import { MessageList } from "./message-list.tsx";
import { PlanCard } from "./plan-card.tsx";
import { QuestionCard } from "./question-card.tsx";
import { SubAgentNote } from "./sub-agent-note.tsx";
import { TodoPanel } from "./todo-panel.tsx";
import { TurnNoticeLine } from "./turn-notice.tsx";

export function ChatPage(props: { sessionId?: string; focusMessageId?: string }) {
  return (
    <Show when={props.sessionId} keyed fallback={<Welcome />}>
      {(sessionId) => <SessionView sessionId={sessionId} focusMessageId={props.focusMessageId} />}
    </Show>
  );
}

function agentLabelOf(agentId?: string): string {
  const agent = agentById(agentId) ?? agents.list.find((a) => a.isDefault);
  return agent ? agent.config.name : "Sage";
}

/** No session open: examples start one. */
function Welcome() {
  const start = async (text: string) => {
    try {
      const session = await createSession(agents.currentId);
      navigate(`/s/${session.id}`);
      send({ type: "submit", sessionId: session.id, clientTurnId: newClientTurnId(), text });
    } catch (error) {
      notifyError((error as Error).message);
    }
  };
  const agent = () => agentById(agents.currentId);
  return (
    <div class="flex-1 flex flex-col min-h-0">
      <Show when={drawer.narrow()}>
        <div class="h-12 shrink-0 px-2 flex items-center border-b border-line">
          <DrawerButton />
        </div>
      </Show>
      <EmptyState
        agentLabel={agentLabelOf(agents.currentId)}
        description={agentDescription(agent()?.config)}
        onExample={(text) => void start(text)}
      />
      <div class="p-4 text-center">
        <button type="button" class="btn-primary" onClick={() => void startNewChat()}>
          + {t("sidebar.newChat")}
        </button>
      </div>
    </div>
  );
}

function SessionView(props: { sessionId: string; focusMessageId?: string }) {
  const open = transcript(props.sessionId);
  const [editing, setEditing] = createSignal<
    { messageId: string; text: string; plan?: boolean } | undefined
  >();
  const [workspaceOpen, setWorkspaceOpen] = createSignal(localStorage.getItem("sage.workspaceOpen") === "1");
  const toggleWorkspace = () => {
    const next = !workspaceOpen();
    setWorkspaceOpen(next);
    localStorage.setItem("sage.workspaceOpen", next ? "1" : "0");
  };
  const summary = () => sessions.byId[props.sessionId];
  // Leaving a chat the user never used removes it (the server checks): empty chats do not pile up.
  onCleanup(() => {
    if (open.state.order.length === 0 && open.state.queued.length === 0 && !running())
      void leaveSession(props.sessionId);
  });
  // An old chat opened from search or a link may be beyond the sidebar's loaded pages.
  createEffect(() => {
    if (sessions.loaded && !summary()) void ensureSession(props.sessionId);
  });
  const agentId = () => summary()?.agentId;
  const agentLabel = () => agentLabelOf(agentId());
  const running = () => open.state.turnId !== null || open.state.status === "running";
  const questions = createMemo(() =>
    Object.values(open.state.questions).filter((q) => q.purpose === "continue" || !q.partId),
  );
  // On a tool's card: ask_user, and a sub-agent's questions (its loop question too) on its delegate card.
  const toolQuestions = createMemo(() =>
    Object.values(open.state.questions).filter(
      (q) => q.partId && q.purpose !== "continue" && q.purpose !== "plan",
    ),
  );
  const plans = createMemo(() => Object.values(open.state.questions).filter((q) => q.purpose === "plan"));

  const editLast = () => {
    const order = open.state.order;
    for (let i = order.length - 1; i >= 0; i--) {
      const info = open.state.messages[order[i] as string] as MessageInfo | undefined;
      if (info?.role === "user" && info.kind === "normal") {
        const text = (open.state.parts[info.id] ?? []).map((p) => (p.type === "text" ? p.text : "")).join("");
        setEditing({ messageId: info.id, text, plan: info.plan });
        return;
      }
    }
  };

  const ctx = {
    get sessionId() {
      return props.sessionId;
    },
    get agentId() {
      return agentId();
    },
    get agentLabel() {
      return agentLabel();
    },
    state: open.state,
    /** A sub-agent's chat: no edit or regenerate (the server refuses them too). */
    get readOnly() {
      return !!summary()?.parent;
    },
    onEdit: (messageId: string, text: string, plan?: boolean) => setEditing({ messageId, text, plan }),
  };

  // Announced to screen readers (aria-live): working, then how the turn ended, for a few seconds.
  const [ended, setEnded] = createSignal<"done" | "stopped" | "error" | undefined>();
  createEffect(
    on(running, (now, before) => {
      if (now || !before) return setEnded(undefined);
      const last = open.state.messages[open.state.order[open.state.order.length - 1] ?? ""];
      setEnded(last?.status === "stopped" ? "stopped" : last?.status === "error" ? "error" : "done");
      setTimeout(() => setEnded(undefined), 5000);
    }),
  );
  const statusText = () => {
    if (running()) return t("chat.turnStatus.running");
    const outcome = ended();
    return outcome ? t(`chat.turnStatus.${outcome}`) : "";
  };

  return (
    <Show when={!open.meta.missing} fallback={<MissingChat />}>
      <div class="flex-1 flex min-h-0 min-w-0">
        <div
          class="flex-1 flex flex-col min-h-0 min-w-0"
          data-testid="chat-view"
          data-session-id={props.sessionId}
        >
          <ChatHeader
            sessionId={props.sessionId}
            title={summary()?.title ?? ""}
            agentLabel={agentLabel()}
            agentId={agentId()}
            onToggleWorkspace={toggleWorkspace}
            workspaceOpen={workspaceOpen()}
            onOpenJobs={sessionHasJobs(props.sessionId) ? () => openJobsView(props.sessionId) : undefined}
            hasMessages={open.state.order.length > 0}
            turnId={open.state.turnId}
          />
          <Show when={summary()?.parent}>
            {(parent) => (
              <p
                class="m-0 px-4 py-1.5 text-xs text-muted border-b border-line"
                data-testid="subagent-banner"
              >
                {t("delegate.parent")}{" "}
                <a
                  href={`/s/${parent().sessionId}`}
                  onClick={linkHandler(`/s/${parent().sessionId}`)}
                  class="underline text-accent"
                  data-testid="subagent-parent-link"
                >
                  {t("delegate.openParent")}
                </a>
              </p>
            )}
          </Show>
          <JobsDialog sessionId={props.sessionId} />
          <div class="sr-only" role="status" aria-live="polite" data-testid="turn-status">
            {statusText()}
          </div>
          <Switch>
            <Match when={open.meta.loading}>
              <div class="flex-1 grid place-items-center text-muted text-sm">{t("common.loading")}</div>
            </Match>
            <Match when={open.meta.error}>
              <div class="flex-1 grid place-items-center text-danger text-sm" role="alert">
                {open.meta.error}
              </div>
            </Match>
            <Match when={open.state.order.length === 0 && !running()}>
              <EmptyState
                agentLabel={agentLabel()}
                description={agentDescription(agentById(agentId())?.config)}
                onExample={(text) =>
                  send({ type: "submit", sessionId: props.sessionId, clientTurnId: newClientTurnId(), text })
                }
              />
            </Match>
            <Match when={true}>
              <MessageList transcript={open} ctx={ctx} focusMessageId={props.focusMessageId} />
            </Match>
          </Switch>
          <div class="shrink-0 flex flex-col gap-1">
            <TodoPanel todos={open.state.todos} />
            <Show when={open.meta.notice}>
              {(notice) => (
                <TurnNoticeLine notice={notice()} onDismiss={() => dismissNotice(props.sessionId)} />
              )}
            </Show>
            <Show when={open.state.retry}>{(retry) => <RetryNotice retry={retry()} />}</Show>
            <Show when={open.state.queued.length > 0}>
              <ul
                class="mx-auto w-full max-w-3xl px-4 m-0 list-none flex flex-col gap-1"
                data-testid="queued-turns"
              >
                <For each={open.state.queued}>
                  {(item) => (
                    <li class="text-xs text-muted flex items-center gap-2">
                      <span class="rounded-full border border-line px-2">{t("chat.queued")}</span>
                      <span class="truncate flex-1">{item.text}</span>
                      <button
                        type="button"
                        class="icon-btn w-6 h-6 shrink-0"
                        aria-label={t("chat.unqueue", { text: item.text.slice(0, 60) })}
                        title={t("chat.unqueueShort")}
                        onClick={() =>
                          send({
                            type: "unqueue",
                            sessionId: props.sessionId,
                            clientTurnId: item.clientTurnId,
                          })
                        }
                        data-testid="unqueue"
                      >
                        ×
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <div class="mx-auto w-full max-w-3xl px-4">
              <For each={[...questions(), ...toolQuestions()]}>
                {(question) => <QuestionCard question={question} sessionId={props.sessionId} />}
              </For>
              <For each={plans()}>
                {(question) => <PlanCard question={question} sessionId={props.sessionId} />}
              </For>
            </div>
          </div>
          <Show
            when={summary()?.parent}
            fallback={
              <Composer
                sessionId={props.sessionId}
                agentLabel={agentLabel()}
                agentId={agentId()}
                model={summary()?.model}
                running={running()}
                editing={editing()}
                onCancelEdit={() => setEditing(undefined)}
                onEditLast={editLast}
                onClear={() => void startNewChat()}
              />
            }
          >
            {(parent) => (
              <SubAgentNote
                sessionId={props.sessionId}
                parent={parent()}
                agentLabel={agentLabel()}
                running={running()}
              />
            )}
          </Show>
        </div>
        <Show when={workspaceOpen() && agentId()}>
          {(id) => <WorkspacePanel agentId={id()} sessionId={props.sessionId} onClose={toggleWorkspace} />}
        </Show>
      </div>
    </Show>
  );
}

/** A chat address the server does not know (deleted, or a stale link): say so, offer a new chat. */
function MissingChat() {
  return (
    <div class="flex-1 flex flex-col min-h-0" data-testid="chat-missing">
      <Show when={drawer.narrow()}>
        <div class="h-12 shrink-0 px-2 flex items-center border-b border-line">
          <DrawerButton />
        </div>
      </Show>
      <div class="flex-1 grid place-items-center p-4">
        <div class="max-w-md flex flex-col items-center gap-3 text-center" role="alert">
          <h1 class="m-0 text-lg font-semibold">{t("chat.missing.title")}</h1>
          <p class="m-0 text-sm text-muted">{t("chat.missing.body")}</p>
          <button type="button" class="btn-primary" onClick={() => void startNewChat()}>
            + {t("sidebar.newChat")}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The back-off between two attempts, counting down to the next one (the server's clock, same machine). */
function RetryNotice(props: { retry: RetryState }) {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 250);
  onCleanup(() => clearInterval(timer));
  const seconds = () => Math.max(0, Math.ceil((props.retry.at + props.retry.delayMs - now()) / 1000));
  return (
    <p class="mx-auto w-full max-w-3xl px-4 m-0 text-xs text-warn" role="status" data-testid="retry-notice">
      <span aria-hidden="true">
        {t("chat.retrying", { seconds: seconds(), attempt: props.retry.attempt, reason: props.retry.reason })}
      </span>
      {/* Announced once, not at every tick of the countdown. */}
      <span class="sr-only">
        {t("chat.retryingAnnounced", { attempt: props.retry.attempt, reason: props.retry.reason })}
      </span>
    </p>
  );
}

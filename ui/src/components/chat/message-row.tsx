/**
 * One message of the transcript. User messages: text, attachments, actions (copy, edit, versions).
 * Assistant steps: their parts in order; the first step of a turn carries the agent's name, the last one
 * the turn's footer (usage, copy, regenerate, undo file changes, versions). A step retried automatically
 * is one row (the reducer drops the superseded attempts) saying how often it was retried.
 */
import { createMemo, For, Match, Show, Switch } from "solid-js";
import type { CompactionPart, MessageInfo, Part, ToolPart } from "../../../../src/shared/parts.ts";
import type { TurnChangedFile } from "../../../../src/shared/tools-api.ts";
import type { TranscriptState } from "../../../../src/shared/transcript.ts";
import { t } from "../../i18n/index.ts";
import { turnChanges } from "../../state/turn-changes.ts";
import { Markdown } from "../markdown/markdown.tsx";
import { copyText, fileList, regenerate, siblingOf, switchVersion, undoTurnFiles } from "./actions.ts";
import { compactionRow } from "./compaction-runs.ts";
import { ContextErrorActions } from "./context-error-actions.tsx";
import { CompactionGroup } from "./parts/compaction-group.tsx";
import { ReasoningPart } from "./parts/reasoning-part.tsx";
import { CompactionNotice, ErrorNotice, FileChip, RetriedNotice } from "./parts/simple-parts.tsx";
import { ToolCard } from "./parts/tool-card.tsx";

export interface RowContext {
  sessionId: string;
  agentId?: string;
  agentLabel: string;
  state: TranscriptState;
  /** A sub-agent's chat: its messages offer no edit or regenerate. */
  readOnly?: boolean;
  onEdit(messageId: string, text: string, plan?: boolean): void;
}

const WRITE_TOOLS = new Set(["write_file", "edit_file", "apply_patch"]);
const NUMBER = new Intl.NumberFormat();

export function MessageRow(props: { id: string; index: number; ctx: RowContext }) {
  const info = () => props.ctx.state.messages[props.id] as MessageInfo;
  const parts = () => props.ctx.state.parts[props.id] ?? [];
  const order = () => props.ctx.state.order;
  const prev = () => props.ctx.state.messages[order()[props.index - 1] ?? ""];
  const next = () => props.ctx.state.messages[order()[props.index + 1] ?? ""];
  const firstOfTurn = () =>
    info().role === "assistant" && (prev()?.role !== "assistant" || prev()?.turnId !== info().turnId);
  // The turn's footer (usage, copy, regenerate, undo) comes once the turn is over: a step that ended
  // with a tool call still running or waiting for approval is not the turn's last yet.
  const lastOfTurn = () =>
    info().role === "assistant" &&
    info().status !== "streaming" &&
    (!info().turnId || info().turnId !== props.ctx.state.turnId) &&
    (next()?.role !== "assistant" || next()?.turnId !== info().turnId);

  return (
    <div
      class="mx-auto w-full max-w-3xl px-4"
      data-testid="message"
      data-role={info()?.role}
      data-kind={info()?.kind}
      data-message-id={props.id}
    >
      <Show when={info()}>
        <Switch>
          <Match when={info().kind === "summary"}>
            <SummaryMessage parts={parts()} index={props.index} ctx={props.ctx} />
          </Match>
          <Match when={info().role === "user"}>
            <UserMessage info={info()} parts={parts()} ctx={props.ctx} />
          </Match>
          <Match when={info().role === "assistant"}>
            <div class={firstOfTurn() ? "pt-4" : ""}>
              <Show when={firstOfTurn()}>
                <div class="text-xs font-semibold text-muted mb-1">{props.ctx.agentLabel}</div>
              </Show>
              <AssistantParts info={info()} parts={parts()} ctx={props.ctx} />
              <Show when={info().attempts?.length ? info().attempts : undefined}>
                {(attempts) => <RetriedNotice attempts={attempts()} />}
              </Show>
              <Show when={info().status === "stopped"}>
                <p class="m-0 text-xs text-muted italic">{t("chat.stopped")}</p>
              </Show>
              <Show when={info().status === "interrupted"}>
                <p class="m-0 text-xs text-warn" data-testid="interrupted-notice">
                  {t("chat.interrupted")}
                </p>
              </Show>
              <Show when={lastOfTurn()}>
                <TurnFooter info={info()} index={props.index} ctx={props.ctx} />
              </Show>
            </div>
          </Match>
        </Switch>
      </Show>
    </div>
  );
}

/** A context marker: alone, as the row of its turn's run of markers, or nothing (shown in that row). */
function SummaryMessage(props: { parts: Part[]; index: number; ctx: RowContext }) {
  const row = createMemo(() => compactionRow(props.ctx.state, props.index));
  return (
    <Switch>
      <Match when={row().kind === "single"}>
        <For each={props.parts}>
          {(part) => part.type === "compaction" && <CompactionNotice part={part} />}
        </For>
      </Match>
      <Match when={row().kind === "group" && row()}>
        {(group) => <CompactionGroup markers={(group() as { markers: CompactionPart[] }).markers} />}
      </Match>
    </Switch>
  );
}

function UserMessage(props: { info: MessageInfo; parts: Part[]; ctx: RowContext }) {
  const text = () =>
    props.parts
      .filter((p) => p.type === "text")
      .map((p) => (p.type === "text" ? p.text : ""))
      .join("\n");
  return (
    <div class="flex flex-col items-end pt-4 group">
      <Show when={props.info.kind === "guidance"}>
        <span class="text-[11px] uppercase tracking-wide text-accent mb-0.5">{t("chat.guidance")}</span>
      </Show>
      <Show when={props.info.plan}>
        <span
          class="text-[11px] uppercase tracking-wide text-accent mb-0.5"
          title={t("plan.sentInPlanMode")}
          data-testid="plan-marker"
        >
          {t("plan.mode")}
        </span>
      </Show>
      <div
        class="max-w-[85%] rounded-2xl rounded-br-md bg-raised px-4 py-2 whitespace-pre-wrap break-words"
        data-testid="user-text"
      >
        {text()}
      </div>
      <Show when={props.parts.some((p) => p.type === "file")}>
        <div class="flex gap-2 flex-wrap justify-end mt-1">
          <For each={props.parts}>
            {(part) => part.type === "file" && <FileChip part={part} agentId={props.ctx.agentId} />}
          </For>
        </div>
      </Show>
      <div class="flex items-center gap-1 mt-1 opacity-0 group-hover:opacity-100 focus-within:opacity-100 text-xs">
        <Versions info={props.info} ctx={props.ctx} />
        <button
          type="button"
          class="btn-ghost py-0.5 px-1.5 text-xs text-muted"
          onClick={() => void copyText(text())}
          aria-label={t("chat.copyMessage")}
        >
          {t("common.copy")}
        </button>
        <Show when={props.info.kind === "normal" && !props.ctx.readOnly}>
          <button
            type="button"
            class="btn-ghost py-0.5 px-1.5 text-xs text-muted"
            onClick={() => props.ctx.onEdit(props.info.id, text(), props.info.plan)}
            data-testid="edit-message"
          >
            {t("chat.edit")}
          </button>
        </Show>
      </div>
    </div>
  );
}

function AssistantParts(props: { info: MessageInfo; parts: Part[]; ctx: RowContext }) {
  const approvalFor = (partId: string) =>
    Object.values(props.ctx.state.approvals).find((a) => a.partId === partId);
  const retry = () => {
    const userId = findTurnUserMessage(props.ctx.state, props.info);
    if (userId) void regenerate(props.ctx.sessionId, userId);
  };
  return (
    <For each={props.parts}>
      {(part) => (
        <Switch>
          <Match when={part.type === "text" && part}>
            {(p) => (
              <Markdown
                text={(p() as { text: string }).text}
                streaming={props.info.status === "streaming"}
                class="my-1"
              />
            )}
          </Match>
          <Match when={part.type === "reasoning" && part}>
            {(p) => <ReasoningPart part={p() as Extract<Part, { type: "reasoning" }>} />}
          </Match>
          <Match when={part.type === "tool" && part}>
            {(p) => (
              <ToolCard
                part={p() as ToolPart}
                approval={approvalFor(part.id)}
                agentId={props.ctx.agentId}
                sessionId={props.ctx.sessionId}
              />
            )}
          </Match>
          <Match when={part.type === "error" && part}>
            {(p) => {
              const error = p() as Extract<Part, { type: "error" }>;
              const settled = () =>
                props.ctx.state.turnId === null && isLastMessage(props.ctx.state, props.info.id);
              // Too long even after compacting: a plain retry would fail the same way; offer what helps.
              const tooLong = error.code === "context_length";
              return (
                <ErrorNotice
                  part={error}
                  onRetry={settled() && !tooLong && !props.ctx.readOnly ? retry : undefined}
                >
                  <Show when={settled() && tooLong}>
                    <ContextErrorActions
                      sessionId={props.ctx.sessionId}
                      modelId={props.info.model}
                      userMessageId={findTurnUserMessage(props.ctx.state, props.info)}
                    />
                  </Show>
                </ErrorNotice>
              );
            }}
          </Match>
          <Match when={part.type === "file" && part}>
            {(p) => <FileChip part={p() as Extract<Part, { type: "file" }>} agentId={props.ctx.agentId} />}
          </Match>
        </Switch>
      )}
    </For>
  );
}

function isLastMessage(state: TranscriptState, id: string): boolean {
  return state.order[state.order.length - 1] === id;
}

/** The user message that started the turn of `info` (walking back from its row through the loaded order). */
function findTurnUserMessage(state: TranscriptState, info: MessageInfo, from?: number): string | undefined {
  let index = from !== undefined && state.order[from] === info.id ? from : state.order.indexOf(info.id);
  while (index >= 0) {
    const message = state.messages[state.order[index] as string];
    if (message?.role === "user" && message.kind === "normal") return message.id;
    index--;
  }
  return undefined;
}

/** The assistant steps of `info`'s turn: a walk back from it while the turn lasts (never the whole list). */
function stepsOfTurn(state: TranscriptState, info: MessageInfo, from: number): MessageInfo[] {
  const steps: MessageInfo[] = [];
  const start = state.order[from] === info.id ? from : state.order.indexOf(info.id);
  for (let index = start; index >= 0; index--) {
    const message = state.messages[state.order[index] as string];
    if (!message || message.turnId !== info.turnId) break;
    if (message.role === "assistant") steps.unshift(message);
  }
  return steps;
}

function TurnFooter(props: { info: MessageInfo; index: number; ctx: RowContext }) {
  const turnMessages = createMemo(() => stepsOfTurn(props.ctx.state, props.info, props.index));
  const usage = createMemo(() =>
    turnMessages().reduce(
      (sum, m) => ({
        input: sum.input + (m.usage?.inputTokens ?? 0),
        output: sum.output + (m.usage?.outputTokens ?? 0),
      }),
      { input: 0, output: 0 },
    ),
  );
  const changedFiles = createMemo(() =>
    turnMessages().some((m) =>
      (props.ctx.state.parts[m.id] ?? []).some(
        (p) => p.type === "tool" && WRITE_TOOLS.has(p.tool) && p.status === "completed",
      ),
    ),
  );
  const text = () =>
    turnMessages()
      .flatMap((m) => props.ctx.state.parts[m.id] ?? [])
      .filter((p) => p.type === "text")
      .map((p) => (p.type === "text" ? p.text : ""))
      .join("\n\n");
  const firstAssistant = () => turnMessages()[0];
  const userMessageId = () => findTurnUserMessage(props.ctx.state, props.info, props.index);
  const busy = () => props.ctx.state.turnId !== null;
  // What Undo would restore, from the server (asked only once the turn is over and only for a turn
  // whose tools wrote files); gone once used.
  const undoable = createMemo(() => {
    const turnId = props.info.turnId;
    if (!turnId || !changedFiles() || busy()) return undefined;
    const changes = turnChanges(props.ctx.sessionId, turnId);
    return changes && changes.files.length > 0 && changes.undoneAt === null ? changes : undefined;
  });
  const undoLabel = (files: TurnChangedFile[]) =>
    t(files.length === 1 ? "chat.undo.labelOne" : "chat.undo.labelMany", {
      count: files.length,
      files: fileList(
        files.map((file) => (file.created ? t("chat.undo.newFile", { path: file.path }) : file.path)),
      ),
    });
  return (
    <div class="flex items-center gap-1 mt-1 text-xs text-muted" data-testid="turn-footer">
      <Show when={firstAssistant()}>{(first) => <Versions info={first()} ctx={props.ctx} />}</Show>
      {/* A turn without text (only tools, or an error) has nothing to copy. */}
      <Show when={text().trim()}>
        <button
          type="button"
          class="btn-ghost py-0.5 px-1.5 text-xs text-muted"
          onClick={() => void copyText(text())}
          aria-label={t("chat.copyMessage")}
          data-testid="copy-turn"
        >
          {t("common.copy")}
        </button>
      </Show>
      <Show when={userMessageId() && !busy() && !props.ctx.readOnly}>
        <button
          type="button"
          class="btn-ghost py-0.5 px-1.5 text-xs text-muted"
          onClick={() => void regenerate(props.ctx.sessionId, userMessageId() as string)}
          data-testid="regenerate"
        >
          {t("chat.regenerate")}
        </button>
      </Show>
      <Show when={undoable()}>
        {(changes) => (
          <button
            type="button"
            class="btn-ghost py-0.5 px-1.5 text-xs text-muted min-w-0 max-w-md"
            title={`${undoLabel(changes().files)}\n${t("chat.undo.explain")}`}
            onClick={() => void undoTurnFiles(props.ctx.sessionId, changes().turnId)}
            data-testid="undo-files"
          >
            <span class="truncate">{undoLabel(changes().files)}</span>
          </button>
        )}
      </Show>
      <Show when={usage().input + usage().output > 0}>
        <span class="ml-auto tabular-nums" data-testid="turn-usage">
          {t("chat.usage", {
            input: NUMBER.format(usage().input),
            output: NUMBER.format(usage().output),
          })}
        </span>
      </Show>
    </div>
  );
}

function Versions(props: { info: MessageInfo; ctx: RowContext }) {
  const go = async (direction: -1 | 1) => {
    const target = await siblingOf(props.ctx.sessionId, props.info.id, direction);
    if (target) await switchVersion(props.ctx.sessionId, target);
  };
  return (
    <Show when={props.info.versions && props.info.versions.count > 1 && props.info.versions}>
      {(v) => (
        <span class="inline-flex items-center gap-0.5 text-xs text-muted" data-testid="versions">
          <button
            type="button"
            class="icon-btn w-6 h-6"
            disabled={v().index <= 1}
            onClick={() => void go(-1)}
            aria-label={t("chat.previousVersion")}
          >
            ‹
          </button>
          <span class="tabular-nums">{t("chat.version", { index: v().index, count: v().count })}</span>
          <button
            type="button"
            class="icon-btn w-6 h-6"
            disabled={v().index >= v().count}
            onClick={() => void go(1)}
            aria-label={t("chat.nextVersion")}
          >
            ›
          </button>
        </span>
      )}
    </Show>
  );
}

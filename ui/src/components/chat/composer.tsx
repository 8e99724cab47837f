/**
 * The message box. Enter sends, Shift+Enter adds a line, Esc stops a running turn, ↑ in an empty box
 * edits the last message. Attach files by picker, drag and drop, or pasting images. "/" opens the
 * command list (built-ins and skills). While a turn runs, sending either guides it (delivered at its
 * next step) or queues a new turn — the user's choice, remembered. Stop takes the queued messages back
 * into the box (nothing typed is lost). The model picker sits beside the attach button, then the
 * plan-mode switch (Alt+P; per message).
 */
import { createEffect, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import type { Attachment } from "../../../../src/shared/client-messages.ts";
import type { SessionModel } from "../../../../src/shared/session.ts";
import { chooseFiles } from "../../actions/open-files.ts";
import { t } from "../../i18n/index.ts";
import { newClientTurnId, send } from "../../state/connection.ts";
import { pendingDraft, takeDraft } from "../../state/drafts.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { transcript } from "../../state/transcripts.ts";
import { PaperclipIcon, StopIcon } from "../icons.tsx";
import { expandPromptCommand, MissingPromptArguments, promptTemplate } from "../mcp/mcp-composer.ts";
import { McpResourceButton } from "../mcp/mcp-resource-button.tsx";
import { uploadAttachments } from "../workspace/upload.ts";
import { continueInNewChat, editMessage } from "./actions.ts";
import { AttachmentChips } from "./attachment-chips.tsx";
import { ModelPicker } from "./model-picker.tsx";
import { isPlanShortcut, PlanToggle } from "./plan-toggle.tsx";
import { type SlashCommand, slashCommands } from "./slash-commands.ts";
import { SlashMenu } from "./slash-menu.tsx";

export interface ComposerProps {
  sessionId: string;
  agentLabel: string;
  agentId?: string;
  /** The model picked for this session, if any (see ModelPicker). */
  model?: SessionModel;
  running: boolean;
  /** An earlier user message being edited; `plan`: it was sent in plan mode (the switch starts so). */
  editing?: { messageId: string; text: string; plan?: boolean };
  onCancelEdit(): void;
  onEditLast(): void;
  onClear(): void;
}

type WhileRunning = "inject" | "queue";

export function Composer(props: ComposerProps) {
  const [text, setText] = createSignal("");
  const [attachments, setAttachments] = createSignal<Attachment[]>([]);
  const [uploading, setUploading] = createSignal<string | undefined>();
  const [dragging, setDragging] = createSignal(false);
  const [whileRunning, setWhileRunning] = createSignal<WhileRunning>(
    (localStorage.getItem("sage.whileRunning") as WhileRunning) || "inject",
  );
  const [menuIndex, setMenuIndex] = createSignal(0);
  const [plan, setPlan] = createSignal(false);
  let input!: HTMLTextAreaElement;
  let picker!: HTMLInputElement;

  const commands = (): SlashCommand[] => {
    const match = /^\/([\w:.-]*)$/.exec(text());
    return match ? slashCommands(match[1] ?? "", props.agentId) : [];
  };

  const autosize = () => {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 320)}px`;
  };

  onMount(() => input.focus());

  // Text from a sage://new?prompt= link: into the box, not sent (the user reads it and presses Enter).
  createEffect(
    on(
      () => pendingDraft(props.sessionId),
      (draft) => {
        if (draft === undefined) return;
        takeDraft(props.sessionId);
        setText(draft);
        queueMicrotask(() => {
          autosize();
          input.focus();
        });
      },
    ),
  );

  // Editing an earlier message: load its text into the box.
  createEffect(
    on(
      () => props.editing?.messageId,
      () => {
        if (!props.editing) return;
        setText(props.editing.text);
        setPlan(!!props.editing.plan);
        queueMicrotask(() => {
          autosize();
          input.focus();
        });
      },
    ),
  );

  const submit = async () => {
    const value = text().trim();
    if (!value && attachments().length === 0) return;
    if (uploading()) return;
    if (props.editing) {
      if (await editMessage(props.sessionId, props.editing.messageId, value, plan())) {
        props.onCancelEdit();
        setPlan(false);
        setText("");
        autosize();
      }
      return;
    }
    if (value === "/clear") {
      setText("");
      props.onClear();
      return;
    }
    if (value === "/continue") {
      if (await continueInNewChat(props.sessionId)) setText("");
      return;
    }
    // An MCP prompt command is expanded into the box first; the next Enter sends it.
    try {
      const expanded = await expandPromptCommand(value, props.agentId);
      if (expanded !== undefined) {
        setText(expanded);
        queueMicrotask(autosize);
        return;
      }
    } catch (error) {
      notifyError(
        error instanceof MissingPromptArguments
          ? t("composer.mcpPromptMissing", { names: error.names.join(", ") })
          : (error as Error).message,
      );
      return;
    }
    send({
      type: "submit",
      sessionId: props.sessionId,
      clientTurnId: newClientTurnId(),
      text: value,
      attachments: attachments(),
      options: {
        // A plan-mode message is a turn of its own: it waits in the queue rather than guiding.
        ...(props.running ? { whileRunning: plan() ? "queue" : whileRunning() } : {}),
        ...(plan() ? { plan: true } : {}),
      },
    });
    setPlan(false);
    setText("");
    setAttachments([]);
    autosize();
  };

  /** Stop the turn; the server drops the queue, so its messages come back here, before any draft. */
  const stop = () => {
    const returned = transcript(props.sessionId)
      .state.queued.map((queued) => queued.text.trim())
      .filter((queued) => queued.length > 0);
    send({ type: "stop", sessionId: props.sessionId });
    if (returned.length === 0) return;
    const draft = text().trim();
    setText([...returned, ...(draft ? [draft] : [])].join("\n\n"));
    queueMicrotask(() => {
      autosize();
      input.focus();
    });
    notify(t("composer.queueReturned", { count: returned.length }));
  };

  const addFiles = async (files: File[], pasted = false) => {
    if (files.length === 0) return;
    setUploading(files.map((f) => f.name || "image").join(", "));
    try {
      const uploaded = await uploadAttachments(props.sessionId, files, { pasted });
      setAttachments([...attachments(), ...uploaded]);
    } catch (error) {
      notifyError((error as Error).message);
    } finally {
      setUploading(undefined);
    }
  };

  const pickCommand = (command: SlashCommand) => {
    setText(command.prompt ? promptTemplate(command.prompt) : `/${command.name} `);
    setMenuIndex(0);
    input.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const list = commands();
    if (list.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        setMenuIndex((menuIndex() + (event.key === "ArrowDown" ? 1 : list.length - 1)) % list.length);
        return;
      }
      if (
        event.key === "Tab" ||
        (event.key === "Enter" &&
          !event.shiftKey &&
          list[menuIndex()] &&
          text() !== `/${list[menuIndex()]?.name}`)
      ) {
        event.preventDefault();
        pickCommand(list[menuIndex()] as SlashCommand);
        return;
      }
    }
    if (isPlanShortcut(event)) {
      event.preventDefault();
      setPlan(!plan());
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === "Escape") {
      if (props.editing) {
        props.onCancelEdit();
        setText("");
      } else if (props.running) {
        event.preventDefault();
        stop();
      }
    } else if (event.key === "ArrowUp" && text() === "" && !props.editing) {
      event.preventDefault();
      props.onEditLast();
    }
  };

  /** Esc anywhere stops the turn, unless it closes something first (a dialog, a menu, a drawer). */
  const onGlobalKey = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !props.running || document.activeElement === input) return;
    if (
      event.defaultPrevented ||
      document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]')
    )
      return;
    stop();
  };
  onMount(() => window.addEventListener("keydown", onGlobalKey));
  onCleanup(() => window.removeEventListener("keydown", onGlobalKey));

  return (
    <div
      class={`border-t border-line bg-bg px-4 pt-3 pb-4 ${dragging() ? "ring-2 ring-accent ring-inset" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void addFiles([...(e.dataTransfer?.files ?? [])]);
      }}
    >
      <div class="mx-auto w-full max-w-3xl flex flex-col gap-2">
        <Show when={props.editing}>
          <div class="flex items-center justify-between text-xs text-accent">
            <span>{t("composer.editing")}</span>
            <button
              type="button"
              class="btn-ghost py-0.5 text-xs"
              onClick={() => {
                props.onCancelEdit();
                setText("");
              }}
            >
              {t("composer.cancelEdit")}
            </button>
          </div>
        </Show>
        <AttachmentChips
          attachments={attachments()}
          uploading={uploading()}
          onRemove={(file) => setAttachments(attachments().filter((a) => a !== file))}
        />
        <div class="relative rounded-xl border border-line bg-panel focus-within:border-accent">
          <SlashMenu commands={commands()} selected={menuIndex()} onPick={pickCommand} />
          <textarea
            ref={input}
            rows={1}
            class="block w-full resize-none bg-transparent border-0 outline-none focus-visible:outline-none px-3 pt-3 pb-1 text-sm text-fg max-h-80"
            placeholder={t("composer.placeholder", { agent: props.agentLabel })}
            aria-label={t("composer.placeholder", { agent: props.agentLabel })}
            value={text()}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setMenuIndex(0);
              autosize();
            }}
            onKeyDown={onKeyDown}
            onPaste={(e) => {
              const files = [...(e.clipboardData?.files ?? [])];
              if (files.length > 0) {
                e.preventDefault();
                void addFiles(files, true);
              }
            }}
            data-testid="composer-input"
          />
          <div class="flex items-center gap-2 px-2 pb-2">
            <input
              ref={picker}
              type="file"
              multiple
              class="hidden"
              onChange={(e) => void addFiles([...(e.currentTarget.files ?? [])])}
              data-testid="file-input"
            />
            <button
              type="button"
              class="icon-btn"
              onClick={() =>
                void chooseFiles(
                  picker,
                  { title: t("composer.attach"), multiple: true },
                  (files) => void addFiles(files),
                )
              }
              aria-label={t("composer.attach")}
              title={t("composer.attach")}
              data-testid="attach"
            >
              <PaperclipIcon />
            </button>
            <McpResourceButton agentId={props.agentId} onFile={(file) => void addFiles([file])} />
            <ModelPicker sessionId={props.sessionId} agentId={props.agentId} picked={props.model} />
            <PlanToggle on={plan()} onToggle={() => setPlan(!plan())} />
            <Show when={props.running}>
              <div class="flex items-center gap-1 text-xs text-muted">
                <span>{t("composer.whileRunning")}</span>
                <For each={["inject", "queue"] as WhileRunning[]}>
                  {(mode) => (
                    <button
                      type="button"
                      aria-pressed={whileRunning() === mode}
                      class={`px-2 py-0.5 rounded-full border text-xs ${whileRunning() === mode ? "border-accent text-accent" : "border-line text-muted"}`}
                      onClick={() => {
                        setWhileRunning(mode);
                        localStorage.setItem("sage.whileRunning", mode);
                      }}
                      data-testid={`while-running-${mode}`}
                    >
                      {mode === "inject" ? t("composer.inject") : t("composer.queue")}
                    </button>
                  )}
                </For>
              </div>
            </Show>
            <div class="flex-1" />
            <Show when={props.running}>
              <button
                type="button"
                class="btn-danger"
                onClick={stop}
                data-testid="stop"
                title={t("composer.stop")}
              >
                <StopIcon size={12} /> {t("composer.stop")}
              </button>
            </Show>
            <button
              type="button"
              class="btn-primary"
              onClick={() => void submit()}
              disabled={!text().trim() && attachments().length === 0}
              data-testid="send"
            >
              {t("composer.send")}
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * A plain-text code editor: a monospace <textarea> (no wrapping) with a line-number gutter that scrolls
 * with it. Tab inserts two spaces (Escape then Tab leaves the editor, so keyboard users are never
 * trapped); Ctrl/Cmd+S calls `onSave`.
 */
import { createMemo } from "solid-js";

export function SkillEditor(props: {
  value: string;
  onInput(value: string): void;
  onSave(): void;
  label: string;
  readOnly?: boolean;
}) {
  let gutter!: HTMLPreElement;
  let escaped = false;
  const lineNumbers = createMemo(() => {
    const count = props.value.split("\n").length;
    return Array.from({ length: count }, (_, index) => index + 1).join("\n");
  });

  const onKeyDown = (event: KeyboardEvent & { currentTarget: HTMLTextAreaElement }) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      props.onSave();
      return;
    }
    if (event.key === "Escape") {
      escaped = true;
      return;
    }
    if (event.key === "Tab" && !event.shiftKey && !escaped && !props.readOnly) {
      event.preventDefault();
      const area = event.currentTarget;
      const { selectionStart, selectionEnd, value } = area;
      const next = `${value.slice(0, selectionStart)}  ${value.slice(selectionEnd)}`;
      area.value = next;
      area.selectionStart = area.selectionEnd = selectionStart + 2;
      props.onInput(next);
      return;
    }
    escaped = false;
  };

  return (
    <div class="flex flex-1 min-h-0 border border-line rounded-md overflow-hidden bg-bg font-mono text-[13px] leading-5">
      <pre
        ref={gutter}
        aria-hidden="true"
        class="m-0 py-2 px-2 text-right text-muted bg-panel select-none overflow-hidden border-r border-line min-w-10"
      >
        {lineNumbers()}
      </pre>
      <textarea
        class="flex-1 min-w-0 m-0 py-2 px-3 resize-none border-0 outline-none bg-transparent text-fg font-mono text-[13px] leading-5 whitespace-pre overflow-auto focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-accent"
        wrap="off"
        spellcheck={false}
        autocapitalize="off"
        autocomplete="off"
        aria-label={props.label}
        readOnly={props.readOnly}
        value={props.value}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        onScroll={(event) => {
          gutter.scrollTop = event.currentTarget.scrollTop;
        }}
        onKeyDown={onKeyDown}
        data-testid="skill-editor"
      />
    </div>
  );
}

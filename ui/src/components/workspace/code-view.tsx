/**
 * A text file with line numbers, highlighted by the Markdown component's shiki highlighter when the
 * language is known and the text is small enough (shiki is slow on very large files). The `markdown`
 * class on the wrapper brings the app's shiki colour rules (light and dark); the `!` utilities keep
 * both columns on the same line grid whatever those rules say about <pre>.
 */
import { createEffect, createMemo, on } from "solid-js";
import { highlightWithin } from "../markdown/highlight.ts";

/** Larger texts are shown plain. */
export const HIGHLIGHT_LIMIT = 200_000;

const GRID = "!m-0 !p-0 !text-xs !leading-5 !overflow-visible !border-0 font-mono";

export function CodeView(props: { text: string; language?: string }) {
  let root!: HTMLDivElement;
  let code!: HTMLElement;
  const lineCount = createMemo(() => {
    const text = props.text;
    let count = 1;
    for (let index = text.indexOf("\n"); index >= 0; index = text.indexOf("\n", index + 1)) count++;
    return text.endsWith("\n") ? count - 1 : count;
  });
  const numbers = createMemo(() => Array.from({ length: lineCount() }, (_, index) => index + 1).join("\n"));

  createEffect(
    on([() => props.text, () => props.language], ([text, language]) => {
      code.textContent = text;
      delete code.dataset.highlighted;
      if (language && text.length <= HIGHLIGHT_LIMIT) {
        code.dataset.lang = language;
        void highlightWithin(root);
      } else delete code.dataset.lang;
    }),
  );

  return (
    <div ref={root} class="markdown flex min-w-max text-fg" data-testid="workspace-code">
      <div class="sticky left-0 bg-panel border-r border-line px-3 py-2 text-right text-muted select-none">
        <pre class={`${GRID} !bg-transparent`} aria-hidden="true">
          {numbers()}
        </pre>
      </div>
      <div class="pl-3 pr-4 py-2">
        <pre class={`${GRID} !bg-transparent`}>
          <code ref={code} class="block !text-xs !leading-5 !bg-transparent !p-0" />
        </pre>
      </div>
    </div>
  );
}

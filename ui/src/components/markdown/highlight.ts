/**
 * Syntax highlighting for rendered Markdown: code blocks are sent to the highlighter worker
 * (highlight-worker.ts, shiki) and their plain text is replaced by the highlighted spans when the answer
 * comes. The page's thread only swaps HTML; grammar compiling and tokenizing happen in the worker.
 * Both themes are CSS variables, so switching light/dark needs no re-highlighting.
 */

const ALIASES: Record<string, string> = {
  sh: "bash",
  shell: "bash",
  zsh: "bash",
  js: "javascript",
  ts: "typescript",
  py: "python",
  yml: "yaml",
  md: "markdown",
  console: "bash",
};

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (result: { html?: string; failed?: boolean }) => void>();
const failedLanguages = new Set<string>();

function highlighter(): Worker {
  if (!worker) {
    worker = new Worker(new URL("./highlight-worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<{ id: number; html?: string; failed?: boolean }>) => {
      pending.get(event.data.id)?.(event.data);
      pending.delete(event.data.id);
    };
  }
  return worker;
}

function highlight(code: string, lang: string): Promise<{ html?: string; failed?: boolean }> {
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    highlighter().postMessage({ id, code, lang });
  });
}

/** Highlight every plain code block inside `root` (idempotent: marks what it did). */
export async function highlightWithin(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>("pre > code[data-lang]:not([data-highlighted])")];
  await Promise.all(
    blocks.map(async (code) => {
      const requested = code.dataset.lang ?? "";
      const lang = ALIASES[requested] ?? requested;
      code.dataset.highlighted = "1";
      if (!lang || failedLanguages.has(lang)) return;
      const result = await highlight(code.textContent ?? "", lang);
      if (result.failed) failedLanguages.add(lang);
      else if (result.html !== undefined && code.isConnected) {
        code.innerHTML = result.html;
        code.parentElement?.classList.add("shiki");
      }
    }),
  );
}

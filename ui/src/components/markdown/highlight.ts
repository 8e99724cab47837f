/**
 * Syntax highlighting with shiki, loaded on demand (the first code block pays for it, the app start does
 * not). Both themes are emitted as CSS variables, so switching light/dark needs no re-highlighting.
 */
import type { HighlighterGeneric } from "shiki";

// biome-ignore lint/suspicious/noExplicitAny: shiki's generic language/theme parameters
type Highlighter = HighlighterGeneric<any, any>;
let highlighter: Promise<Highlighter> | undefined;
const failedLanguages = new Set<string>();

function load(): Promise<Highlighter> {
  highlighter ??= import("shiki").then(({ createHighlighter }) =>
    createHighlighter({ themes: ["github-light", "github-dark"], langs: [] }),
  );
  return highlighter;
}

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

/** Highlight every plain code block inside `root` (idempotent: marks what it did). */
export async function highlightWithin(root: HTMLElement): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>("pre > code[data-lang]:not([data-highlighted])")];
  if (blocks.length === 0) return;
  const shiki = await load();
  for (const code of blocks) {
    const requested = code.dataset.lang ?? "";
    const lang = ALIASES[requested] ?? requested;
    code.dataset.highlighted = "1";
    if (!lang || failedLanguages.has(lang)) continue;
    try {
      if (!shiki.getLoadedLanguages().includes(lang)) await shiki.loadLanguage(lang);
      const html = shiki.codeToHtml(code.textContent ?? "", {
        lang,
        themes: { light: "github-light", dark: "github-dark" },
        defaultColor: false,
      });
      const template = document.createElement("template");
      template.innerHTML = html;
      const pre = template.content.querySelector("pre");
      const inner = pre?.querySelector("code");
      if (pre && inner && code.isConnected) {
        code.innerHTML = inner.innerHTML;
        code.parentElement?.classList.add("shiki");
      }
    } catch {
      failedLanguages.add(lang);
    }
  }
}

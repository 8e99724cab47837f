/**
 * The syntax highlighter, off the page's thread. Compiling a grammar (TypeScript's, say) takes over
 * 100 ms; in a worker that never freezes scrolling or streaming. Protocol: the page posts
 * `{ id, code, lang }`, the worker answers `{ id, html }` (shiki's <code> inner HTML with both themes as
 * CSS variables) or `{ id, failed: true }` for a language it cannot load.
 */
import type { HighlighterGeneric } from "shiki";

// biome-ignore lint/suspicious/noExplicitAny: shiki's generic language/theme parameters
type Highlighter = HighlighterGeneric<any, any>;
let highlighter: Promise<Highlighter> | undefined;

function load(): Promise<Highlighter> {
  highlighter ??= import("shiki").then(({ createHighlighter }) =>
    createHighlighter({ themes: ["github-light", "github-dark"], langs: [] }),
  );
  return highlighter;
}

const INNER = /<code[^>]*>([\s\S]*)<\/code>/;

self.onmessage = async (event: MessageEvent<{ id: number; code: string; lang: string }>) => {
  const { id, code, lang } = event.data;
  try {
    const shiki = await load();
    if (!shiki.getLoadedLanguages().includes(lang)) await shiki.loadLanguage(lang);
    const html = shiki.codeToHtml(code, {
      lang,
      themes: { light: "github-light", dark: "github-dark" },
      defaultColor: false,
    });
    self.postMessage({ id, html: INNER.exec(html)?.[1] ?? "" });
  } catch {
    self.postMessage({ id, failed: true });
  }
};

/**
 * The syntax highlighter, off the page's thread. Compiling a grammar (TypeScript's, say) takes over
 * 100 ms; in a worker that never freezes scrolling or streaming. Protocol: the page posts
 * `{ id, code, lang }`, the worker answers `{ id, html }` (shiki's <code> inner HTML with both themes as
 * CSS variables) or `{ id, failed: true }` for a language it does not ship or cannot load.
 *
 * Built as an ES module worker (ui/vite.config.ts `worker.format`), so shiki's core, the JavaScript
 * regex engine, the two themes and each grammar (highlight-languages.ts) are separate lazy chunks:
 * nothing but this file loads until the first code block, and only the grammars in use load then.
 * The themes are GitHub's high-contrast pair: every token colour reaches WCAG AA (4.5:1) on the code
 * background of both Sage themes (github-light's orange was 3.2:1, its green 4.2:1; github-dark's
 * comments 3.3:1); test/unit/code-theme-contrast.test.ts keeps it so.
 */
import type { HighlighterCore } from "shiki/core";
import { LANGUAGES } from "./highlight-languages.ts";

let highlighter: Promise<HighlighterCore> | undefined;
/** Grammar name as shiki knows it, by the name the page asked for. */
const loaded = new Map<string, Promise<string>>();

function load(): Promise<HighlighterCore> {
  highlighter ??= Promise.all([
    import("shiki/core"),
    import("shiki/engine/javascript"),
    import("shiki/themes/github-light-high-contrast.mjs"),
    import("shiki/themes/github-dark-high-contrast.mjs"),
  ]).then(([{ createHighlighterCore }, { createJavaScriptRegexEngine }, light, dark]) =>
    createHighlighterCore({
      themes: [light.default, dark.default],
      langs: [],
      engine: createJavaScriptRegexEngine({ forgiving: true }),
    }),
  );
  return highlighter;
}

/** Load the grammar for `lang` once; resolves to its shiki name. Rejects for a language not shipped. */
function grammar(shiki: HighlighterCore, lang: string): Promise<string> {
  let name = loaded.get(lang);
  if (!name) {
    const loader = LANGUAGES[lang];
    if (!loader) return Promise.reject(new Error(`no grammar for ${lang}`));
    name = loader().then(async (module) => {
      const grammars = module.default as Parameters<HighlighterCore["loadLanguage"]>;
      await shiki.loadLanguage(...grammars);
      const main = grammars.at(-1) as { name?: string } | undefined;
      return main?.name ?? lang;
    });
    loaded.set(lang, name);
  }
  return name;
}

self.onmessage = async (event: MessageEvent<{ id: number; code: string; lang: string }>) => {
  const { id, code, lang } = event.data;
  try {
    const shiki = await load();
    const html = shiki.codeToHtml(code, {
      lang: await grammar(shiki, lang.toLowerCase()),
      themes: { light: "github-light-high-contrast", dark: "github-dark-high-contrast" },
      defaultColor: false,
    });
    self.postMessage({ id, html: INNER.exec(html)?.[1] ?? "" });
  } catch {
    self.postMessage({ id, failed: true });
  }
};

const INNER = /<code[^>]*>([\s\S]*)<\/code>/;

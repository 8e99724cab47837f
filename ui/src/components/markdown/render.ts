/**
 * Markdown to safe HTML: GFM (tables, task lists) via marked, math ($…$, $$…$$) rendered by KaTeX when
 * loaded, then sanitised by DOMPurify. Code blocks come out plain (with data-lang) and are highlighted
 * afterwards by highlight.ts; ```mermaid blocks become placeholders rendered by mermaid.ts on demand.
 *
 * Contract: the returned HTML is sanitised (no scripts, no event handlers, no javascript: URLs); links
 * carry data-external so the click handler opens them outside the app window.
 */
import DOMPurify from "dompurify";
import { Marked, type Tokens } from "marked";
import { t } from "../../i18n/index.ts";

type KatexRender = (
  tex: string,
  options: { displayMode: boolean; throwOnError: boolean; output: "html" },
) => string;
let katexRender: KatexRender | undefined;

/** Load KaTeX (and its stylesheet) the first time a message contains math. */
export async function ensureKatex(): Promise<boolean> {
  if (katexRender) return false;
  const [katex] = await Promise.all([import("katex"), import("katex/dist/katex.min.css")]);
  katexRender = katex.default.renderToString as KatexRender;
  return true;
}

export const MATH_PATTERN = /(^|[^\\$])\$\$?[^$\n]+\$|\$\$[\s\S]+?\$\$|\\\(|\\\[/;

function renderMath(tex: string, display: boolean): string {
  if (!katexRender)
    return `<code class="math-pending">${escapeHtml(display ? `$$${tex}$$` : `$${tex}$`)}</code>`;
  try {
    return katexRender(tex, { displayMode: display, throwOnError: false, output: "html" });
  } catch {
    return `<code>${escapeHtml(tex)}</code>`;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({ gfm: true, breaks: false });
marked.use({
  extensions: [
    {
      name: "blockMath",
      level: "block",
      start: (src) => src.indexOf("$$"),
      tokenizer(src) {
        const match = /^\$\$([\s\S]+?)\$\$(?:\n|$)/.exec(src);
        return match ? { type: "blockMath", raw: match[0], text: (match[1] as string).trim() } : undefined;
      },
      renderer: (token) => `<div class="math-block">${renderMath(token.text as string, true)}</div>`,
    },
    {
      name: "inlineMath",
      level: "inline",
      start: (src) => src.indexOf("$"),
      tokenizer(src) {
        const match = /^\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)/.exec(src);
        return match ? { type: "inlineMath", raw: match[0], text: match[1] as string } : undefined;
      },
      renderer: (token) => renderMath(token.text as string, false),
    },
  ],
  renderer: {
    code(token: Tokens.Code) {
      const lang = (token.lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
      if (lang === "mermaid") {
        return `<div class="mermaid-block"><pre><code>${escapeHtml(token.text)}</code></pre></div>`;
      }
      return `<div class="code-block"><div class="code-head"><span>${escapeHtml(lang || "text")}</span><button type="button" class="code-copy" data-copy>Copy</button></div><pre tabindex="0"><code data-lang="${escapeHtml(lang)}">${escapeHtml(token.text)}</code></pre></div>`;
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = token.href ?? "";
      return `<a href="${escapeHtml(href)}" data-external="1" rel="noopener noreferrer"${token.title ? ` title="${escapeHtml(token.title)}"` : ""}>${text}</a>`;
    },
  },
});

// Our own DOMPurify instance, configured once (a config passed to every sanitize() call is re-parsed each
// time, which costs more than the sanitising). Never setConfig the shared default instance: mermaid
// sanitises its SVG with it, and a set config overrides the caller's (diagrams lost their styles and labels).
const purify = DOMPurify(window);
purify.setConfig({
  ADD_ATTR: ["data-lang", "data-copy", "data-copy-slot", "data-external", "target", "tabindex"],
  FORBID_TAGS: ["style", "form", "input", "button"],
  ALLOW_DATA_ATTR: false,
});

export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false }) as string;
  // Buttons we generate (copy) are re-added after sanitising, since forms and buttons from content are not allowed.
  const clean = purify.sanitize(
    html.replaceAll(
      '<button type="button" class="code-copy" data-copy>Copy</button>',
      "<span data-copy-slot></span>",
    ),
  ) as string;
  return clean.replaceAll(
    '<span data-copy-slot=""></span>',
    `<button type="button" class="code-copy" data-copy="">${escapeHtml(t("common.copy"))}</button>`,
  );
}

/** Task list checkboxes from GFM are inputs; render them as static glyphs instead. */
marked.use({
  renderer: {
    checkbox({ checked }: { checked: boolean }) {
      const state = escapeHtml(t(checked ? "markdown.taskDone" : "markdown.taskOpen"));
      return `<span class="task-box" role="img" aria-label="${state}">${checked ? "☑" : "☐"}</span> `;
    },
  },
});

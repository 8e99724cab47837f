/**
 * Renders Markdown safely (see render.ts), then enhances the DOM: code highlighting, copy buttons,
 * mermaid diagrams and math (each loaded only when a message needs it). Links open outside the app.
 */
import { createEffect, createSignal, on, onCleanup } from "solid-js";
import { t } from "../../i18n/index.ts";
import { openExternal } from "../../lib/open-external.ts";
import { isDark } from "../../lib/theme.ts";
import { highlightWithin } from "./highlight.ts";
import { renderMermaidWithin } from "./mermaid.ts";
import { ensureKatex, MATH_PATTERN, renderMarkdown } from "./render.ts";

/**
 * Finished messages' final HTML (after highlighting), by text. A virtualized list mounts the same rows
 * again and again while scrolling; this makes a remount a single innerHTML assignment.
 */
const finished = new Map<string, string>();
const FINISHED_LIMIT = 600;

function remember(text: string, html: string): void {
  if (finished.size >= FINISHED_LIMIT) finished.delete(finished.keys().next().value as string);
  finished.set(text, html);
}

/** Run `fn` when the browser is idle (at the latest after 500 ms); returns a cancel function. */
function whenIdle(fn: () => void): () => void {
  if ("requestIdleCallback" in window) {
    const handle = window.requestIdleCallback(fn, { timeout: 500 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(fn, 50);
  return () => clearTimeout(timer);
}

export function Markdown(props: { text: string; class?: string; streaming?: boolean }) {
  let root!: HTMLDivElement;
  const [mathVersion, setMathVersion] = createSignal(0);
  let enhanceTimer: ReturnType<typeof setTimeout> | undefined;
  let enhanceIdle: (() => void) | undefined;

  createEffect(
    on([() => props.text, mathVersion], ([text]) => {
      const cached = props.streaming ? undefined : finished.get(text);
      if (cached !== undefined) {
        root.innerHTML = cached;
        return;
      }
      if (MATH_PATTERN.test(text))
        void ensureKatex().then((loaded) => loaded && setMathVersion((v) => v + 1));
      root.innerHTML = renderMarkdown(text);
      // While streaming, enhance at most a few times a second; finished messages when the page is idle
      // (highlighting must not compete with scrolling or the first screen).
      cancelEnhance();
      if (props.streaming) enhanceTimer = setTimeout(() => void enhance(text), 300);
      else enhanceIdle = whenIdle(() => void enhance(text));
    }),
  );
  const cancelEnhance = () => {
    clearTimeout(enhanceTimer);
    enhanceIdle?.();
    enhanceIdle = undefined;
  };
  onCleanup(cancelEnhance);

  const enhance = async (text: string) => {
    await highlightWithin(root);
    if (props.streaming) return;
    await renderMermaidWithin(root, isDark());
    // Math still waiting for KaTeX re-renders later: only the final form is remembered.
    if (root.isConnected && props.text === text && !root.querySelector(".math-pending"))
      remember(text, root.innerHTML);
  };

  const onClick = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    const copy = target.closest<HTMLButtonElement>("button[data-copy]");
    if (copy) {
      const code = copy.closest(".code-block")?.querySelector("code")?.textContent ?? "";
      void navigator.clipboard?.writeText(code).then(() => {
        copy.textContent = "✓";
        setTimeout(() => (copy.textContent = t("common.copy")), 1200);
      });
      return;
    }
    const link = target.closest<HTMLAnchorElement>("a[href]");
    if (link) {
      event.preventDefault();
      const href = link.getAttribute("href") ?? "";
      if (/^(https?:|mailto:)/i.test(href)) openExternal(href);
    }
  };

  return <div ref={root} class={`markdown ${props.class ?? ""}`} onClick={onClick} />;
}

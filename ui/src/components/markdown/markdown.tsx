/**
 * Renders Markdown safely (see render.ts), then enhances the DOM: code highlighting, copy buttons,
 * mermaid diagrams and math (each loaded only when a message needs it). Links open outside the app.
 */
import { createEffect, createSignal, on, onCleanup } from "solid-js";
import { openExternal } from "../../lib/api.ts";
import { isDark } from "../../lib/theme.ts";
import { highlightWithin } from "./highlight.ts";
import { renderMermaidWithin } from "./mermaid.ts";
import { ensureKatex, MATH_PATTERN, renderMarkdown } from "./render.ts";

export function Markdown(props: { text: string; class?: string; streaming?: boolean }) {
  let root!: HTMLDivElement;
  const [mathVersion, setMathVersion] = createSignal(0);
  let enhanceTimer: ReturnType<typeof setTimeout> | undefined;

  createEffect(
    on([() => props.text, mathVersion], ([text]) => {
      if (MATH_PATTERN.test(text))
        void ensureKatex().then((loaded) => loaded && setMathVersion((v) => v + 1));
      root.innerHTML = renderMarkdown(text);
      // While streaming, enhance at most a few times a second; finished messages right away.
      clearTimeout(enhanceTimer);
      enhanceTimer = setTimeout(() => enhance(), props.streaming ? 300 : 0);
    }),
  );
  onCleanup(() => clearTimeout(enhanceTimer));

  const enhance = () => {
    void highlightWithin(root);
    if (!props.streaming) void renderMermaidWithin(root, isDark());
  };

  const onClick = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    const copy = target.closest<HTMLButtonElement>("button[data-copy]");
    if (copy) {
      const code = copy.closest(".code-block")?.querySelector("code")?.textContent ?? "";
      void navigator.clipboard?.writeText(code).then(() => {
        copy.textContent = "✓";
        setTimeout(() => (copy.textContent = "Copy"), 1200);
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

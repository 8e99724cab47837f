/** Mermaid diagrams, loaded on demand; the diagram's source stays visible if rendering fails. */
let mermaid: Promise<typeof import("mermaid").default> | undefined;
let counter = 0;

export async function renderMermaidWithin(root: HTMLElement, dark: boolean): Promise<void> {
  const blocks = [...root.querySelectorAll<HTMLElement>(".mermaid-block:not([data-rendered])")];
  if (blocks.length === 0) return;
  mermaid ??= import("mermaid").then((m) => m.default);
  const api = await mermaid;
  api.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  for (const block of blocks) {
    block.dataset.rendered = "1";
    // The source is the block's own text: an attribute would not survive sanitising, which drops
    // attribute values containing "-->" (mermaid's most common arrow).
    const source = block.querySelector("code")?.textContent ?? "";
    try {
      const { svg } = await api.render(`sage-mermaid-${++counter}`, source);
      if (block.isConnected) block.innerHTML = svg;
    } catch {
      block.dataset.failed = "1";
    }
  }
}

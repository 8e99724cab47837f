/** A unified diff, coloured per line (added, removed, hunk header). */
import { For } from "solid-js";

export function DiffView(props: { diff: string; maxLines?: number }) {
  const lines = () => {
    const all = props.diff
      .split("\n")
      .filter((line) => !line.startsWith("Index:") && !line.startsWith("====="));
    return props.maxLines && all.length > props.maxLines
      ? [...all.slice(0, props.maxLines), `… ${all.length - props.maxLines} more lines`]
      : all;
  };
  const cls = (line: string) =>
    line.startsWith("+++") || line.startsWith("---")
      ? "text-muted"
      : line.startsWith("+")
        ? "bg-ok/12 text-ok"
        : line.startsWith("-")
          ? "bg-danger/12 text-danger"
          : line.startsWith("@@")
            ? "text-accent"
            : "";
  return (
    <pre class="m-0 text-xs font-mono overflow-x-auto max-h-96 bg-bg p-2 rounded" data-testid="diff-view">
      <For each={lines()}>{(line) => <div class={`px-1 ${cls(line)}`}>{line || " "}</div>}</For>
    </pre>
  );
}

export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+") && !line.startsWith("+++")) added++;
    else if (line.startsWith("-") && !line.startsWith("---")) removed++;
  }
  return { added, removed };
}

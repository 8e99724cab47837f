/**
 * Folder-level import graph of `src/` (or `ui/src/`): which top-level folder imports which, the
 * folder cycles, imports that run up the layers, file-level import cycles, and the files over 400 lines.
 * Prints a plain report; `--check` exits 1 when `core/` imports anything else in `src/`, a folder cycle
 * not listed in ALLOWED_CYCLES appears, a folder imports from a higher layer (or is in no layer), two or
 * more files import each other in a cycle, or a file is over 400 lines without saying why near its top
 * ("Longer than 400 lines because ...").
 *
 *   bun scripts/import-graph.ts [--root ui/src] [--files] [--check]
 *
 * Only relative imports count (`./x`, `../y/z`); type-only imports count too, since a type import
 * still ties a folder to another's contract.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Folder cycles that are deliberate; each entry names why. Empty: none are. */
const ALLOWED_CYCLES: Record<string, string> = {};

/**
 * The layers, bottom first (README's table): a folder may import from its own layer and those below,
 * never from above. Folders in one layer may import each other; cycles among them are caught above.
 * "." is the root's own files (main.ts, the UI's entry).
 */
const SRC_LAYERS: string[][] = [
  ["shared"],
  ["core"],
  [
    "store",
    "agent",
    "tools",
    "sandbox",
    "browser",
    "net",
    "search",
    "skills",
    "providers",
    "agent-configs",
    "mcp",
    "workspace",
    "settings",
    "desktop",
    "schedule",
    "memory",
    "types",
  ],
  ["sessions", "portable", "housekeeping"],
  ["app"],
  ["server"],
  ["shell", "."],
];
const UI_LAYERS: string[][] = [
  ["i18n"],
  ["lib"],
  ["state"],
  ["actions"],
  ["components"],
  ["pages", "bench"],
  ["."],
];

const args = process.argv.slice(2);
const rootArg = args.includes("--root") ? args[args.indexOf("--root") + 1] : "src";
const root = resolve(import.meta.dir, "..", rootArg ?? "src");
const showFiles = args.includes("--files");
const check = args.includes("--check");
const isUi = /(^|\/)ui\/src\/?$/.test(rootArg ?? "");
const layers = isUi ? UI_LAYERS : SRC_LAYERS;
const layerOf = new Map(
  layers.flatMap((folders, index) => folders.map((folder) => [folder, index] as const)),
);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Top-level folder of a file under root ("." for files at the root, like main.ts). */
function folderOf(file: string): string {
  const rel = relative(root, file);
  return rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : ".";
}

const importPattern =
  /(?:import|export)\s[^'"]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

const edges = new Map<string, Map<string, string[]>>();
/** File-level imports (root-relative paths), for the file cycles. */
const fileEdges = new Map<string, Set<string>>();
const longFiles: Array<{ file: string; lines: number }> = [];
for (const file of sourceFiles(root)) {
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n").length;
  const justified = text.slice(0, 2000).includes("Longer than 400 lines because");
  if (lines > 400 && !justified) longFiles.push({ file: relative(root, file), lines });
  const from = folderOf(file);
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2];
    if (!spec) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(root)) continue;
    const importers = fileEdges.get(relative(root, file)) ?? new Set<string>();
    fileEdges.set(relative(root, file), importers.add(relative(root, target)));
    const to = folderOf(target);
    if (to === from) continue;
    const byTarget = edges.get(from) ?? new Map<string, string[]>();
    byTarget.set(to, [...(byTarget.get(to) ?? []), relative(root, file)]);
    edges.set(from, byTarget);
  }
}

/** Strongly connected components (Tarjan) of a graph: each with more than one node is a cycle. */
function cycles(graph: Map<string, Iterable<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, indices.get(next) ?? 0));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

/** Pairs of folders importing each other: the direct two-way knots inside the cycles. */
function twoWay(): string[] {
  const pairs: string[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets.keys()) {
      if (from < to && edges.get(to)?.has(from)) pairs.push(`${from} <-> ${to}`);
    }
  }
  return pairs.sort();
}

console.log(`# Folder imports in ${relative(resolve(import.meta.dir, ".."), root)}/\n`);
for (const from of [...edges.keys()].sort()) {
  const targets = edges.get(from);
  if (!targets) continue;
  const list = [...targets.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log(`${from} -> ${list.map(([to, files]) => `${to}(${files.length})`).join(" ")}`);
  if (showFiles) for (const [to, files] of list) console.log(`    ${to}: ${[...new Set(files)].join(", ")}`);
}
const found = cycles(new Map([...edges].map(([from, targets]) => [from, targets.keys()])));
const unexpected = found.filter((component) => !(component.join(",") in ALLOWED_CYCLES));
console.log(`\n# Folder cycles: ${found.length}`);
for (const component of found) console.log(`  ${component.join(" / ")}`);
console.log(`\n# Two-way folder pairs: ${twoWay().length}`);
for (const pair of twoWay()) console.log(`  ${pair}`);
// Inside a folder too: two files importing each other (even for a type) are one concept split in two,
// or a shared piece that belongs in a third file.
const fileCycles = cycles(fileEdges);
console.log(`\n# File cycles: ${fileCycles.length}`);
for (const component of fileCycles) console.log(`  ${component.join(" <-> ")}`);
const folders = new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets.keys()])]);
const unplaced = [...folders].filter((folder) => !layerOf.has(folder)).sort();
const upward: string[] = [];
for (const [from, targets] of edges) {
  for (const [to, files] of targets) {
    const fromLayer = layerOf.get(from);
    const toLayer = layerOf.get(to);
    if (fromLayer !== undefined && toLayer !== undefined && toLayer > fromLayer)
      upward.push(`${from} -> ${to}: ${[...new Set(files)].join(", ")}`);
  }
}
console.log(`\n# Imports up the layers: ${upward.length}`);
for (const line of upward.sort()) console.log(`  ${line}`);
if (unplaced.length > 0)
  console.log(`\n# Folders in no layer (add them to the layers): ${unplaced.join(", ")}`);
const coreOut = [...(edges.get("core")?.keys() ?? [])].filter((to) => to !== "shared");
if (!isUi)
  console.log(`\n# core/ imports from: ${coreOut.length ? coreOut.join(", ") : "nothing but shared/"}`);
console.log(`\n# Files over 400 lines without a stated reason: ${longFiles.length}`);
for (const { file, lines } of longFiles.sort((a, b) => b.lines - a.lines)) console.log(`  ${lines} ${file}`);

const failed =
  unexpected.length > 0 ||
  longFiles.length > 0 ||
  upward.length > 0 ||
  fileCycles.length > 0 ||
  unplaced.length > 0 ||
  (!isUi && coreOut.length > 0);
if (check && failed) process.exit(1);

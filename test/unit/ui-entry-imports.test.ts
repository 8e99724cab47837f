/**
 * The UI's first screen loads only its entry chunk: every module ui/src/main.tsx reaches through static
 * imports (type-only imports are erased; dynamic import() starts a lazy chunk). TypeBox and the shared
 * schema modules stay out of it — the chat needs a few constants from them, which live in schema-free
 * modules (agent-defaults.ts, attachment-limits.ts, delegation-progress.ts, tool-stopped.ts).
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dir, "..", "..");
const transpiler = new Bun.Transpiler({ loader: "tsx" });

/** Statically imported modules from `entry` on: file paths, and the bare package names they import. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    if (!/\.(ts|tsx)$/.test(file)) continue;
    for (const found of transpiler.scanImports(readFileSync(file, "utf8"))) {
      if (found.kind !== "import-statement") continue;
      if (!found.path.startsWith(".")) {
        packages.add(found.path);
        continue;
      }
      const target = join(dirname(file), found.path);
      if (existsSync(target)) queue.push(target);
    }
  }
  return { files, packages };
}

const SCHEMA_MODULES = ["agent.ts", "delegation.ts", "parts.ts", "workspace.ts", "events.ts", "settings.ts"];

describe("the UI entry chunk's modules", () => {
  const { files, packages } = staticGraph(join(root, "ui", "src", "main.tsx"));

  test("reach the chat's first screen (the walk follows static imports)", () => {
    expect(files.has(join(root, "ui", "src", "components", "chat", "message-list.tsx"))).toBe(true);
    expect(files.has(join(root, "src", "shared", "tool-stopped.ts"))).toBe(true);
    expect(packages.has("marked")).toBe(true);
  });

  test("do not include TypeBox or the shared schema modules", () => {
    expect([...packages].filter((name) => name.startsWith("@sinclair/typebox"))).toEqual([]);
    const schemas = SCHEMA_MODULES.map((name) => join(root, "src", "shared", name)).filter((file) =>
      files.has(file),
    );
    expect(schemas).toEqual([]);
  });

  test("the walk sees a schema module imported for a value (the check can fail)", () => {
    const probe = staticGraph(join(root, "src", "shared", "agent-defaults.ts"));
    expect(probe.files.has(join(root, "src", "shared", "agent.ts"))).toBe(false);
    const withSchema = staticGraph(join(root, "src", "shared", "delegation.ts"));
    expect(withSchema.packages.has("@sinclair/typebox")).toBe(true);
  });
});

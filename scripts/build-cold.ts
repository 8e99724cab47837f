/**
 * Cold packages: big third-party packages that only some sessions ever load (the browser driver, the
 * HTML-to-Markdown libraries). In the executable they are NOT compiled to bytecode with the rest
 * (bytecode is ~2.5x the size of the source, and these packages are ~6 MB of it); each is bundled on
 * its own, minified, gzip-compressed and embedded as a file. `import("playwright-core")` in Sage's
 * source resolves, in the executable, to a small stub that has src/core/cold-bundles.ts unpack the
 * package into the data folder once (checked against its SHA-256 on every load) and import it.
 *
 * Contract: a cold package is imported only with `await import(...)` (never statically, since the
 * stub waits for the unpacking), and Sage's own modules never import it from start-up code.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BunPlugin } from "bun";

/** The cold packages, by the specifier Sage's source imports them with. */
export const COLD_PACKAGES = ["playwright-core", "linkedom", "@mozilla/readability", "turndown", "parse5"];

interface ColdBundle {
  /** The gzip-compressed bundle, embedded as a file. */
  file: string;
  /** SHA-256 (hex) of the uncompressed bundle. */
  sha256: string;
  /** The package's named exports (besides `default`). */
  names: string[];
}

const fileName = (specifier: string) => specifier.replace(/^@/, "").replace(/[^a-zA-Z0-9.-]+/g, "-");

/** Bundle each cold package into `outDir` (one self-contained ES module each, gzip-compressed). */
export async function buildColdBundles(root: string, outDir: string): Promise<Map<string, ColdBundle>> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundles = new Map<string, ColdBundle>();
  for (const specifier of COLD_PACKAGES) {
    const entry = join(outDir, `${fileName(specifier)}.entry.ts`);
    // The whole namespace as the default export: the stub re-exports its members by name.
    writeFileSync(entry, `import * as ns from ${JSON.stringify(specifier)};\nexport default ns;\n`);
    const result = await Bun.build({
      entrypoints: [entry],
      root,
      target: "bun",
      format: "esm",
      splitting: false,
      // No Elysia here, so identifiers may be mangled (see the note in scripts/build.ts).
      minify: true,
      sourcemap: "none",
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
    });
    const output = result.outputs[0];
    if (!result.success || !output)
      throw new Error(`bundling ${specifier} failed: ${result.logs.join("\n")}`);
    const source = new Uint8Array(await output.arrayBuffer());
    const file = join(outDir, `${fileName(specifier)}.js.gz`);
    writeFileSync(file, Bun.gzipSync(source, { level: 9 }));
    rmSync(entry);
    const names = Object.keys(await import(specifier)).filter(
      (name) => name !== "default" && /^[A-Za-z_$][\w$]*$/.test(name),
    );
    bundles.set(specifier, {
      file,
      sha256: new Bun.CryptoHasher("sha256").update(source).digest("hex"),
      names,
    });
  }
  return bundles;
}

/** Resolve each cold package's specifier to a stub that loads its embedded bundle (see above). */
export function coldPackagesPlugin(root: string, bundles: Map<string, ColdBundle>): BunPlugin {
  const loader = join(root, "src", "core", "cold-bundles.ts");
  return {
    name: "sage-cold-packages",
    setup(build) {
      const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      const filter = new RegExp(`^(${[...bundles.keys()].map(literal).join("|")})$`);
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "sage-cold" }));
      build.onLoad({ filter: /.*/, namespace: "sage-cold" }, (args) => {
        const bundle = bundles.get(args.path) as ColdBundle;
        const names = bundle.names.map((name) => `export const ${name} = ns.${name};`).join("\n");
        return {
          loader: "js",
          contents: `import { loadColdBundle } from ${JSON.stringify(loader)};
import file from ${JSON.stringify(bundle.file)} with { type: "file" };
const ns = (await loadColdBundle(${JSON.stringify(fileName(args.path))}, file, ${JSON.stringify(bundle.sha256)})).default;
${names}
export default ns.default;
`,
        };
      });
    },
  };
}

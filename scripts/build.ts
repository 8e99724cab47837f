/**
 * `bun run build`: build the UI, then compile Sage into ONE executable, dist/sage, that runs from any
 * folder on a machine without Bun or node_modules.
 *
 * Embedded: the built UI (ui/dist; its text files gzip-compressed, served compressed — see
 * src/server/ui-assets.ts), the built-in skills (skills/), the migrations (text imports), the
 * webview library and the icon (file imports); the cold packages (scripts/build-cold.ts) as compressed
 * bundles without bytecode. The server worker, the backup worker and the database upkeep worker are further
 * entrypoints (required for `new Worker` in a compiled executable). Minified, with bytecode (roughly halves start-up).
 *
 * Flags: --skip-ui (reuse ui/dist), --no-bytecode-order (one pass, see scripts/bytecode-order.ts),
 * --outfile PATH, --target T (linux-x64, linux-arm64, darwin-arm64,
 * darwin-x64, windows-x64; Bun's `bun-...` names work too). Another platform's build embeds that
 * platform's webview library, uses the Bun runtime pinned in scripts/cross-runtimes/bun.lock, and on
 * Windows runs without a console window (scripts/build-targets.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative, resolve } from "node:path";
import type { BunPlugin } from "bun";
import { buildColdBundles, coldPackagesPlugin } from "./build-cold.ts";
import { defaultOutfile, ensureCrossRuntime, hostTarget, parseTarget } from "./build-targets.ts";
import { recordBytecodeOrder } from "./bytecode-order.ts";

const root = resolve(import.meta.dir, "..");
const args = process.argv.slice(2);
const skipUi = args.includes("--skip-ui");
const outIndex = args.indexOf("--outfile");
const targetIndex = args.indexOf("--target");
const host = hostTarget(process.platform, process.arch);
let target = host;
try {
  if (targetIndex >= 0) target = parseTarget(args[targetIndex + 1] ?? "");
  if (!target)
    throw new Error(`This machine (${process.platform}-${process.arch}) is no build target: pass --target.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const cross = target.name !== host?.name;
const outfile = resolve(root, outIndex >= 0 ? (args[outIndex + 1] as string) : defaultOutfile(target, host));
const webviewLibrary = join(root, "node_modules", "webview-bun", "build", target.webviewLibrary);

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}

/** Text files worth compressing (images and fonts are compressed already). */
const compressible = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map", ".wasm"]);
/** Where the gzip copies of the UI's text files are written before embedding. */
const gzipDir = join(root, "dist", ".ui-gzip");

/**
 * A module `export const files = { "rel/path": <embedded file path>, ... }` over a folder, and
 * `gzipped`: the names whose embedded file is a gzip copy (with `gzip`, text files of 1 KiB or more).
 */
/**
 * Font files not embedded: KaTeX's stylesheet offers each font as woff2, then woff, then ttf, and both
 * engines Sage's UI runs in (WebKitGTK, Chromium) take the woff2, so the other two are never asked for
 * (~0.9 MB).
 */
const unusedFont = /\.(woff|ttf)$/i;

function embedModule(dir: string, gzip: boolean): string {
  const all = existsSync(dir) ? listFiles(dir) : [];
  // The UI's files (gzip), not the skills': a skill's fonts are its own files.
  const files = gzip ? all.filter((file) => !unusedFont.test(file)) : all;
  const gzipped: string[] = [];
  if (gzip) rmSync(gzipDir, { recursive: true, force: true });
  const embedded = files.map((file) => {
    const name = relative(dir, file);
    if (!gzip || !compressible.has(extname(file).toLowerCase()) || statSync(file).size < 1024) return file;
    const copy = join(gzipDir, `${name}.gz`);
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, Bun.gzipSync(readFileSync(file), { level: 9 }));
    gzipped.push(name);
    return copy;
  });
  const imports = embedded.map(
    (file, i) => `import f${i} from ${JSON.stringify(file)} with { type: "file" };`,
  );
  const entries = files.map((file, i) => `  ${JSON.stringify(relative(dir, file))}: f${i},`);
  return `${imports.join("\n")}\nexport const files = {\n${entries.join("\n")}\n};\nexport const gzipped = ${JSON.stringify(gzipped)};\n`;
}

const embedPlugin: BunPlugin = {
  name: "sage-embed",
  setup(build) {
    build.onResolve({ filter: /^sage:embedded-(ui|skills)$/ }, (args) => ({
      path: args.path,
      namespace: "sage-embed",
    }));
    build.onLoad({ filter: /.*/, namespace: "sage-embed" }, (args) => ({
      contents:
        args.path === "sage:embedded-ui"
          ? embedModule(join(root, "ui", "dist"), true)
          : embedModule(join(root, "skills"), false),
      loader: "js",
    }));
  },
};

async function run(command: string[]): Promise<void> {
  const child = Bun.spawn(command, { cwd: root, stdio: ["inherit", "inherit", "inherit"] });
  if ((await child.exited) !== 0) throw new Error(`${command.join(" ")} failed`);
}

/**
 * The source imports the x64 Linux webview library (what `bun src/main.ts` loads in development);
 * the executable gets its target's library instead.
 */
const webviewPlugin: BunPlugin = {
  name: "sage-webview-library",
  setup(build) {
    build.onResolve({ filter: /^webview-bun\/build\/libwebview-x64\.so$/ }, () => ({ path: webviewLibrary }));
  },
};

const started = performance.now();
if (!skipUi || !existsSync(join(root, "ui", "dist", "index.html"))) {
  await run([
    process.execPath,
    join(root, "node_modules", "vite", "bin", "vite.js"),
    "build",
    "--config",
    "ui/vite.config.ts",
    "--logLevel",
    "warn",
  ]);
}

const coldBundles = await buildColdBundles(root, join(root, "dist", ".cold"));
/** The start-up profile of the last host build (scripts/bytecode-order.ts); cross builds reuse it. */
const orderFile = join(root, "dist", ".bytecode-order.txt");
const crossRuntime = cross ? await ensureCrossRuntime(root, target, process.execPath) : undefined;

const compile = (bytecodeOrder: string | undefined) =>
  Bun.build({
    entrypoints: [
      join(root, "src", "main.ts"),
      join(root, "src", "shell", "server-worker.ts"),
      join(root, "src", "store", "backup-worker.ts"),
      join(root, "src", "housekeeping", "maintenance-worker.ts"),
    ],
    // Start-up stays in the interpreter (see src/core/jit-policy.ts, which restores the normal policy).
    compile: {
      outfile,
      target: target.bun,
      // A cross build uses the runtime from scripts/cross-runtimes/bun.lock, never one Bun would fetch.
      // (The key must be absent otherwise: Bun rejects `executablePath: undefined`.)
      ...(crossRuntime ? { executablePath: crossRuntime } : {}),
      autoloadDotenv: false,
      autoloadBunfig: false,
      jitPolicy: 1000,
      ...(bytecodeOrder ? { bytecodeOrder } : {}),
      ...(target.os === "windows" ? { windows: { hideConsole: true, title: "Sage" } } : {}),
    },
    // Identifiers are NOT mangled: with mangled names Elysia stops enforcing numeric query bounds
    // (`t.Integer({ maximum: 500 })` let ?limit=99999999999999999999 through to SQLite: a 500). Measured
    // on Bun 1.4.5 / Elysia 1.4.30; test/integration/hostile-bodies.test.ts guards it.
    minify: { whitespace: true, syntax: true, identifiers: false },
    bytecode: true,
    // Optional native modules dbus-next requires only for a bus address read from an X11 selection or an
    // abstract socket; Sage connects to `unix:path=` addresses only (src/desktop/session-bus.ts).
    external: ["x11", "usocket", "abstract-socket"],
    // Modules loaded with import() (the AI SDK, playwright-core, HTML conversion ...) become separate
    // chunks inside the executable: start-up neither loads nor maps them (measured: ~30 ms faster to
    // main and ~10 MB less resident memory than one chunk).
    splitting: true,
    format: "esm",
    target: "bun",
    sourcemap: "none",
    plugins: [embedPlugin, webviewPlugin, coldPackagesPlugin(root, coldBundles)],
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
  });

function check(result: Awaited<ReturnType<typeof compile>>): void {
  if (result.success) return;
  for (const log of result.logs) console.error(log);
  process.exit(1);
}

// A host build is built twice: once to record which functions start-up runs, then with that order
// (--no-bytecode-order skips it). A cross build cannot run its executable: it uses the host's profile.
if (cross || args.includes("--no-bytecode-order")) {
  check(
    await compile(!args.includes("--no-bytecode-order") && existsSync(orderFile) ? orderFile : undefined),
  );
} else {
  check(await compile(undefined));
  if (await recordBytecodeOrder(outfile, orderFile)) check(await compile(orderFile));
}
if (cross) console.log(`target ${target.name}: embedded ${target.webviewLibrary}`);
const size = statSync(outfile).size / 1024 / 1024;
console.log(
  `built ${relative(root, outfile)} (${size.toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

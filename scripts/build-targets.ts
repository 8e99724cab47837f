/**
 * The platforms `bun run build -- --target T` compiles Sage for, and what each needs: the Bun runtime
 * to wrap the code in, the webview library to embed, the output name and Windows' console flag.
 *
 * Contract:
 * - `parseTarget` accepts Bun's names (`bun-darwin-arm64`) and short ones (`darwin-arm64`); anything
 *   else is a `BuildTargetError` listing the supported targets.
 * - Every target embeds ITS OWN platform's webview library from webview-bun's build/ folder (the
 *   universal `.dylib` on macOS, the `.dll` on Windows, the arm64 `.so` on Linux arm64), never the
 *   x64 Linux one the source imports (the build swaps that import, see scripts/build.ts).
 * - A target other than the machine's own is compiled with the runtime from the npm package
 *   `@oven/bun-<platform>` pinned in scripts/cross-runtimes/bun.lock (installed from that lockfile on
 *   first use), passed as `executablePath`, so Bun never fetches a runtime by itself.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export type TargetName = "linux-x64" | "linux-arm64" | "darwin-arm64" | "darwin-x64" | "windows-x64";

export interface BuildTarget {
  name: TargetName;
  /** Bun's compile target. */
  bun: `bun-${TargetName}`;
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  /** webview-bun's library for this platform, relative to node_modules/webview-bun/build. */
  webviewLibrary: string;
  /** The npm package that carries this platform's Bun runtime, and the executable inside it. */
  runtimePackage: string;
  runtimeExecutable: string;
}

function target(
  name: TargetName,
  webviewLibrary: string,
  runtimePackage: string,
  runtimeExecutable = "bin/bun",
): BuildTarget {
  const [os, arch] = name.split("-") as [BuildTarget["os"], BuildTarget["arch"]];
  return { name, bun: `bun-${name}`, os, arch, webviewLibrary, runtimePackage, runtimeExecutable };
}

export const BUILD_TARGETS: readonly BuildTarget[] = [
  target("linux-x64", "libwebview-x64.so", "@oven/bun-linux-x64"),
  target("linux-arm64", "libwebview-arm64.so", "@oven/bun-linux-aarch64"),
  target("darwin-arm64", "libwebview.dylib", "@oven/bun-darwin-aarch64"),
  target("darwin-x64", "libwebview.dylib", "@oven/bun-darwin-x64"),
  target("windows-x64", "libwebview.dll", "@oven/bun-windows-x64", "bin/bun.exe"),
];

export class BuildTargetError extends Error {
  override readonly name = "BuildTargetError";
}

/** The target named `text` (`bun-darwin-arm64` or `darwin-arm64`; `aarch64` means `arm64`). */
export function parseTarget(text: string): BuildTarget {
  const short = text
    .trim()
    .replace(/^bun-/, "")
    .replace(/aarch64$/, "arm64");
  const found = BUILD_TARGETS.find((candidate) => candidate.name === short);
  if (!found) {
    const names = BUILD_TARGETS.map((candidate) => candidate.name).join(", ");
    throw new BuildTargetError(`Unknown build target "${text}". Supported: ${names}.`);
  }
  return found;
}

/** The target of the machine running the build (`process.platform` / `process.arch` style input). */
export function hostTarget(platform: string, arch: string): BuildTarget | undefined {
  const os = platform === "win32" ? "windows" : platform;
  return BUILD_TARGETS.find((candidate) => candidate.os === os && candidate.arch === arch);
}

/** Where the build writes a target's executable: dist/sage for the host, dist/sage-<target>[.exe] else. */
export function defaultOutfile(target: BuildTarget, host: BuildTarget | undefined): string {
  if (host && target.name === host.name) return "dist/sage";
  return `dist/sage-${target.name}${target.os === "windows" ? ".exe" : ""}`;
}

/** Folder of the cross runtimes' own package.json and lockfile. */
export function crossRuntimesDir(root: string): string {
  return join(root, "scripts", "cross-runtimes");
}

/** The runtime executable of `target` inside scripts/cross-runtimes/node_modules. */
export function crossRuntimePath(root: string, target: BuildTarget): string {
  return join(crossRuntimesDir(root), "node_modules", target.runtimePackage, target.runtimeExecutable);
}

/**
 * The runtime for a cross build, installed from scripts/cross-runtimes/bun.lock when missing (the
 * packages declare another os/cpu, so bun skips them unless told `--os='*' --cpu='*'`).
 */
export async function ensureCrossRuntime(root: string, target: BuildTarget, bun: string): Promise<string> {
  const path = crossRuntimePath(root, target);
  if (existsSync(path)) return path;
  const install = Bun.spawn([bun, "install", "--frozen-lockfile", "--os=*", "--cpu=*"], {
    cwd: crossRuntimesDir(root),
    stdio: ["ignore", "inherit", "inherit"],
  });
  if ((await install.exited) !== 0 || !existsSync(path)) {
    throw new BuildTargetError(
      `The Bun runtime for ${target.name} (${target.runtimePackage}) could not be installed from scripts/cross-runtimes/bun.lock.`,
    );
  }
  return path;
}

/** The bytes that start each kind of webview library (a quick sanity check on what was embedded). */
export function libraryKind(bytes: Uint8Array): "elf" | "mach-o-universal" | "pe" | "unknown" {
  const [a, b, c, d] = bytes;
  if (a === 0x7f && b === 0x45 && c === 0x4c && d === 0x46) return "elf";
  if (a === 0xca && b === 0xfe && c === 0xba && d === 0xbe) return "mach-o-universal";
  if (a === 0x4d && b === 0x5a) return "pe";
  return "unknown";
}

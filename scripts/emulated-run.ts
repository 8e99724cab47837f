/**
 * Running the linux-arm64 build on this x64 machine under user-mode emulation (Debian's qemu-user with
 * the arm64 C library from libc6-arm64-cross), as scripts/check-targets.ts does: `--version` prints
 * this version, and `--serve` answers its first HTTP 200. macOS and Windows builds cannot be run here.
 *
 * `emulator(target)` is undefined when the target cannot be emulated here (not linux-arm64, or the
 * packages are missing); `emulatedProblems` returns one sentence per failure, [] when both checks pass.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BuildTarget } from "./build-targets.ts";

const ARM64_SYSROOT = "/usr/aarch64-linux-gnu";

/** The command prefix that runs `target`'s executables here, or undefined. */
export function emulator(target: BuildTarget): string[] | undefined {
  if (target.name !== "linux-arm64") return undefined;
  const qemu = Bun.which("qemu-aarch64");
  if (!qemu || !existsSync(join(ARM64_SYSROOT, "lib", "ld-linux-aarch64.so.1"))) return undefined;
  return [qemu, "-L", ARM64_SYSROOT];
}

/** `env`: the environment of both runs (default: this process's). */
export async function emulatedProblems(
  prefix: string[],
  executable: string,
  version: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string[]> {
  const problems: string[] = [];
  const printed = Bun.spawnSync([...prefix, executable, "--version"], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 60_000,
    env,
  });
  const text = printed.stdout.toString().trim();
  if (printed.exitCode !== 0 || text !== `Sage ${version}`) {
    problems.push(`--version printed "${text}" (exit ${printed.exitCode}), not "Sage ${version}"`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "sage-emulated-"));
  const output = join(dataDir, "output.txt");
  const server = Bun.spawn(
    [...prefix, executable, "--serve", "--no-open", "--port", "0", "--data-dir", dataDir],
    {
      stdout: Bun.file(output),
      stderr: "inherit",
      env,
    },
  );
  let status = 0;
  try {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && status !== 200 && server.exitCode === null) {
      const url = existsSync(output)
        ? /http:\/\/127\.0\.0\.1:\d+/.exec(readFileSync(output, "utf8"))?.[0]
        : undefined;
      if (url)
        status = await fetch(`${url}/`)
          .then((response) => response.status)
          .catch(() => 0);
      if (status !== 200) await Bun.sleep(250);
    }
  } finally {
    server.kill();
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (status !== 200) problems.push(`--serve did not answer 200 (last status ${status || "none"})`);
  return problems;
}

/**
 * The build's platform table and the executable-header reader CI uses to check cross builds
 * (scripts/build-targets.ts, scripts/executable-format.ts). The real cross builds run in CI
 * (scripts/check-targets.ts); here the header checks are shown to pass AND to fail on crafted headers.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  BUILD_TARGETS,
  BuildTargetError,
  crossRuntimePath,
  defaultOutfile,
  hostTarget,
  libraryKind,
  parseTarget,
} from "../../scripts/build-targets.ts";
import { emulatedProblems, emulator } from "../../scripts/emulated-run.ts";
import {
  embeddedProblems,
  executableProblems,
  readExecutableFormat,
} from "../../scripts/executable-format.ts";

const root = join(import.meta.dir, "..", "..");

function elf(machine: number): Uint8Array {
  const bytes = new Uint8Array(128);
  bytes.set([0x7f, 0x45, 0x4c, 0x46]);
  new DataView(bytes.buffer).setUint16(18, machine, true);
  return bytes;
}

function machO(cpu: number): Uint8Array {
  const bytes = new Uint8Array(128);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, cpu, true);
  return bytes;
}

function pe(machine: number, subsystem: number): Uint8Array {
  const bytes = new Uint8Array(512);
  const view = new DataView(bytes.buffer);
  bytes.set([0x4d, 0x5a]);
  view.setUint32(0x3c, 0x80, true);
  view.setUint32(0x80, 0x00004550, true);
  view.setUint16(0x84, machine, true);
  view.setUint16(0x80 + 24 + 68, subsystem, true);
  return bytes;
}

describe("build targets", () => {
  test("Bun's names, short names and aarch64 all resolve", () => {
    expect(parseTarget("bun-darwin-arm64").name).toBe("darwin-arm64");
    expect(parseTarget("darwin-aarch64").name).toBe("darwin-arm64");
    expect(parseTarget("windows-x64").bun).toBe("bun-windows-x64");
    expect(parseTarget("linux-arm64").runtimePackage).toBe("@oven/bun-linux-aarch64");
  });

  test("an unknown target is a named error listing the supported ones", () => {
    expect(() => parseTarget("freebsd-x64")).toThrow(BuildTargetError);
    expect(() => parseTarget("")).toThrow(/Supported: linux-x64, linux-arm64, darwin-arm64/);
  });

  test("no target but x64 Linux embeds the x64 Linux webview library", () => {
    for (const target of BUILD_TARGETS) {
      if (target.name === "linux-x64") expect(target.webviewLibrary).toBe("libwebview-x64.so");
      else expect(target.webviewLibrary).not.toBe("libwebview-x64.so");
    }
    expect(parseTarget("windows-x64").webviewLibrary).toBe("libwebview.dll");
    expect(parseTarget("darwin-x64").webviewLibrary).toBe("libwebview.dylib");
  });

  test("each webview library file is its platform's format", () => {
    const dir = join(root, "node_modules", "webview-bun", "build");
    const kind = (name: string) => libraryKind(readFileSync(join(dir, name)));
    expect(kind(parseTarget("linux-arm64").webviewLibrary)).toBe("elf");
    expect(kind(parseTarget("darwin-arm64").webviewLibrary)).toBe("mach-o-universal");
    expect(kind(parseTarget("windows-x64").webviewLibrary)).toBe("pe");
    expect(readExecutableFormat(readFileSync(join(dir, "libwebview-arm64.so"))).arch).toBe("arm64");
  });

  test("output names: dist/sage for this machine, suffixed (and .exe) for the others", () => {
    const host = hostTarget("linux", "x64");
    expect(host?.name).toBe("linux-x64");
    expect(hostTarget("win32", "x64")?.name).toBe("windows-x64");
    expect(hostTarget("freebsd", "x64")).toBeUndefined();
    expect(defaultOutfile(parseTarget("linux-x64"), host)).toBe("dist/sage");
    expect(defaultOutfile(parseTarget("windows-x64"), host)).toBe("dist/sage-windows-x64.exe");
    expect(defaultOutfile(parseTarget("darwin-arm64"), host)).toBe("dist/sage-darwin-arm64");
  });

  test("cross runtimes come from scripts/cross-runtimes, pinned to this Bun's version", () => {
    const manifest = JSON.parse(
      readFileSync(join(root, "scripts", "cross-runtimes", "package.json"), "utf8"),
    );
    const ownBun = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies.bun;
    for (const target of BUILD_TARGETS.filter((candidate) => candidate.name !== "linux-x64")) {
      expect(manifest.optionalDependencies[target.runtimePackage]).toBe(ownBun);
      expect(crossRuntimePath("/r", target)).toStartWith("/r/scripts/cross-runtimes/node_modules/@oven/");
    }
    expect(crossRuntimePath("/r", parseTarget("windows-x64"))).toEndWith("bin/bun.exe");
  });
});

describe("executable headers", () => {
  test("the right header passes", () => {
    expect(executableProblems(parseTarget("linux-arm64"), elf(0xb7))).toEqual([]);
    expect(executableProblems(parseTarget("darwin-arm64"), machO(0x0100000c))).toEqual([]);
    expect(executableProblems(parseTarget("darwin-x64"), machO(0x01000007))).toEqual([]);
    expect(executableProblems(parseTarget("windows-x64"), pe(0x8664, 2))).toEqual([]);
  });

  test("the wrong platform, CPU or console subsystem fails with a reason", () => {
    expect(executableProblems(parseTarget("linux-arm64"), elf(0x3e))).toEqual([
      "it is built for x64, not arm64",
    ]);
    expect(executableProblems(parseTarget("darwin-arm64"), elf(0xb7))).toEqual(["it is elf, not mach-o"]);
    expect(executableProblems(parseTarget("darwin-x64"), machO(0x0100000c))[0]).toContain("not x64");
    expect(executableProblems(parseTarget("windows-x64"), pe(0x8664, 3))[0]).toContain("console window");
    expect(executableProblems(parseTarget("windows-x64"), new Uint8Array(10))).toEqual([
      "it is unknown, not pe",
    ]);
  });

  test("a truncated or lying PE header is unknown, not a crash", () => {
    const bytes = pe(0x8664, 2);
    new DataView(bytes.buffer).setUint32(0x3c, 100_000, true);
    expect(readExecutableFormat(bytes).format).toBe("unknown");
  });

  test("this machine's own Bun executable reads as x64 ELF", () => {
    const self = readFileSync(process.execPath).subarray(0, 4096);
    expect(readExecutableFormat(self)).toEqual({ format: "elf", arch: "x64" });
  });
});

describe("embedded webview library", () => {
  const libraries = new Map<string, Uint8Array>([
    ["libwebview-x64.so", Buffer.from("ELF-x64-library-bytes")],
    ["libwebview.dll", Buffer.from("MZ-windows-library-bytes")],
  ]);
  const windows = parseTarget("windows-x64");

  test("its own library inside and no other passes", () => {
    const binary = Buffer.concat([
      Buffer.from("runtime…"),
      Buffer.from("MZ-windows-library-bytes"),
      Buffer.from("…"),
    ]);
    expect(embeddedProblems(windows, binary, libraries)).toEqual([]);
  });

  test("the x64 Linux library instead of its own fails with both reasons", () => {
    const binary = Buffer.concat([Buffer.from("runtime…"), Buffer.from("ELF-x64-library-bytes")]);
    expect(embeddedProblems(windows, binary, libraries)).toEqual([
      "another platform's libwebview-x64.so is embedded",
      "libwebview.dll (its own webview library) is not embedded",
    ]);
  });

  test("a truncated copy of its own library does not count", () => {
    expect(embeddedProblems(windows, Buffer.from("MZ-windows-library-byt"), libraries)).toEqual([
      "libwebview.dll (its own webview library) is not embedded",
    ]);
  });
});

describe("running a build (scripts/emulated-run.ts, with a stand-in executable)", () => {
  const fakeSage = join(root, "test", "fixtures", "fake-sage", "cli.ts");
  const run = (env: Record<string, string>, version: string) =>
    emulatedProblems([process.execPath], fakeSage, version, { ...process.env, ...env });

  test("the right version and a first 200 pass", async () => {
    expect(await run({ FAKE_SAGE_VERSION: "9.9.9", FAKE_SAGE_STATUS: "200" }, "9.9.9")).toEqual([]);
  });

  test("a wrong version, a server that fails or one that never starts are each reported", async () => {
    expect(await run({ FAKE_SAGE_VERSION: "1.0.0", FAKE_SAGE_STATUS: "200" }, "9.9.9")).toEqual([
      '--version printed "Sage 1.0.0" (exit 0), not "Sage 9.9.9"',
    ]);
    const failing = await run({ FAKE_SAGE_VERSION: "9.9.9", FAKE_SAGE_STATUS: "exit" }, "9.9.9");
    expect(failing).toEqual(["--serve did not answer 200 (last status none)"]);
  }, 20_000);

  test("only linux-arm64 is emulated", () => {
    expect(emulator(parseTarget("windows-x64"))).toBeUndefined();
    expect(emulator(parseTarget("darwin-arm64"))).toBeUndefined();
  });
});

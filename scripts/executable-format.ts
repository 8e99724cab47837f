/**
 * Reads just enough of an executable's header to say which platform it runs on: ELF (Linux) machine,
 * Mach-O (macOS) CPU type, PE (Windows) machine and subsystem. Used by scripts/check-targets.ts.
 *
 * `executableProblems(target, bytes)` returns one sentence per mismatch, [] when the file is the
 * target's program (and, on Windows, a GUI-subsystem one: no console window). `embeddedProblems` says
 * whether the target's own webview library is inside, byte for byte, and no other platform's is.
 */
import type { BuildTarget } from "./build-targets.ts";

export interface ExecutableFormat {
  format: "elf" | "mach-o" | "pe" | "unknown";
  arch?: "x64" | "arm64" | "other";
  /** PE only: the Windows subsystem (2 = GUI, 3 = console). */
  subsystem?: number;
}

const ELF_MACHINE: Record<number, "x64" | "arm64"> = { 62: "x64", 183: "arm64" };
const MACHO_CPU: Record<number, "x64" | "arm64"> = { 16777223: "x64", 16777228: "arm64" };
const PE_MACHINE: Record<number, "x64" | "arm64"> = { 34404: "x64", 43620: "arm64" };
export const PE_SUBSYSTEM_GUI = 2;

export function readExecutableFormat(bytes: Uint8Array): ExecutableFormat {
  if (bytes.length < 64) return { format: "unknown" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, false) === 0x7f454c46) {
    return { format: "elf", arch: ELF_MACHINE[view.getUint16(18, true)] ?? "other" };
  }
  if (view.getUint32(0, true) === 0xfeedfacf) {
    return { format: "mach-o", arch: MACHO_CPU[view.getUint32(4, true)] ?? "other" };
  }
  if (view.getUint16(0, true) === 0x5a4d) {
    const pe = view.getUint32(0x3c, true);
    if (pe + 24 + 70 > bytes.length || view.getUint32(pe, true) !== 0x00004550) return { format: "unknown" };
    const arch = PE_MACHINE[view.getUint16(pe + 4, true)] ?? "other";
    // The optional header follows the 24 bytes of signature + COFF header; Subsystem is at +68.
    return { format: "pe", arch, subsystem: view.getUint16(pe + 24 + 68, true) };
  }
  return { format: "unknown" };
}

const expectedFormat = { linux: "elf", darwin: "mach-o", windows: "pe" } as const;

export function executableProblems(target: BuildTarget, bytes: Uint8Array): string[] {
  const found = readExecutableFormat(bytes);
  const problems: string[] = [];
  const format = expectedFormat[target.os];
  if (found.format !== format) problems.push(`it is ${found.format}, not ${format}`);
  else if (found.arch !== target.arch) problems.push(`it is built for ${found.arch}, not ${target.arch}`);
  if (target.os === "windows" && found.format === "pe" && found.subsystem !== PE_SUBSYSTEM_GUI) {
    problems.push(
      `its subsystem is ${found.subsystem} (a console window would open), not ${PE_SUBSYSTEM_GUI} (GUI)`,
    );
  }
  return problems;
}

/** `libraries`: every platform's webview library by file name (webview-bun's build/ folder). */
export function embeddedProblems(
  target: BuildTarget,
  binary: Buffer,
  libraries: ReadonlyMap<string, Uint8Array>,
): string[] {
  const problems: string[] = [];
  for (const [name, bytes] of libraries) {
    const found = binary.indexOf(bytes) >= 0;
    if (name === target.webviewLibrary && !found)
      problems.push(`${name} (its own webview library) is not embedded`);
    if (name !== target.webviewLibrary && found) problems.push(`another platform's ${name} is embedded`);
  }
  return problems;
}

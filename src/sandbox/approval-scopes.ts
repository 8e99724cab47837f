/**
 * What a remembered approval ("for this session" / "always") covers, and the choices a prompt offers.
 *
 * A remembered approval is a tool name plus a pattern. Patterns:
 *
 * | pattern            | covers later calls of the same tool (by the same agent) that ...            |
 * |--------------------|------------------------------------------------------------------------------|
 * | `file:<abs path>`  | change exactly this one file (file tools)                                    |
 * | `folder:<abs dir>` | change only files inside this folder, at any depth (file tools)              |
 * | `command:<text>`   | run exactly this command text (shell)                                        |
 * | `program:<name>`   | run a simple command whose first word is this program (shell; see below)    |
 * | `host:<host>`      | fetch from this host (and port) (network tools)                              |
 * | `*`                | every call of the tool, whatever it touches                                  |
 *
 * Prompts offer the choices narrowest first (`approvalScopes`); an answer that names none of them gets
 * the first (narrowest). File scopes follow the tool's own `touches` (the symlink-resolved paths the call
 * would change); a call whose paths cannot be resolved (it will fail anyway) is covered only by `*`.
 *
 * "Commands starting with this program" is offered only for a simple command — no `; & | < > ( ) $`,
 * backquote, backslash or line break, so no second command, substitution or redirection can ride
 * along — whose first word is a plain program name (no path), and only for programs that do not run arbitrary code given as arguments (shells, `env`,
 * `sudo`, `xargs`, interpreters ... are refused, see `openEndedPrograms`). It matches only simple
 * commands too. Such a program still takes any arguments the agent gives it; the prompt says so.
 */
import { dirname, sep } from "node:path";
import type { AnyTool, Workspace } from "../agent/tool-contract.ts";
import type { ApprovalScope } from "../shared/events.ts";

/** What one call would touch, as far as scopes are concerned. */
export type ApprovalSubject =
  | { kind: "files"; paths: string[] }
  | { kind: "command"; command: string }
  | { kind: "host"; host: string }
  | { kind: "other" };

/** Programs that run whatever their arguments say: "commands starting with X" would mean "anything". */
const openEndedPrograms = new Set([
  "sh",
  "bash",
  "zsh",
  "dash",
  "ksh",
  "fish",
  "csh",
  "tcsh",
  "busybox",
  "env",
  "sudo",
  "doas",
  "su",
  "pkexec",
  "xargs",
  "nohup",
  "timeout",
  "nice",
  "ionice",
  "setsid",
  "stdbuf",
  "time",
  "watch",
  "eval",
  "exec",
  "command",
  "builtin",
  "source",
  ".",
  "python",
  "python2",
  "python3",
  "node",
  "nodejs",
  "bun",
  "bunx",
  "deno",
  "npx",
  "perl",
  "ruby",
  "php",
  "lua",
  "tclsh",
  "awk",
  "gawk",
  "find",
  "ssh",
  "docker",
  "podman",
  "systemd-run",
  "flatpak-spawn",
]);

/** Characters that make a command more than one program with arguments. */
const compoundCommand = /[;&|<>()$`\\\n\r]/;
/**
 * A program word: a name found on the PATH — no path (a script in the workspace can be rewritten), no
 * assignment (`A=b cmd`), no quoting.
 */
const programWord = /^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*$/;

/** The program of a simple command, or undefined when the command is compound or open-ended. */
export function simpleProgram(command: string): string | undefined {
  const trimmed = command.trim();
  if (trimmed === "" || compoundCommand.test(trimmed)) return undefined;
  const first = trimmed.split(/\s+/)[0] ?? "";
  if (!programWord.test(first)) return undefined;
  if (openEndedPrograms.has(first) || /^python\d/.test(first)) return undefined;
  return first;
}

/** What `tool` called with `input` would touch (in `workspace`). Never throws. */
export function approvalSubject(tool: AnyTool, input: unknown, workspace: Workspace): ApprovalSubject {
  const params = (input ?? {}) as Record<string, unknown>;
  if (tool.kind === "shell" && typeof params.command === "string") {
    return { kind: "command", command: params.command.trim() };
  }
  if (tool.kind === "network" && typeof params.url === "string") {
    try {
      return { kind: "host", host: new URL(params.url).host };
    } catch {
      return { kind: "other" };
    }
  }
  if (tool.kind === "write" && tool.touches) {
    try {
      return { kind: "files", paths: tool.touches(input, { workspace }) };
    } catch {
      return { kind: "files", paths: [] };
    }
  }
  return { kind: "other" };
}

/** The folder that holds every path (the parent of a single path). */
function commonFolder(paths: readonly string[]): string {
  let folder = dirname(paths[0] as string);
  for (const path of paths.slice(1)) {
    while (!isInside(path, folder)) {
      const parent = dirname(folder);
      if (parent === folder) return folder;
      folder = parent;
    }
  }
  return folder;
}

/** Whether `path` is `folder` itself or lies inside it. */
function isInside(path: string, folder: string): boolean {
  if (path === folder) return true;
  return path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function relativeTarget(workspace: Workspace, path: string): string {
  try {
    return workspace.relative(path) || ".";
  } catch {
    return path;
  }
}

/**
 * The choices for "this session" / "always" on this call, narrowest first; never empty. File tools:
 * this file (when the call changes one), this folder (unless it is the workspace root), all calls.
 * Shell: this exact command, then (for a simple command) commands starting with its program.
 * Network: this host. Everything else: every call of the tool.
 */
export function approvalScopes(
  tool: AnyTool,
  subject: ApprovalSubject,
  workspace: Workspace,
): ApprovalScope[] {
  switch (subject.kind) {
    case "command": {
      const scopes: ApprovalScope[] = [
        { pattern: `command:${subject.command}`, kind: "command", target: subject.command },
      ];
      const program = simpleProgram(subject.command);
      if (program) scopes.push({ pattern: `program:${program}`, kind: "program", target: program });
      return scopes;
    }
    case "host":
      return [{ pattern: `host:${subject.host}`, kind: "host", target: subject.host }];
    case "files": {
      const scopes: ApprovalScope[] = [];
      const [only] = subject.paths;
      if (only !== undefined && subject.paths.length === 1) {
        scopes.push({ pattern: `file:${only}`, kind: "file", target: relativeTarget(workspace, only) });
      }
      if (subject.paths.length > 0) {
        const folder = commonFolder(subject.paths);
        if (folder !== workspace.root && isInside(folder, workspace.root)) {
          scopes.push({
            pattern: `folder:${folder}`,
            kind: "folder",
            target: `${relativeTarget(workspace, folder)}/`,
          });
        }
      }
      scopes.push({ pattern: "*", kind: "tool", target: tool.name });
      return scopes;
    }
    default:
      return [{ pattern: "*", kind: "tool", target: tool.name }];
  }
}

/** Whether a remembered `pattern` covers a call with this subject. Unknown patterns cover nothing. */
export function patternCovers(pattern: string, subject: ApprovalSubject): boolean {
  if (pattern === "*") return true;
  const colon = pattern.indexOf(":");
  if (colon < 0) return false;
  const kind = pattern.slice(0, colon);
  const value = pattern.slice(colon + 1);
  switch (kind) {
    case "command":
      return subject.kind === "command" && subject.command === value;
    case "program":
      return subject.kind === "command" && simpleProgram(subject.command) === value;
    case "host":
      return subject.kind === "host" && subject.host === value;
    case "file":
      return subject.kind === "files" && subject.paths.length > 0 && subject.paths.every((p) => p === value);
    case "folder":
      return (
        subject.kind === "files" &&
        subject.paths.length > 0 &&
        subject.paths.every((path) => path !== value && isInside(path, value))
      );
    default:
      return false;
  }
}

/**
 * How a stdio MCP server is started: its command line, environment, working folder and containment.
 *
 * Command: looked up on the PATH of the server's environment before anything is spawned (a missing
 * one is `McpCommandNotFoundError`, named in the panel). `npx`, `bunx`, `node` and `bun` that are not
 * installed map to the Bun inside Sage: the compiled executable acts as Bun when started with
 * `BUN_BE_BUN=1` (`npx -y pkg args` -> `sage x --bun pkg args`; `node file.js` -> `sage file.js`), so
 * npm-published servers run on a machine without Node. The status's `note` says so.
 *
 * Environment: clean — the few variables a program needs to run (PATH, HOME, USER, locale, proxies,
 * CA certificates) plus the server's configured `env`, where `${NAME}` takes the value of the variable
 * NAME from Settings → Environment (or the server's own env). Nothing else of Sage's environment.
 *
 * Containment (not a sandbox: a stdio server is a program the user chose to run, with the user's
 * rights, network and files). What Sage adds is lifetime and its own secrets:
 * - `bubblewrap` (when usable): the server sees the whole file system read-write except Sage's data,
 *   config and log folders (empty; the workspaces folder stays visible), in its own PID namespace tied
 *   to Sage (`--die-with-parent`): when Sage exits, even by kill -9, every process of the server dies.
 * - `setpriv` (no usable bubblewrap): the server gets SIGKILL when Sage dies (`--pdeathsig`) and runs in
 *   a process group Sage kills on stop; processes it starts in a new group could outlive a kill -9.
 * - `process-group`: neither tool exists; only a normal exit of Sage stops the server's group.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { SandboxStatus } from "../sandbox/types.ts";
import type { McpServerInput } from "../shared/mcp.ts";
import { McpCommandNotFoundError, type StdioLaunch } from "./types.ts";

/** Variables of Sage's own environment a server gets (everything else is left out). */
const PASSED_THROUGH = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "NODE_EXTRA_CA_CERTS",
];
const DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
/** Programs Sage can stand in for with its built-in Bun. */
const BUN_STAND_INS = new Set(["npx", "bunx", "node", "bun"]);
/** npx options that mean nothing to `bun x`. */
const NPX_ONLY_FLAGS = new Set(["-y", "--yes", "-q", "--quiet", "--no-install", "--prefer-offline"]);

export interface LaunchContext {
  /** Sage's environment (only `PASSED_THROUGH` is read). */
  baseEnv: Record<string, string | undefined>;
  /** Settings → Environment, for `${NAME}` in configured values. */
  userEnv: Record<string, string>;
  /** `process.execPath`: the compiled Sage, or bun when run from source. */
  execPath: string;
  /** True for the compiled executable (then it needs `BUN_BE_BUN=1` to act as Bun). */
  compiled: boolean;
  sandbox: SandboxStatus;
  /** Folders the server must not see (Sage's data, config, logs). */
  hiddenPaths: string[];
  /** Folders inside hidden ones that stay visible (the agents' workspaces). */
  visiblePaths: string[];
  /** Where `setpriv` is, or null (found once by the manager). */
  setprivPath: string | null;
}

/** Replace `${NAME}` / `${NAME:-default}` from `variables`; unknown names become "" (or the default). */
export function expandVariables(text: string, variables: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_, name: string, fallback?: string) => {
      const value = variables[name];
      return value !== undefined && value !== "" ? value : (fallback ?? "");
    },
  );
}

/** The environment of a server: the clean base plus its configured variables (expanded). */
export function serverEnvironment(
  configured: Record<string, string>,
  context: Pick<LaunchContext, "baseEnv" | "userEnv">,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = context.baseEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ||= DEFAULT_PATH;
  const lookup = { ...env, ...context.userEnv };
  for (const [name, value] of Object.entries(configured)) env[name] = expandVariables(value, lookup);
  return env;
}

/** The absolute path of `command` on `pathVariable`, or of a path-like command; null when missing. */
export function findCommand(command: string, pathVariable: string, cwd: string): string | null {
  if (command.includes("/")) {
    const candidate = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(candidate) ? candidate : null;
  }
  for (const folder of pathVariable.split(":")) {
    if (!folder) continue;
    const candidate = resolve(folder, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The launch of a stdio server with its secrets resolved (`env`: configured variables, secret values
 * included). Throws `McpCommandNotFoundError` when the command does not exist and cannot be mapped.
 */
export function planStdioLaunch(
  config: McpServerInput,
  env: Record<string, string>,
  workspaceRoot: string,
  context: LaunchContext,
): StdioLaunch {
  const processEnv = serverEnvironment(env, context);
  const lookup = { ...processEnv, ...context.userEnv };
  const command = expandVariables(config.command ?? "", lookup).trim();
  const args = config.args.map((arg) => expandVariables(arg, lookup));
  const cwd = config.cwd ? resolve(workspaceRoot, expandVariables(config.cwd, lookup)) : workspaceRoot;
  if (!existsSync(cwd) || !statSync(cwd).isDirectory())
    throw new McpCommandNotFoundError(`The working folder ${cwd} does not exist.`);
  if (!command) throw new McpCommandNotFoundError("No command is configured.");

  let argv: string[];
  let note: string | undefined;
  const found = findCommand(command, processEnv.PATH ?? DEFAULT_PATH, cwd);
  if (found) {
    argv = [found, ...args];
  } else if (BUN_STAND_INS.has(command)) {
    argv = [context.execPath, ...bunArguments(command, args)];
    if (context.compiled) processEnv.BUN_BE_BUN = "1";
    note = `${command} is not installed on this computer: this server runs with the Bun built into Sage (${command === "npx" || command === "bunx" ? "bun x" : "bun"}).`;
  } else {
    throw new McpCommandNotFoundError(
      `The command "${command}" was not found${command.includes("/") ? "" : ` on the PATH (${processEnv.PATH})`}. Install it, or give its full path.`,
    );
  }
  // Shown to the user: the configured words, before `${NAME}` expansion (which may insert secrets).
  const display = [config.command ?? "", ...config.args].map(quoteForDisplay).join(" ");
  const contained = containment(argv, cwd, context);
  return { argv: contained.argv, env: processEnv, cwd, display, note, containment: contained.kind };
}

/** `npx -y pkg a b` -> `x --bun pkg a b`; `node f.js` -> `f.js`. */
export function bunArguments(command: string, args: string[]): string[] {
  if (command === "npx" || command === "bunx") {
    const rest = args.filter((arg) => !NPX_ONLY_FLAGS.has(arg));
    return ["x", "--bun", ...rest];
  }
  return args;
}

function containment(
  argv: string[],
  cwd: string,
  context: LaunchContext,
): { argv: string[]; kind: StdioLaunch["containment"] } {
  const bubblewrap = context.sandbox.mode === "bubblewrap" ? context.sandbox.bubblewrap : undefined;
  if (bubblewrap) {
    const args = [bubblewrap.path, ...bubblewrap.extraArgs, "--dev-bind", "/", "/", "--proc", "/proc"];
    const seen = new Set<string>();
    for (const path of context.hiddenPaths) {
      const real = realOrNull(path);
      if (!real || real === "/" || seen.has(real) || !statSync(real).isDirectory()) continue;
      seen.add(real);
      args.push("--tmpfs", real);
      for (const visible of context.visiblePaths) {
        const keep = realOrNull(visible);
        if (keep?.startsWith(`${real}/`)) args.push("--bind", keep, keep);
      }
    }
    // A working folder inside a hidden one (a custom workspace under the data dir) stays reachable.
    const realCwd = realOrNull(cwd);
    if (realCwd && [...seen].some((hidden) => realCwd.startsWith(`${hidden}/`)))
      args.push("--bind", realCwd, realCwd);
    args.push("--unshare-pid", "--die-with-parent", "--new-session", "--chdir", cwd, "--", ...argv);
    return { argv: args, kind: "bubblewrap" };
  }
  if (context.setprivPath) {
    return { argv: [context.setprivPath, "--pdeathsig", "KILL", "--", ...argv], kind: "setpriv" };
  }
  return { argv, kind: "process-group" };
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * Command-line flags and the environment variables that stand in for them. Pure: takes argv and env,
 * returns options or a usage error; main.ts decides what to do.
 */
import { APP_NAME, VERSION } from "./version.ts";

/**
 * How this process runs Sage: the native window, the headless server (`--serve`), or `bun run dev`
 * (server with hot reload beside Vite). The command line chooses between the first two; serve mode with dev
 * origins (SAGE_DEV_ORIGIN, set by scripts/dev.ts) runs as dev.
 */
export type RunMode = "window" | "serve" | "dev";

export interface LaunchOptions {
  mode: Exclude<RunMode, "dev">;
  port: number | undefined;
  host: string;
  dataDir: string | undefined;
  /** serve mode: do not open the default browser. */
  noOpen: boolean;
  verbose: boolean;
  /** dev mode (bun run dev): the Vite dev server's origins, allowed to call the API. */
  devOrigins: string[];
  /** `--restore-backup [FILE]`: put FILE (true: the newest good backup) in place before starting. */
  restoreBackup: string | true | undefined;
  /** `--hidden` (the autostart entry): start in the tray without showing the window, when a tray exists. */
  hidden: boolean;
  /** A `sage://` link to open (from the desktop's scheme handler: `Exec=sage %u`). */
  openUrl: string | undefined;
}

export type ParsedArgs =
  | { kind: "run"; options: LaunchOptions }
  | { kind: "help"; text: string }
  | { kind: "version"; text: string }
  /** `--install` / `--uninstall`: the desktop entry, icon and `sage:` link handler. */
  | { kind: "install" }
  | { kind: "uninstall" }
  | { kind: "error"; message: string };

export const HELP = `${APP_NAME} ${VERSION} — a local-first AI agent workbench

Usage: sage [options]

With no options, Sage opens its window. Everything stays on this machine.

Options:
  --serve            Run headless: start only the server and print its URL (with the access token)
  --port N           Port to listen on (default: a random free port; env SAGE_PORT)
  --host H           Address to bind (default 127.0.0.1). Other addresses expose Sage to the network:
                     a warning is printed and the access token is still required
  --data-dir DIR     Keep all data (database, skills, workspaces, logs) under DIR (env SAGE_HOME)
  --no-open          With --serve: do not open the default browser
  --restore-backup [FILE]
                     Put the last good database backup (or FILE, a path or a name in the data
                     folder's backups/) in place of the database, then start. The current database
                     is moved aside (sage.db.before-restore-<time>), never deleted
  --hidden           Start in the tray without showing the window (used when starting at login); shows
                     the window after all when the desktop has no tray
  --install          Add Sage to the application menu (desktop entry and icon) and make it open sage:// links
  --uninstall        Remove what --install (and "start at login") added
  sage://session/ID  Open that chat (in the running Sage, when there is one); sage://new?agent=NAME
                     starts a new chat
  --verbose          Log to the console as well as to the log file
  --version          Print the version and exit
  --help             Print this help and exit
`;

export function parseArgs(argv: string[], env: Record<string, string | undefined>): ParsedArgs {
  const options: LaunchOptions = {
    mode: "window",
    port: undefined,
    host: "127.0.0.1",
    dataDir: env.SAGE_HOME || undefined,
    noOpen: false,
    verbose: env.SAGE_VERBOSE === "1",
    devOrigins: (env.SAGE_DEV_ORIGIN ?? "").split(",").filter(Boolean),
    restoreBackup: undefined,
    openUrl: undefined,
    hidden: false,
  };
  if (env.SAGE_PORT) {
    const port = parsePort(env.SAGE_PORT);
    if (port === undefined)
      return { kind: "error", message: `SAGE_PORT must be a port number, got "${env.SAGE_PORT}"` };
    options.port = port;
  }

  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const [flag, inline] =
      raw.startsWith("--") && raw.includes("=") ? raw.split(/=(.*)/s, 2) : [raw, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case "--help":
      case "-h":
        return { kind: "help", text: HELP };
      case "--version":
      case "-v":
        return { kind: "version", text: `${APP_NAME} ${VERSION}` };
      case "--serve":
        options.mode = "serve";
        break;
      case "--hidden":
        options.hidden = true;
        break;
      case "--install":
        return { kind: "install" };
      case "--uninstall":
        return { kind: "uninstall" };
      case "--no-open":
        options.noOpen = true;
        break;
      case "--verbose":
        options.verbose = true;
        break;
      case "--port": {
        const v = value();
        const port = v === undefined ? undefined : parsePort(v);
        if (port === undefined)
          return { kind: "error", message: `--port needs a port number (0-65535), got "${v ?? ""}"` };
        options.port = port;
        break;
      }
      case "--host": {
        const v = value();
        if (!v) return { kind: "error", message: "--host needs an address, e.g. --host 127.0.0.1" };
        options.host = v;
        break;
      }
      case "--restore-backup": {
        // The file is optional: take the next word only when it is not another option.
        const next = inline ?? (argv[i + 1]?.startsWith("-") === false ? argv[++i] : undefined);
        if (next === "") return { kind: "error", message: "--restore-backup= needs a file name" };
        options.restoreBackup = next ?? true;
        break;
      }
      case "--data-dir": {
        const v = value();
        if (!v) return { kind: "error", message: "--data-dir needs a folder" };
        options.dataDir = v;
        break;
      }
      default:
        if (raw.startsWith("-")) return { kind: "error", message: `Unknown option ${raw}. Try --help.` };
        // A sage: link from the desktop (%u in the .desktop file); other words are ignored quietly.
        if (/^sage:/i.test(raw)) options.openUrl = raw;
    }
  }
  return { kind: "run", options };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

export function isLoopbackHost(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]";
}

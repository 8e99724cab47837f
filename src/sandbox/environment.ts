/**
 * The environment of shell commands: the app's environment with secrets removed, plus the user's own
 * variables, plus a few settings that make tools behave in a non-interactive, pipe-connected process.
 *
 * Precedence, lowest first:
 * 1. `base` (the app's `process.env`), minus every variable that looks secret (see `looksSecret`),
 *    minus Sage's own `SAGE_*` variables and the app's `PWD`/`OLDPWD` — unless the name matches `allow`;
 * 2. fixed settings for a process without a terminal (`nonInteractiveSettings`);
 * 3. `extra`, the variables the user configured for the agent: always kept as given, even when the
 *    name looks secret (the user chose to hand them to the agent).
 *
 * HOME is kept as the user's real home directory, not the workspace: tools read their configuration
 * from it (git identity, package manager settings). Under bubblewrap it is read-only, so a tool that
 * must write a cache there needs a variable in `extra` pointing the cache into the workspace.
 * PATH and LANG always have a value (a standard PATH, `C.UTF-8`) so commands run and print UTF-8.
 */

export interface ShellEnvironmentOptions {
  /** The app's environment, usually `process.env`. */
  base: Record<string, string | undefined>;
  /** The user's configured variables for the agent; added last and never scrubbed. */
  extra?: Record<string, string>;
  /**
   * Names from `base` the user allowed through despite looking secret, e.g. `["GITHUB_TOKEN"]`.
   * A `*` matches any run of characters (`"AWS_*"`); matching is exact otherwise, case-sensitive.
   */
  allow?: string[];
}

/** Name parts that mark a secret when they appear as a whole `_`-separated word. */
const secretWords = new Set([
  "KEY",
  "KEYS",
  "APIKEY",
  "TOKEN",
  "TOKENS",
  "SECRET",
  "SECRETS",
  "PASS",
  "PASSWD",
  "PASSWORD",
  "PASSPHRASE",
  "PAT",
  "AUTH",
  "DSN",
  "CREDENTIAL",
  "CREDENTIALS",
  "COOKIE",
  "PRIVATE",
]);

/**
 * Substrings that mark a secret anywhere in a name (catches `DBPASSWORD`, `MYSECRET`, `GHAPITOKEN`).
 * Plain `TOKEN` is a whole-word rule only, so `TOKENIZERS_PARALLELISM` survives.
 */
const secretSubstrings = [
  "PASSWORD",
  "PASSWD",
  "SECRET",
  "CREDENTIAL",
  "APIKEY",
  "API_KEY",
  "PRIVATE_KEY",
  "APITOKEN",
  "ACCESSTOKEN",
  "ACCESS_TOKEN",
  "AUTHTOKEN",
  "AUTH_TOKEN",
];

/** Prefixes of whole families of credentials (cloud providers, registries) and Sage's own variables. */
const secretPrefixes = ["AWS_", "AZURE_", "GOOGLE_APPLICATION_CREDENTIALS", "GCP_", "DOCKER_AUTH", "SAGE_"];

/** Exact names that carry credentials or access to them without saying so in the name. */
const secretNames = new Set([
  "SSH_AUTH_SOCK",
  "GPG_AGENT_INFO",
  "DATABASE_URL",
  "REDIS_URL",
  "MONGODB_URI",
  "KUBECONFIG",
  "NETRC",
  "PGPASSFILE",
]);

/** A URL with a password in it, like `postgres://user:pass@host/db`. */
const urlWithPassword = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Variables of the app's own process that would mislead a command (the shell sets its own). */
const appOnlyNames = new Set(["PWD", "OLDPWD", "_"]);

/** Set for every command: there is no terminal and nobody to answer a prompt. */
export const nonInteractiveSettings: Readonly<Record<string, string>> = {
  TERM: "dumb",
  NO_COLOR: "1",
  PAGER: "cat",
  GIT_PAGER: "cat",
  GIT_TERMINAL_PROMPT: "0",
  DEBIAN_FRONTEND: "noninteractive",
};

const defaultPath = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";

/** True when a variable's name (or, for URLs with a password, its value) suggests a secret. */
export function looksSecret(name: string, value = ""): boolean {
  const upper = name.toUpperCase();
  if (secretNames.has(upper)) return true;
  if (secretPrefixes.some((prefix) => upper.startsWith(prefix))) return true;
  if (secretSubstrings.some((part) => upper.includes(part))) return true;
  if (upper.split(/[^A-Z0-9]+/).some((word) => secretWords.has(word))) return true;
  return urlWithPassword.test(value);
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`);
}

/** The complete environment for shell commands (see the module comment for the rules). */
export function buildShellEnvironment(options: ShellEnvironmentOptions): Record<string, string> {
  const allowed = (options.allow ?? []).map(patternToRegExp);
  const isAllowed = (name: string): boolean => allowed.some((pattern) => pattern.test(name));

  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.base)) {
    if (value === undefined || name.length === 0 || name.includes("=")) continue;
    if (!isAllowed(name) && (appOnlyNames.has(name) || looksSecret(name, value))) continue;
    environment[name] = value;
  }
  Object.assign(environment, nonInteractiveSettings);
  if (!environment.PATH) environment.PATH = defaultPath;
  if (!environment.LANG && !environment.LC_ALL) environment.LANG = "C.UTF-8";
  for (const [name, value] of Object.entries(options.extra ?? {})) {
    if (name.length === 0 || name.includes("=") || name.includes("\0") || value.includes("\0")) {
      throw new Error(
        `Invalid environment variable ${JSON.stringify(name)}: names need no "=" and no NUL bytes`,
      );
    }
    environment[name] = value;
  }
  return environment;
}

/** The names `buildShellEnvironment` would remove from `base` (for a settings screen or a log line). */
export function removedVariableNames(options: ShellEnvironmentOptions): string[] {
  const kept = buildShellEnvironment({ base: options.base, allow: options.allow });
  return Object.keys(options.base)
    .filter((name) => options.base[name] !== undefined && !(name in kept))
    .sort();
}

/**
 * Credential folders: places in the user's home where other programs keep keys, tokens, passwords and
 * cookies. Sage hides every one of them from the agent's tools — the file tools refuse them and the
 * shell sandbox shows them empty — next to Sage's own folders, which are always hidden.
 *
 * The list is a user setting (Settings → Tools & approvals), read when each turn starts. Entries are
 * `~/…` (the user's home) or absolute paths; a folder hides everything inside it, a file hides itself.
 * Runs in the browser too (no Bun or Node imports).
 */

/** The default list. Missing entries cost nothing: they are skipped. */
export const DEFAULT_CREDENTIAL_FOLDERS: readonly string[] = [
  // SSH and GnuPG keys, agents' sockets and the password store built on them
  "~/.ssh",
  "~/.gnupg",
  "~/.password-store",
  // Desktop keyrings and certificate stores (client certificates carry private keys)
  "~/.local/share/keyrings",
  "~/.pki",
  // Cloud and cluster credentials
  "~/.aws",
  "~/.azure",
  "~/.config/gcloud",
  "~/.oci",
  "~/.kube",
  "~/.docker",
  "~/.config/doctl",
  "~/.config/rclone",
  "~/.s3cfg",
  "~/.boto",
  "~/.terraform.d/credentials.tfrc.json",
  "~/.vault-token",
  // Git, package registries and developer CLIs
  "~/.git-credentials",
  "~/.config/git/credentials",
  "~/.config/gh",
  "~/.config/hub",
  "~/.npmrc",
  "~/.pypirc",
  "~/.cargo/credentials",
  "~/.cargo/credentials.toml",
  "~/.gem/credentials",
  "~/.config/op",
  // Database and network logins
  "~/.netrc",
  "~/.pgpass",
  "~/.my.cnf",
  // Browser profiles (cookies, saved passwords) and mail
  "~/.mozilla",
  "~/.thunderbird",
  "~/.config/google-chrome",
  "~/.config/chromium",
  "~/.config/BraveSoftware",
  "~/.config/microsoft-edge",
  "~/.config/vivaldi",
  "~/snap/firefox",
  "~/snap/chromium",
  "~/.var/app/org.mozilla.firefox",
  "~/.var/app/com.google.Chrome",
  "~/.var/app/org.chromium.Chromium",
  // Shell and database histories (commands typed with passwords in them)
  "~/.bash_history",
  "~/.zsh_history",
  "~/.local/share/fish/fish_history",
  "~/.psql_history",
  "~/.mysql_history",
  "~/.python_history",
];

/** Most entries the list may hold. */
export const CREDENTIAL_FOLDERS_MAX = 500;

/** One entry: `~`, `~/something` or an absolute path, without NUL bytes or newlines. */
export const CREDENTIAL_FOLDER_PATTERN = "^(~|~/[^\\u0000\\n]+|/[^\\u0000\\n]*)$";

export function isCredentialFolderEntry(entry: string): boolean {
  return new RegExp(CREDENTIAL_FOLDER_PATTERN).test(entry);
}

/**
 * The absolute path an entry names: `~` and `~/x` are taken from `home`, an absolute path is kept.
 * Anything else (a relative path) names nothing: undefined.
 */
export function expandCredentialFolder(entry: string, home: string): string | undefined {
  const trimmed = entry.trim();
  if (trimmed === "~") return home;
  if (trimmed.startsWith("~/")) return `${home.replace(/\/+$/, "")}/${trimmed.slice(2)}`;
  if (trimmed.startsWith("/")) return trimmed;
  return undefined;
}

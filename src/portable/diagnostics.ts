/**
 * The diagnostics bundle (Settings → About): a .zip a user can attach to a bug report.
 *
 *   README.txt      what is inside and what was removed
 *   system.json     version, run mode, platform, paths, key storage, counts
 *   settings.json   the portable settings export (no keys), environment variables by name only
 *   logs/*.log      the last 512 KB of the current and the previous log file
 *
 * Contract: no secret leaves in it. Every text goes through the logger's `redact` (registered secrets
 * and key-shaped patterns), then every known secret (`knownSecrets`: the stored API keys and secret
 * variable values) is replaced; a final scan refuses to build the bundle if one still appears.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { arch, platform, release } from "node:os";
import { join } from "node:path";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { exportSettings, type PortableDeps } from "./portable.ts";

export const LOG_TAIL_BYTES = 512 * 1024;

export class SecretLeakError extends Error {
  override readonly name = "SecretLeakError";
  constructor(readonly file: string) {
    super(`A secret was found in ${file} after redaction; the diagnostics bundle was not created.`);
  }
}

export interface DiagnosticsDeps extends PortableDeps {
  mode: string;
  compiled: boolean;
  startedAt: number;
  paths: Paths;
  logger: Logger;
  keyStorage: string;
  /** Extra facts for system.json (database journal mode, counts ...). */
  facts?: Record<string, unknown>;
  /** Every secret value known to the app, to be removed and scanned for. */
  knownSecrets: readonly string[];
}

export async function buildDiagnosticsBundle(deps: DiagnosticsDeps): Promise<Uint8Array> {
  const { strToU8, zipSync } = await import("fflate");
  const secrets = deps.knownSecrets.filter((secret) => secret.length >= 4);
  const clean = (name: string, text: string): string => {
    let out = deps.logger.redact(text);
    for (const secret of secrets) out = out.split(secret).join("[redacted]");
    if (secrets.some((secret) => out.includes(secret))) throw new SecretLeakError(name);
    return out;
  };

  const settings = exportSettings(deps);
  settings.environment = settings.environment.map((variable) => ({
    name: variable.name,
    secret: variable.secret,
  }));

  const files: Record<string, Uint8Array> = {};
  const add = (name: string, text: string) => {
    files[name] = strToU8(clean(name, text));
  };
  add("README.txt", README);
  add(
    "system.json",
    JSON.stringify(
      {
        createdAt: new Date().toISOString(),
        version: deps.version,
        mode: deps.mode,
        compiled: deps.compiled,
        uptimeMs: Date.now() - deps.startedAt,
        platform: `${platform()} ${release()} ${arch()}`,
        bun: Bun.version,
        keyStorage: deps.keyStorage,
        paths: {
          data: deps.paths.data,
          config: deps.paths.config,
          logs: deps.paths.logs,
          database: deps.paths.database,
        },
        ...deps.facts,
      },
      null,
      2,
    ),
  );
  add("settings.json", JSON.stringify(settings, null, 2));
  for (const name of ["sage.log", "sage.1.log"]) {
    const tail = readTail(join(deps.paths.logs, name), LOG_TAIL_BYTES);
    if (tail !== undefined) add(`logs/${name}`, tail);
  }
  return zipSync(files, { level: 6 });
}

/** The last `bytes` of a file (starting at a line boundary), or undefined when it does not exist. */
export function readTail(file: string, bytes: number): string | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  const start = Math.max(0, size - bytes);
  const buffer = Buffer.alloc(size - start);
  const handle = openSync(file, "r");
  try {
    readSync(handle, buffer, 0, buffer.length, start);
  } finally {
    closeSync(handle);
  }
  const text = buffer.toString("utf8");
  if (start === 0) return text;
  const newline = text.indexOf("\n");
  return newline >= 0 ? text.slice(newline + 1) : text;
}

const README = `Sage diagnostics bundle

system.json    version, run mode, platform, paths, where keys are kept
settings.json  settings, providers (without keys), agents, environment variable names (no values)
logs/          the end of the current and previous log files

API keys, the access token and secret values were removed before this file was written.
`;

/** Every secret the app holds: the stored API keys (readable ones) and secret variable values. */
export async function collectKnownSecrets(deps: {
  providers: Pick<PortableDeps["providers"], "list" | "storedKey">;
  environment: Pick<PortableDeps["environment"], "secretValueList">;
}): Promise<string[]> {
  const secrets = [...deps.environment.secretValueList()];
  for (const provider of deps.providers.list()) {
    if (!provider.hasKey) continue;
    try {
      const key = await deps.providers.storedKey(provider.id);
      if (key) secrets.push(key);
    } catch {
      // An unreadable key cannot leak either.
    }
  }
  return secrets;
}

/**
 * MCP server definitions in the settings file ("mcpServers" of sage.settings.v1; see portable.ts).
 *
 * Export: every server as configured, each secret variable or header as `{ name, secret: true }` with
 * no value, and `mcpSecrets` listing them (what must be entered again on the other machine). Secret
 * values live only in the key store and never reach the file.
 *
 * Import: a definition that is new here, or differs from this machine's server of the same name, is a
 * widened permission (Sage would start that program or connect to that address), reviewed like an
 * agent's: applied only when the user confirmed it (`acceptServers`, names), else left out (a new one)
 * or left as it is here (a changed one). A file never carries secret values (any it has are dropped
 * with a warning); a confirmed server whose secrets have no value here is stored disabled and listed in
 * `needSecrets` until the user enters them in Settings → MCP servers.
 */
import { type Static, Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ValidationError } from "../core/errors.ts";
import type { McpConfigStore } from "../mcp/config-store.ts";
import { type McpNamedValue, McpServerInput, mcpServerIssues } from "../shared/mcp.ts";
import type { McpImportResult, WidenedPermission } from "../shared/permissions.ts";
import type { FieldIssue } from "../shared/validation.ts";

export const PortableMcpSecret = T.Object({
  server: T.String({ maxLength: 40 }),
  kind: T.Union([T.Literal("env"), T.Literal("header")]),
  name: T.String({ maxLength: 200 }),
});
export type PortableMcpSecret = Static<typeof PortableMcpSecret>;

export type { McpImportResult };

/** A server without any secret value (and with secret items reduced to their name). */
function withoutSecrets(config: McpServerInput): McpServerInput {
  const strip = (list: McpNamedValue[]) =>
    list.map((item) =>
      item.secret
        ? { name: item.name, secret: true }
        : { name: item.name, value: item.value ?? "", secret: false },
    );
  return { ...config, env: strip(config.env), headers: strip(config.headers) };
}

export function exportMcpServers(store: McpConfigStore): {
  mcpServers: McpServerInput[];
  mcpSecrets: PortableMcpSecret[];
} {
  const mcpServers = store.list().map(withoutSecrets);
  const mcpSecrets = mcpServers.flatMap((server) => [
    ...server.env.filter((item) => item.secret).map((item) => secretOf(server.name, "env", item.name)),
    ...server.headers.filter((item) => item.secret).map((item) => secretOf(server.name, "header", item.name)),
  ]);
  return { mcpServers, mcpSecrets };
}

function secretOf(server: string, kind: "env" | "header", name: string): PortableMcpSecret {
  return { server, kind, name };
}

/** Field issues of the file's servers (names unique, each a valid definition). */
export function portableMcpIssues(servers: readonly McpServerInput[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  servers.forEach((server, index) => {
    if (seen.has(server.name)) issues.push({ field: `mcpServers.${index}.name`, code: "duplicate" });
    seen.add(server.name);
    for (const issue of mcpServerIssues(server))
      issues.push({ ...issue, field: `mcpServers.${index}${issue.field ? `.${issue.field}` : ""}` });
  });
  return issues;
}

/** Secret values a (hand-edited) file carries; they are dropped, never stored. */
export function carriedSecretValues(servers: readonly McpServerInput[]): string[] {
  return servers.flatMap((server) =>
    [...server.env, ...server.headers]
      .filter((item) => item.secret && item.value)
      .map((item) => `${server.name}: ${item.name}`),
  );
}

function launchOf(config: McpServerInput): string {
  return config.transport === "stdio"
    ? [config.command ?? "", ...config.args].join(" ").trim()
    : `${config.transport} ${config.url ?? ""}`;
}

/** Comparable form: defaults applied, secret values gone. */
function canonical(config: McpServerInput): string {
  const value = withoutSecrets(Value.Default(McpServerInput, structuredClone(config)) as McpServerInput);
  return JSON.stringify(Value.Clean(McpServerInput, value));
}

/** The widening each of the file's servers is (none when this machine has the same definition). */
export function reviewMcpServers(
  servers: readonly McpServerInput[],
  store: McpConfigStore,
): { name: string; existing: boolean; widened: WidenedPermission[] }[] {
  return servers.map((server) => {
    const existing = store.find(server.name);
    if (existing && canonical(existing) === canonical(server))
      return { name: server.name, existing: true, widened: [] };
    const secrets = [...server.env, ...server.headers].filter((item) => item.secret).map((item) => item.name);
    const widening: WidenedPermission = {
      id: `mcpServerDefinition:${server.name}`,
      kind: "mcpServerDefinition",
      server: server.name,
      launch: launchOf(server),
      secrets,
    };
    if (existing) widening.before = launchOf(existing);
    return { name: server.name, existing: existing !== undefined, widened: [widening] };
  });
}

/** Throws a `ValidationError` for a confirmed name the file does not define. */
export function checkAcceptedServers(servers: readonly McpServerInput[], accepted: readonly string[]): void {
  const stray = accepted.find((name) => !servers.some((server) => server.name === name));
  if (stray !== undefined) {
    throw new ValidationError(`The file has no MCP server named "${stray.slice(0, 80)}".`, "acceptServers");
  }
}

/**
 * Write the confirmed servers (synchronously: inside the import's transaction). The store's secret
 * cache must be loaded first (`McpConfigStore.loadSecrets`), so a secret already stored here counts.
 */
export function importMcpServers(
  servers: readonly McpServerInput[],
  store: McpConfigStore,
  accepted: readonly string[],
): McpImportResult {
  const result: McpImportResult = { created: [], updated: [], withheld: [], needSecrets: [] };
  for (const review of reviewMcpServers(servers, store)) {
    if (review.widened.length === 0) continue;
    if (!accepted.includes(review.name)) {
      result.withheld.push(review.name);
      continue;
    }
    const server = servers.find((candidate) => candidate.name === review.name);
    if (!server) continue;
    const { stored, missing } = store.putImported(withoutSecrets(server));
    (review.existing ? result.updated : result.created).push(stored.name);
    if (missing.length > 0) result.needSecrets.push({ server: stored.name, names: missing });
  }
  return result;
}

/**
 * The secret scan: a provider with a distinctive key and a secret environment variable are used for
 * real (a chat turn against the fake model, a shell tool that reads the variable, a failing turn),
 * then every output is searched for them — API responses, WebSocket events, the stored event log,
 * the database file, the log file, every exported file (settings, agent, session, diagnostics zip) and
 * every file in the data folder. Also proves user environment variables reach tool processes.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import type { Agent } from "../../src/shared/agent.ts";
import type { Provider } from "../../src/shared/provider.ts";
import { useBackend } from "../support/backend.ts";
import { configureAgent, openSession, runTurn, toolResults } from "../support/session-steps.ts";

const KEY = "sk-SCAN-9d41c7e2b8a0f6-distinctive";
const SECRET_VALUE = "env-secret-5be1d0a9c3-distinctive";
const PLAIN_VALUE = "plain-value-visible";

const outputs: { where: string; text: string }[] = [];

function record(where: string, text: string): string {
  outputs.push({ where, text });
  return text;
}

async function fetchText(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; text: string; bytes: Uint8Array }> {
  const response = await fetch(`${app().url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${app().token}`, ...(init.headers as Record<string, string>) },
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  record(`${init.method ?? "GET"} ${path}`, text);
  return { status: response.status, text, bytes };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: false })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile());
}

const app = useBackend({ apiKey: KEY });
beforeAll(async () => {
  const put = await fetchText("/api/settings/environment", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      variables: [
        { name: "SCAN_SECRET", secret: true, value: SECRET_VALUE },
        { name: "SCAN_PLAIN", secret: false, value: PLAIN_VALUE },
      ],
    }),
  });
  if (put.status !== 200) throw new Error(`PUT environment answered ${put.status}: ${put.text}`);
});

describe("keys and secret values are used but never shown", () => {
  test("a chat turn with a tool call uses the key, and tools see the user's variables", async () => {
    configureAgent(app(), { approvals: { shell: "allow" } });
    const subscribed = await openSession(app());
    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_env",
            name: "shell",
            arguments: {
              // The command names only the secret's hash, so the value itself never enters the chat.
              command: `printf "%s|" "$SCAN_PLAIN"; printf %s "$SCAN_SECRET" | sha256sum`,
            },
          },
        ],
      },
      { text: "Done." },
    );
    const ended = await runTurn(subscribed, "Check the environment.");
    expect(ended.status).toBe("completed");
    const lastModelRequest = app()
      .fake.requests.filter((r) => r.path === "/v1/chat/completions")
      .at(-1);
    expect(lastModelRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
    const result = toolResults(lastModelRequest)[0]?.content ?? "";
    expect(result).toContain(`${PLAIN_VALUE}|`);
    expect(result).toContain(new Bun.CryptoHasher("sha256").update(SECRET_VALUE).digest("hex"));

    // A failing turn (the provider answers 401) produces an error event and a log line.
    app().fake.enqueue({ error: { status: 401 } });
    const failed = await runTurn(subscribed, "Again.");
    expect(failed.status).toBe("error");

    record("websocket events", JSON.stringify(subscribed.socket.events));
    const exported = await fetchText(`/api/sessions/${subscribed.sessionId}/export?format=json`);
    expect(exported.status).toBe(200);
    await fetchText(`/api/sessions/${subscribed.sessionId}/export?format=md`);
    await fetchText(`/api/sessions/${subscribed.sessionId}/messages?limit=1000`);
    subscribed.socket.close();
  });

  test("a log call that carries the key is redacted (the key was registered when stored)", () => {
    const logger = app().running.backend.context.logger;
    logger.error(`provider said: invalid key ${KEY}`, new Error(`token ${SECRET_VALUE} rejected`));
    const log = readFileSync(join(app().dataDir, "logs", "sage.log"), "utf8");
    expect(log).toContain("provider said: invalid key [redacted]");
  });

  test("every API response, export and bundle", async () => {
    const { text: list } = await fetchText("/api/providers");
    const providers = (JSON.parse(list) as { providers: Provider[] }).providers;
    expect(providers[0]?.hasKey).toBe(true);
    await fetchText(`/api/providers/${providers[0]?.id}`);
    const env = await fetchText("/api/settings/environment");
    expect(env.text).toContain(PLAIN_VALUE);
    expect(JSON.parse(env.text).variables[0]).toEqual({ name: "SCAN_SECRET", secret: true, hasValue: true });
    await fetchText("/api/settings");
    await fetchText("/api/settings/paths");
    await fetchText("/api/setup/status");
    await fetchText("/api/health");
    const settingsExport = await fetchText("/api/settings/export");
    expect(JSON.parse(settingsExport.text).providers[0]).toMatchObject({ hadKey: true });
    const { text: agentsText } = await fetchText("/api/agents");
    const agent = (JSON.parse(agentsText) as { agents: Agent[] }).agents[0] as Agent;
    await fetchText(`/api/agents/${agent.id}/export?format=json`);
    await fetchText(`/api/agents/${agent.id}/export?format=yaml`);
    const wrongKey = await fetchText("/api/providers/test", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "openai-compatible", baseUrl: app().fake.url, apiKey: `${KEY}-wrong` }),
    });
    expect(JSON.parse(wrongKey.text).code).toBe("auth");
    const bundle = await fetchText("/api/settings/diagnostics");
    expect(bundle.status).toBe(200);
    const files = unzipSync(bundle.bytes);
    expect(Object.keys(files).sort()).toEqual([
      "README.txt",
      "logs/sage.log",
      "settings.json",
      "system.json",
    ]);
    for (const [name, data] of Object.entries(files)) record(`diagnostics:${name}`, strFromU8(data));
    expect(strFromU8(files["logs/sage.log"] as Uint8Array)).toContain("[redacted]");
    expect(strFromU8(files["settings.json"] as Uint8Array)).not.toContain(PLAIN_VALUE);
  });

  test("the stored event log, the database, the log file and every data file", async () => {
    const db = app().running.backend.context.db;
    const rows = db.query("SELECT data FROM events").all() as { data: string }[];
    expect(rows.length).toBeGreaterThan(5);
    record("events table", rows.map((row) => row.data).join("\n"));
    record("settings table", JSON.stringify(db.query("SELECT * FROM settings").all()));
    record("providers table", JSON.stringify(db.query("SELECT * FROM providers").all()));
    db.exec("PRAGMA wal_checkpoint(FULL)");
    for (const path of filesUnder(app().dataDir)) {
      const bytes = readFileSync(path);
      record(`file ${path.slice(app().dataDir.length)}`, bytes.toString("latin1"));
      record(`file ${path.slice(app().dataDir.length)} (utf8)`, bytes.toString("utf8"));
    }
    expect(outputs.some((output) => output.where.includes("logs/sage.log"))).toBe(true);
    expect(outputs.some((output) => output.where.includes("sage.db"))).toBe(true);
  });

  test("the scan: neither secret appears anywhere (in clear, base64 or URL-encoded)", () => {
    const forms = (secret: string) => [
      secret,
      Buffer.from(secret).toString("base64"),
      encodeURIComponent(secret),
    ];
    const leaks: string[] = [];
    for (const output of outputs) {
      for (const secret of [KEY, SECRET_VALUE]) {
        for (const form of forms(secret))
          if (output.text.includes(form)) leaks.push(`${output.where}: ${form}`);
      }
    }
    expect(outputs.length).toBeGreaterThan(25);
    expect(leaks).toEqual([]);
  });
});

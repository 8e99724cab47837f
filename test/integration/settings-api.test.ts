/**
 * /api/settings over real HTTP: settings with validation, environment variables (secret values kept
 * in the key store, never returned), portable settings moved to a second backend (round trip) and
 * corrupted imports refused without change, diagnostics contents, folder opening limited to Sage's
 * own folders, saving to Downloads.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { settingsRoutes } from "../../src/server/routes/settings.ts";
import type { Agent } from "../../src/shared/agent.ts";
import { DEFAULT_CREDENTIAL_FOLDERS } from "../../src/shared/credential-folders.ts";
import type { Provider } from "../../src/shared/provider.ts";
import type { EnvironmentVariableView, UserSettings } from "../../src/shared/settings.ts";
import { useBackend } from "../support/backend.ts";

const source = useBackend({ provider: false });
const target = useBackend({ provider: false });
const KEY = "sk-settings-test-key-aa11bb22";

describe("settings", () => {
  test("defaults, a valid patch, and an invalid one that changes nothing", async () => {
    expect((await source().api<UserSettings>("/api/settings")).body).toEqual({
      language: "system",
      theme: "system",
      browserMode: "auto",
      webFetchLocal: false,
      webSearchProvider: "none",
      webSearchUrl: "",
      setupSkipped: false,
      credentialFolders: [...DEFAULT_CREDENTIAL_FOLDERS],
      notifyTurnEnded: true,
      notifyTurnFailed: true,
      notifyNeedsInput: true,
      closeToTray: false,
      desktopEntryOffered: false,
    });
    const patched = await source().api<UserSettings>("/api/settings", {
      method: "PATCH",
      json: {
        language: "zh",
        theme: "dark",
      },
    });
    expect(patched.body).toMatchObject({ language: "zh", theme: "dark" });
    const bad = await source().api<{ error: { field: string } }>("/api/settings", {
      method: "PATCH",
      json: {
        theme: "light",
        language: "klingon",
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("language");
    expect((await source().api<UserSettings>("/api/settings")).body.theme).toBe("dark");
  });

  test("the browser mode is stored (AgentServices reads it through browserHeadedOf)", async () => {
    await source().api("/api/settings", { method: "PATCH", json: { browserMode: "headless" } });
    const { settings } = source().running.backend.context;
    expect(settings.value("browserMode")).toBe("headless");
  });
});

describe("environment variables", () => {
  test("secret values are stored in the key store and never returned", async () => {
    const saved = await source().api<{ variables: EnvironmentVariableView[] }>("/api/settings/environment", {
      method: "PUT",
      json: {
        variables: [
          { name: "GITHUB_TOKEN", secret: true, value: "ghp_secretvalue123456" },
          { name: "EDITOR", secret: false, value: "vim" },
        ],
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.text).not.toContain("ghp_secretvalue123456");
    expect(saved.body.variables).toEqual([
      { name: "GITHUB_TOKEN", secret: true, hasValue: true },
      { name: "EDITOR", secret: false, value: "vim", hasValue: true },
    ]);
    const { environment, db } = source().running.backend.context;
    expect(environment.values()).toEqual({ GITHUB_TOKEN: "ghp_secretvalue123456", EDITOR: "vim" });
    expect(JSON.stringify(db.query("SELECT * FROM settings").all())).not.toContain("ghp_secretvalue123456");
  });

  test("a secret sent without a value keeps its stored value; removing it deletes the value", async () => {
    await source().api("/api/settings/environment", {
      method: "PUT",
      json: {
        variables: [
          { name: "GITHUB_TOKEN", secret: true },
          { name: "EDITOR", secret: false, value: "nano" },
        ],
      },
    });
    const { environment, providers } = source().running.backend.context;
    expect(environment.values()).toEqual({ GITHUB_TOKEN: "ghp_secretvalue123456", EDITOR: "nano" });
    await source().api("/api/settings/environment", {
      method: "PUT",
      json: {
        variables: [{ name: "EDITOR", secret: false, value: "nano" }],
      },
    });
    expect(environment.values()).toEqual({ EDITOR: "nano" });
    expect(await providers.secrets.get("env:GITHUB_TOKEN")).toBeUndefined();
  });

  test("bad names and duplicates are refused with the field, nothing changes", async () => {
    const cases: [unknown, string][] = [
      [{ variables: [{ name: "1ABC", secret: false, value: "" }] }, "variables.0.name"],
      [{ variables: [{ name: "A-B", secret: false, value: "" }] }, "variables.0.name"],
      [{ variables: [{ name: "", secret: false, value: "" }] }, "variables.0.name"],
      [
        {
          variables: [
            { name: "X", secret: false, value: "1" },
            { name: "X", secret: false, value: "2" },
          ],
        },
        "variables.1.name",
      ],
      [{ variables: [{ name: "X", secret: "yes" }] }, "variables.0.secret"],
      [{ variables: [{ name: "X", secret: false, value: "v".repeat(40_000) }] }, "variables.0.value"],
      [{}, "variables"],
    ];
    for (const [body, field] of cases) {
      const result = await source().api<{ error: { field: string } }>("/api/settings/environment", {
        method: "PUT",
        json: body,
      });
      const status = field === "variables.1.name" ? 409 : 400;
      expect({ field: result.body.error?.field, status: result.status }).toEqual({ field, status });
    }
    expect(source().running.backend.context.environment.values()).toEqual({ EDITOR: "nano" });
  });
});

describe("portable settings", () => {
  test("export everything but secrets, import it on another machine", async () => {
    await source().api("/api/settings/environment", {
      method: "PUT",
      json: {
        variables: [
          { name: "EDITOR", secret: false, value: "nano" },
          { name: "API_TOKEN", secret: true, value: "tok-very-secret-value" },
        ],
      },
    });
    const provider = (
      await source().api<Provider>("/api/providers", {
        json: {
          name: "Remote",
          kind: "openai-compatible",
          baseUrl: "https://models.example.test/v1",
          apiKey: KEY,
          models: [{ id: "big", tools: true }, { id: "small" }],
          defaultModel: "big",
          fastModel: "small",
        },
      })
    ).body;
    await source().api<Agent>("/api/agents", {
      json: {
        name: "Helper",
        emoji: "🛠",
        providerId: provider.id,
        model: "small",
        tools: ["read_file"],
        approvals: { shell: "deny" },
      },
    });
    const exported = await source().api<Record<string, unknown>>("/api/settings/export");
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toContain("sage-settings-");
    expect(exported.text).not.toContain(KEY);
    expect(exported.text).not.toContain("tok-very-secret-value");
    expect(exported.body.format).toBe("sage.settings.v1");

    const imported = await target().api<{
      providers: { created: string[] };
      agents: { created: string[] };
      needKeys: string[];
      warnings: string[];
    }>("/api/settings/import", { json: { content: exported.text } });
    expect(imported.status).toBe(200);
    expect(imported.body.providers.created).toEqual(["Remote"]);
    expect(imported.body.agents.created).toEqual(["Helper"]);
    expect(imported.body.needKeys).toEqual(["Remote"]);

    const providers = (await target().api<{ providers: Provider[] }>("/api/providers")).body.providers;
    expect(providers[0]).toMatchObject({
      name: "Remote",
      hasKey: false,
      defaultModel: "big",
      fastModel: "small",
      isDefault: true,
    });
    expect(providers[0]?.models).toEqual([{ id: "big", tools: true }, { id: "small" }]);
    // The target, like every install, also has its own default agent; the import adds Helper beside it.
    const agents = (await target().api<{ agents: Agent[] }>("/api/agents")).body.agents;
    expect(agents.find((agent) => agent.config.name === "Helper")?.config).toMatchObject({
      name: "Helper",
      providerId: providers[0]?.id,
      model: "small",
      approvals: { shell: "deny" },
    });
    const env = (await target().api<{ variables: EnvironmentVariableView[] }>("/api/settings/environment"))
      .body.variables;
    expect(env).toEqual([
      { name: "EDITOR", secret: false, value: "nano", hasValue: true },
      { name: "API_TOKEN", secret: true, hasValue: false },
    ]);
    expect((await target().api<UserSettings>("/api/settings")).body).toMatchObject({
      language: "zh",
      theme: "dark",
    });

    const again = await target().api<{ providers: { updated: string[] }; agents: { updated: string[] } }>(
      "/api/settings/import",
      { json: { content: exported.text } },
    );
    expect(again.body.providers.updated).toEqual(["Remote"]);
    expect(again.body.agents.updated).toEqual(["Helper"]);
    expect((await target().api<{ agents: Agent[] }>("/api/agents")).body.agents).toHaveLength(agents.length);
  });

  test("web search, notifications and hidden folders travel; the search key and local addresses do not", async () => {
    const SEARCH_KEY = "brave-key-never-exported-9f8e7d";
    const patched = await source().api("/api/settings", {
      method: "PATCH",
      json: {
        webSearchProvider: "brave",
        webSearchUrl: "https://search-proxy.example.test/brave",
        notifyTurnEnded: false,
        webFetchLocal: true,
        credentialFolders: ["~/.ssh", "~/secret-notes"],
      },
    });
    expect(patched.status).toBe(200);
    expect(
      (
        await source().api("/api/settings/web-search/key", {
          method: "PUT",
          json: { provider: "brave", key: SEARCH_KEY },
        })
      ).status,
    ).toBe(200);
    await target().api("/api/settings", {
      method: "PATCH",
      json: { credentialFolders: ["~/.aws", "~/.ssh"] },
    });

    const exported = await source().api<{ settings: Record<string, unknown> }>("/api/settings/export");
    expect(exported.text).not.toContain(SEARCH_KEY);
    expect(exported.body.settings).not.toHaveProperty("webFetchLocal");
    const imported = await target().api<{ needKeys: string[] }>("/api/settings/import", {
      json: { content: exported.text },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.needKeys).toContain("Brave Search (web search)");
    const settings = (await target().api<UserSettings>("/api/settings")).body;
    expect(settings).toMatchObject({
      webSearchProvider: "brave",
      webSearchUrl: "https://search-proxy.example.test/brave",
      notifyTurnEnded: false,
      webFetchLocal: false,
    });
    // Hidden folders merge: the import adds ~/secret-notes and removes nothing the target hid.
    expect(settings.credentialFolders).toEqual(["~/.aws", "~/.ssh", "~/secret-notes"]);
  });

  test("a corrupted or invalid file is refused and changes nothing", async () => {
    const snapshot = async () =>
      JSON.stringify([
        (await target().api("/api/providers")).body,
        (await target().api("/api/agents")).body,
        (await target().api("/api/settings")).body,
        (await target().api("/api/settings/environment")).body,
      ]);
    const before = await snapshot();
    const good = JSON.parse((await source().api<string>("/api/settings/export")).text) as Record<
      string,
      unknown
    > & {
      providers: Record<string, unknown>[];
      agents: Record<string, unknown>[];
    };
    good.settings = { theme: "light" };
    const variants: [string, string][] = [
      ["", "empty"],
      ["{{{", "cannot be read"],
      [JSON.stringify({ ...good, format: "other" }), "Unsupported settings file format"],
      [
        JSON.stringify({ ...good, providers: [{ ...good.providers[0], baseUrl: "nope" }] }),
        "providers.0.baseUrl",
      ],
      [JSON.stringify({ ...good, providers: [good.providers[0], good.providers[0]] }), "providers.1.name"],
      [JSON.stringify({ ...good, agents: [{ ...good.agents[0], stepLimit: -3 }] }), "agents.0.stepLimit"],
      [JSON.stringify({ ...good, agents: [{ ...good.agents[0], name: "" }] }), "agents.0.name"],
      [
        JSON.stringify({ ...good, environment: [{ name: "9X", secret: false, value: "" }] }),
        "environment.variables.0.name",
      ],
      [JSON.stringify({ ...good, settings: { theme: "neon" } }), "settings.theme"],
      [JSON.stringify(good).slice(0, -20), "cannot be read"],
    ];
    for (const [content, expected] of variants) {
      const result = await target().api<{ error: { message: string } }>("/api/settings/import", {
        json: {
          content,
        },
      });
      expect({ expected, status: result.status }).toEqual({ expected, status: 400 });
      expect(result.body.error.message).toContain(expected);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe("diagnostics, folders, downloads", () => {
  test("the diagnostics zip holds system facts, settings without values, and the log tail", async () => {
    source().logger.info("a line for the diagnostics test");
    const response = await source().http("/api/settings/diagnostics");
    expect(response.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const system = JSON.parse(strFromU8(files["system.json"] as Uint8Array));
    expect(system).toMatchObject({
      mode: "serve",
      keyStorage: expect.stringMatching(/keychain|encrypted-file/),
    });
    const settings = strFromU8(files["settings.json"] as Uint8Array);
    expect(settings).toContain("EDITOR");
    expect(settings).not.toContain("nano");
    expect(strFromU8(files["logs/sage.log"] as Uint8Array)).toContain("a line for the diagnostics test");
  });

  test("open-folder opens only Sage's own folders", async () => {
    const opened: string[] = [];
    const downloads = mkdtempSync(join(tmpdir(), "sage-downloads-"));
    const routes = settingsRoutes(source().running.backend.context, {
      open: (path) => {
        opened.push(path);
        return true;
      },
      downloads: () => downloads,
    });
    const post = (path: string, body: unknown) =>
      routes.handle(
        new Request(`http://localhost/api/settings/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
    expect((await post("open-folder", { folder: "logs" })).status).toBe(200);
    expect(opened).toEqual([source().paths.logs]);
    expect((await post("open-folder", { folder: "/etc" })).status).toBe(422);
    expect(
      (await post("open-folder", { folder: "downloads", path: "/etc/passwd" })).status,
    ).toBeGreaterThanOrEqual(400);
    expect(opened).toHaveLength(1);

    const saved = (await (
      await post("save-download", { fileName: "../x/report.json", base64: btoa("{}") })
    ).json()) as {
      path: string;
    };
    expect(saved.path).toBe(join(downloads, "_x_report.json"));
    expect(readFileSync(saved.path, "utf8")).toBe("{}");
    const second = (await (
      await post("save-download", { fileName: "_x_report.json", base64: btoa("[]") })
    ).json()) as {
      path: string;
    };
    expect(second.path).toBe(join(downloads, "_x_report (2).json"));
    expect((await post("open-folder", { folder: "downloads", path: second.path })).status).toBe(200);
    expect(opened.at(-1)).toBe(downloads);
  });

  test("paths for About", async () => {
    const { body } = await source().api<Record<string, string>>("/api/settings/paths");
    expect(body).toMatchObject({
      data: source().paths.data,
      logs: source().paths.logs,
      database: source().paths.database,
    });
  });
});

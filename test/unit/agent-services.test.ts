/**
 * The app's per-agent tool services: headed/headless choice, one browser manager per agent with its
 * own profile folder, the web_fetch settings (private addresses refused unless the test override),
 * disposal; and the approval policy's always-ask set coming from the browser's.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AgentServices,
  browserHeadedFor,
  upstreamProxyFrom,
  WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS,
  webFetchServiceFrom,
} from "../../src/app/agent-services.ts";
import { ALWAYS_ASK_TOOLS } from "../../src/browser/types.ts";
import { Logger } from "../../src/core/logger.ts";
import { ALWAYS_ASK, decideRule } from "../../src/sandbox/approval-policy.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import { type Agent, DEFAULT_AGENT_CONFIG } from "../../src/shared/agent.ts";
import { BUILTIN_TOOLS } from "../../src/tools/registry.ts";

const base = mkdtempSync(join(tmpdir(), "sage-agent-services-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const logger = new Logger({ level: "error", console: false });
const workspace = createWorkspace(join(base, "workspace"));

function agent(id: string): Agent {
  return { id, isDefault: false, createdAt: 0, updatedAt: 0, config: DEFAULT_AGENT_CONFIG };
}

describe("browserHeadedFor", () => {
  test("headed in window and dev mode, headless in serve mode; a setting wins", () => {
    expect(browserHeadedFor("window", undefined)).toBe(true);
    expect(browserHeadedFor("dev", undefined)).toBe(true);
    expect(browserHeadedFor("serve", undefined)).toBe(false);
    expect(browserHeadedFor("window", false)).toBe(false);
    expect(browserHeadedFor("serve", true)).toBe(true);
  });
});

describe("webFetchServiceFrom", () => {
  test("private addresses are refused unless the test override is exactly 1", () => {
    expect(webFetchServiceFrom({})).toEqual({ allowPrivate: false });
    expect(webFetchServiceFrom({ [WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS]: "true" })).toEqual({
      allowPrivate: false,
    });
    expect(webFetchServiceFrom({ [WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS]: "1" })).toEqual({ allowPrivate: true });
  });
});

describe("AgentServices", () => {
  test("one manager per agent, reused; headless without a display even in window mode", async () => {
    const services = new AgentServices({
      profilesRoot: join(base, "profiles-1"),
      mode: "window",
      env: {},
      logger,
    });
    const first = services.forAgent(agent("agt_one"), workspace);
    const again = services.forAgent(agent("agt_one"), workspace);
    const other = services.forAgent(agent("agt_two"), workspace);
    expect(first.browser).toBe(again.browser);
    expect(first.browser).not.toBe(other.browser);
    expect(services.browser("agt_one").headless).toBe(true);
    expect(first.webFetch).toEqual({ allowPrivate: false });
    expect(services.runningBrowsers()).toEqual([]);
    await services.dispose();
    expect(() => services.forAgent(agent("agt_one"), workspace)).toThrow("shutting down");
  });

  test("headed with a display in window mode; a changed setting gives an idle agent a new manager", async () => {
    let setting: boolean | undefined;
    const services = new AgentServices({
      profilesRoot: join(base, "profiles-2"),
      mode: "window",
      env: { DISPLAY: ":99" },
      logger,
      browserHeaded: () => setting,
    });
    const headed = services.browser("agt_one");
    expect(headed.headless).toBe(false);
    expect(services.browser("agt_one")).toBe(headed);
    setting = false;
    const headless = services.browser("agt_one");
    expect(headless).not.toBe(headed);
    expect(headless.headless).toBe(true);
    await services.dispose();
  });

  test("SAGE_BROWSER names the browser; a bad path is reported when a tool first uses it", async () => {
    const services = new AgentServices({
      profilesRoot: join(base, "profiles-3"),
      mode: "serve",
      env: { SAGE_BROWSER: join(base, "no-such-browser") },
      logger,
    });
    const failure = await services
      .browser("agt_one")
      .use(async () => "ran")
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe("BrowserNotFoundError");
    expect((failure as Error).message).toContain("no-such-browser");
    await services.dispose();
  });
});

describe("approval policy", () => {
  test("the always-ask set is the browser's, and it overrides allow rules and remembered approvals", () => {
    expect([...ALWAYS_ASK]).toEqual([...ALWAYS_ASK_TOOLS]);
    const evaluate = BUILTIN_TOOLS.find((tool) => tool.name === "browser_evaluate");
    expect(evaluate).toBeDefined();
    if (!evaluate) return;
    expect(decideRule({ tool: evaluate, agentRule: "allow", remembered: true, sandboxed: true })).toBe("ask");
    expect(decideRule({ tool: evaluate, agentRule: "deny", remembered: true, sandboxed: true })).toBe("deny");
  });

  test("the registry holds web_fetch and the nine browser tools, each once", () => {
    const names = BUILTIN_TOOLS.map((tool) => tool.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((name) => name.startsWith("browser_"))).toHaveLength(9);
    expect(names).toContain("web_fetch");
  });
});

describe("upstreamProxyFrom", () => {
  test("an http:// proxy from the environment, with NO_PROXY; none, or another scheme, gives none", () => {
    expect(upstreamProxyFrom({ HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: "localhost,.corp" })).toEqual(
      {
        url: "http://proxy.corp:3128",
        noProxy: "localhost,.corp",
      },
    );
    expect(upstreamProxyFrom({ http_proxy: "http://p:8080" })).toEqual({ url: "http://p:8080" });
    expect(upstreamProxyFrom({ HTTPS_PROXY: "socks5://p:1080" })).toBeUndefined();
    expect(upstreamProxyFrom({})).toBeUndefined();
  });
});

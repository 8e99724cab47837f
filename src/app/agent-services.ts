/**
 * The app's per-agent tool services, handed to every tool run through `TurnSetupDeps.agentServices`:
 *
 * - `browser`: one `BrowserManager` per agent (src/browser/browser-manager.ts), created on the first
 *   run that asks for the agent's services, with the agent's own persistent profile under
 *   `paths.browserProfiles`. The browser process itself starts only when a browser tool runs.
 * - `webFetch`: the web_fetch settings (`WebFetchService`, src/tools/web-fetch.ts). Local and private
 *   addresses are refused, by web_fetch and by the browser's address gate (src/browser/address-gate.ts),
 *   unless the user's "local addresses" setting allows them (read for every request).
 *
 * Headed or headless: the `browserHeaded` setting when the user chose one; otherwise headed in window
 * and dev mode (the user can watch what the agent does) and headless in serve mode. Without a display
 * the browser is always headless. A changed setting applies to an agent's browser the next time it
 * starts (a running browser is left alone).
 *
 * Environment (read once, at construction, from the `env` given):
 * - `SAGE_BROWSER`: the Chromium-based browser to launch instead of searching the usual paths.
 * - `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`: the browser's address proxy chains to an `http://` proxy.
 * - `SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE=1`: FOR TESTS ONLY. Lets web_fetch and the browser reach loopback
 *   and private addresses, so tests can load pages from a server on 127.0.0.1. Never set it in normal use: it lets
 *   the model reach services on this machine and the local network.
 *
 * `dispose()` closes every browser (app shutdown); later calls to `forAgent` throw.
 */

import type { ToolServices, Workspace } from "../agent/tool-contract.ts";
import { BrowserManager, browserProfileDir, hasDisplay } from "../browser/browser-manager.ts";
import type { RunMode } from "../core/args.ts";
import type { Logger } from "../core/logger.ts";
import type { WebSearchService } from "../search/web-search.ts";
import type { Agent } from "../shared/agent.ts";
import type { WebFetchService } from "../tools/web-fetch.ts";

/** The test-only override that lets web_fetch reach private addresses (see the module comment). */
export const WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS = "SAGE_TEST_WEB_FETCH_ALLOW_PRIVATE";

export interface AgentServicesOptions {
  /** `paths.browserProfiles`: one profile folder per agent is made inside. */
  profilesRoot: string;
  mode: RunMode;
  env: Record<string, string | undefined>;
  logger: Logger;
  /** The user's "show the browser window" setting; `undefined` (or no getter) means default by mode. */
  browserHeaded?(): boolean | undefined;
  /** The user's "web_fetch and the browser may open local addresses" setting, read at each use. */
  webFetchLocal?(): boolean;
  /**
   * The web search service from the user's settings, read at each use: undefined when no provider is
   * chosen, an Error when the settings cannot work (web_search then reports it).
   */
  webSearch?(): WebSearchService | Error | undefined;
  /** Close an agent's browser after this long without use (default: the manager's 10 minutes). */
  browserIdleTimeoutMs?: number;
}

/** Whether browsers are shown: the setting when given, else headed except in serve mode. */
export function browserHeadedFor(mode: RunMode, setting: boolean | undefined): boolean {
  return setting ?? mode !== "serve";
}

/** The web_fetch settings from the environment (private addresses refused unless the test override). */
export function webFetchServiceFrom(env: Record<string, string | undefined>): WebFetchService {
  return env[WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS] === "1" ? { allowPrivate: true } : { allowPrivate: false };
}

/**
 * The proxy the browser's connections go through (its address proxy chains to it), from HTTPS_PROXY /
 * HTTP_PROXY (either case) and NO_PROXY; only `http://` proxies can be chained.
 */
export function upstreamProxyFrom(
  env: Record<string, string | undefined>,
): { url: string; noProxy?: string } | undefined {
  const url = [env.HTTPS_PROXY, env.https_proxy, env.HTTP_PROXY, env.http_proxy]
    .map((value) => value?.trim())
    .find((value) => value?.startsWith("http://"));
  if (!url) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy)?.trim();
  return noProxy ? { url, noProxy } : { url };
}

export class AgentServices {
  readonly #options: AgentServicesOptions;
  readonly #browsers = new Map<string, BrowserManager>();
  readonly #webFetch: WebFetchService;
  readonly #displayAvailable: boolean;
  readonly #executablePath: string | undefined;
  readonly #upstreamProxy: { url: string; noProxy?: string } | undefined;
  #disposed = false;

  constructor(options: AgentServicesOptions) {
    this.#options = options;
    this.#webFetch = webFetchServiceFrom(options.env);
    this.#displayAvailable = hasDisplay(options.env);
    this.#executablePath = options.env.SAGE_BROWSER?.trim() || undefined;
    this.#upstreamProxy = upstreamProxyFrom(options.env);
    if (this.#webFetch.allowPrivate) {
      options.logger.warn(
        `${WEB_FETCH_ALLOW_PRIVATE_FOR_TESTS}=1: web_fetch and the browser may reach private and loopback addresses (tests only)`,
      );
    }
  }

  /** Whether web_fetch and the browser may reach local addresses now (the setting, or the test override). */
  localAddressesAllowed(): boolean {
    return this.#webFetch.allowPrivate === true || this.#options.webFetchLocal?.() === true;
  }

  /** The services of one agent's tool runs (the `TurnSetupDeps.agentServices` hook). */
  forAgent(agent: Agent, _workspace: Workspace): ToolServices {
    const webFetch = this.localAddressesAllowed()
      ? { ...this.#webFetch, allowPrivate: true }
      : this.#webFetch;
    const webSearch = this.#options.webSearch?.();
    return { browser: this.browser(agent.id), webFetch, ...(webSearch ? { webSearch } : {}) };
  }

  /** The agent's browser manager (created on first call; replaced when the headed setting changed). */
  browser(agentId: string): BrowserManager {
    if (this.#disposed) throw new Error("The app is shutting down: no browser can be started.");
    const headed = browserHeadedFor(this.#options.mode, this.#options.browserHeaded?.());
    const existing = this.#browsers.get(agentId);
    if (existing && (existing.running || existing.headless === !(headed && this.#displayAvailable)))
      return existing;
    if (existing) void existing.dispose();
    const manager = new BrowserManager({
      profileDir: browserProfileDir(this.#options.profilesRoot, agentId),
      executablePath: this.#executablePath,
      headed,
      displayAvailable: this.#displayAvailable,
      idleTimeoutMs: this.#options.browserIdleTimeoutMs,
      addressPolicy: () => ({ allowPrivate: this.localAddressesAllowed() }),
      upstreamProxy: this.#upstreamProxy,
    });
    this.#browsers.set(agentId, manager);
    return manager;
  }

  /** Agents whose browser is open right now (diagnostics, tests). */
  runningBrowsers(): string[] {
    return [...this.#browsers].filter(([, manager]) => manager.running).map(([agentId]) => agentId);
  }

  /** Close every agent's browser for good (app shutdown). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const managers = [...this.#browsers.values()];
    this.#browsers.clear();
    await Promise.all(
      managers.map((manager) =>
        manager.dispose().catch((error) => this.#options.logger.warn("closing a browser failed", error)),
      ),
    );
  }
}

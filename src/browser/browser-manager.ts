/**
 * One browser per agent: `playwright-core` driving a Chromium or Chrome found on the machine, with a
 * persistent profile (cookies, logins) in the agent's folder of the data dir.
 *
 * - Launched on first `use`, not before. Concurrent first calls share one launch.
 * - Headed when the caller asks for it and a display exists; headless otherwise.
 * - Closed after `idleTimeoutMs` without any action (default 10 minutes, 0 = never); the next `use`
 *   launches it again. Closing the window by hand has the same effect.
 * - `--no-sandbox` only when running as root (Chromium refuses to start as root with its sandbox).
 * - Every request passes the local-address gate (address-gate.ts) with `addressPolicy` (default:
 *   local and private addresses refused): Playwright routing for friendly refusals, and the manager's
 *   own proxy (address-proxy.ts, started with the first launch, ended by `dispose`) through which
 *   Chromium makes every connection.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import type { AddressPolicy } from "../net/address-guard.ts";
import { AddressGate, type AddressVerdict, installAddressGate } from "./address-gate.ts";
import { AddressProxy } from "./address-proxy.ts";
import { findBrowser } from "./find-browser.ts";
import { TabRegistry } from "./tab-registry.ts";
import {
  BrowserDisposedError,
  BrowserLaunchError,
  type BrowserService,
  type BrowserSession,
} from "./types.ts";

export const defaultBrowserIdleTimeoutMs = 10 * 60_000;
export const defaultBrowserActionTimeoutMs = 10_000;
export const defaultBrowserNavigationTimeoutMs = 30_000;
const launchTimeoutMs = 60_000;

export interface BrowserManagerOptions {
  /** The agent's profile folder (created when missing). See `browserProfileDir`. */
  profileDir: string;
  /** An explicit executable (SAGE_BROWSER or a setting). Without it the usual paths are searched. */
  executablePath?: string;
  /** Paths searched when `executablePath` is absent (tests); see find-browser.ts. */
  candidates?: readonly string[];
  /** Show the browser window so the user can watch. Ignored without a display. */
  headed: boolean;
  /** Whether a display exists (see `hasDisplay`); when false the browser is always headless. */
  displayAvailable: boolean;
  idleTimeoutMs?: number;
  /** Default: whether this process runs as root. */
  runningAsRoot?: boolean;
  actionTimeoutMs?: number;
  navigationTimeoutMs?: number;
  /**
   * The local-address policy, read for every request (the "local addresses" setting). Default:
   * loopback, private and other local addresses refused.
   */
  addressPolicy?: () => AddressPolicy;
  /** Extra Chromium switches (tests). */
  extraArgs?: readonly string[];
  /** An `http://` proxy the browser's connections go through (HTTPS_PROXY / HTTP_PROXY), and NO_PROXY. */
  upstreamProxy?: { url: string; noProxy?: string };
}

/** Whether a graphical session is reachable, from an environment such as `process.env`. */
export function hasDisplay(env: Record<string, string | undefined>): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** The profile folder of one agent under the data dir's browser-profiles folder. */
export function browserProfileDir(profilesRoot: string, agentId: string): string {
  const safe = agentId.replace(/[^A-Za-z0-9_-]/g, "_");
  if (safe === "" || /^_+$/.test(safe))
    throw new Error(`Unusable agent id for a browser profile: ${agentId}`);
  return join(profilesRoot, safe);
}

interface RunningBrowser {
  context: BrowserContext;
  tabs: TabRegistry;
}

export class BrowserManager implements BrowserService {
  readonly #options: BrowserManagerOptions;
  #running: RunningBrowser | null = null;
  #launching: Promise<RunningBrowser> | null = null;
  #activeActions = 0;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #disposed = false;
  #tabCounter = 0;
  #launchCount = 0;
  readonly #gate: AddressGate;
  #proxy: Promise<AddressProxy> | null = null;

  constructor(options: BrowserManagerOptions) {
    this.#options = options;
    this.#gate = new AddressGate(options.addressPolicy ?? (() => ({})));
  }

  checkAddress(url: string): Promise<AddressVerdict> {
    return this.#gate.check(url);
  }

  get running(): boolean {
    return this.#running !== null;
  }

  /** How many times a browser was started (for tests and diagnostics). */
  get launchCount(): number {
    return this.#launchCount;
  }

  /** Whether the browser is (or would be) shown in a window. */
  get headless(): boolean {
    return !(this.#options.headed && this.#options.displayAvailable);
  }

  async use<T>(action: (session: BrowserSession) => Promise<T>): Promise<T> {
    if (this.#disposed) throw new BrowserDisposedError();
    this.#activeActions += 1;
    this.#cancelIdleTimer();
    try {
      const browser = await this.#ensureRunning();
      await browser.tabs.ensureTab();
      return await action(browser.tabs);
    } finally {
      this.#activeActions -= 1;
      this.#scheduleIdleClose();
    }
  }

  async peek<T>(action: (session: BrowserSession) => Promise<T>): Promise<T | undefined> {
    const running = this.#running;
    if (this.#disposed || !running) return undefined;
    this.#activeActions += 1;
    this.#cancelIdleTimer();
    try {
      return await action(running.tabs);
    } finally {
      this.#activeActions -= 1;
      this.#scheduleIdleClose();
    }
  }

  async close(): Promise<void> {
    this.#cancelIdleTimer();
    const launching = this.#launching;
    if (launching) await launching.catch(() => undefined);
    const running = this.#running;
    this.#running = null;
    if (running) await running.context.close().catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.close();
    const proxy = this.#proxy;
    this.#proxy = null;
    if (proxy) await (await proxy.catch(() => null))?.close();
  }

  /** The address proxy, started once and kept across relaunches. */
  #addressProxy(): Promise<AddressProxy> {
    this.#proxy ??= AddressProxy.start({
      policy: this.#gate.proxyPolicy(),
      upstream: this.#options.upstreamProxy?.url,
      noProxy: this.#options.upstreamProxy?.noProxy,
    });
    return this.#proxy;
  }

  #ensureRunning(): Promise<RunningBrowser> {
    if (this.#running) return Promise.resolve(this.#running);
    if (!this.#launching) {
      this.#launching = this.#launch().finally(() => {
        this.#launching = null;
      });
    }
    return this.#launching;
  }

  async #launch(): Promise<RunningBrowser> {
    const executablePath = findBrowser({
      override: this.#options.executablePath,
      candidates: this.#options.candidates,
    });
    mkdirSync(this.#options.profileDir, { recursive: true, mode: 0o700 });
    const runningAsRoot = this.#options.runningAsRoot ?? process.getuid?.() === 0;
    const headless = this.headless;
    const args = [
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ];
    if (runningAsRoot) args.push("--no-sandbox");
    let proxy: AddressProxy;
    try {
      proxy = await this.#addressProxy();
    } catch (error) {
      this.#proxy = null;
      throw new BrowserLaunchError(`Could not start the browser's address proxy: ${firstLines(error)}`);
    }
    args.push(
      // Every connection through the address proxy; "<-loopback>" removes Chromium's implicit
      // exception for localhost, so 127.0.0.1 is checked too.
      `--proxy-server=${proxy.url}`,
      "--proxy-bypass-list=<-loopback>",
      // WebRTC may not send UDP around the proxy (to addresses on the local network).
      "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    );
    args.push(...(this.#options.extraArgs ?? []));
    let context: BrowserContext;
    try {
      // playwright-core (tens of MB) is loaded on the first launch, never at app start.
      const { chromium } = await import("playwright-core");
      context = await chromium.launchPersistentContext(this.#options.profileDir, {
        executablePath,
        headless,
        args,
        timeout: launchTimeoutMs,
        // Headed: the page follows the window size; headless: a common laptop viewport.
        viewport: headless ? { width: 1280, height: 800 } : null,
      });
    } catch (error) {
      throw new BrowserLaunchError(
        `Could not start the browser (${executablePath}): ${firstLines(error)}. If another Chromium is using the profile ${this.#options.profileDir}, close it and try again.`,
      );
    }
    try {
      await installAddressGate(context, this.#gate);
    } catch (error) {
      await context.close().catch(() => undefined);
      throw new BrowserLaunchError(`Could not set up the browser's address checks: ${firstLines(error)}`);
    }
    context.setDefaultTimeout(this.#options.actionTimeoutMs ?? defaultBrowserActionTimeoutMs);
    context.setDefaultNavigationTimeout(
      this.#options.navigationTimeoutMs ?? defaultBrowserNavigationTimeoutMs,
    );
    const running: RunningBrowser = {
      context,
      tabs: new TabRegistry(
        context,
        () => {
          this.#tabCounter += 1;
          return `t${this.#tabCounter}`;
        },
        this.#gate,
      ),
    };
    context.on("close", () => {
      if (this.#running === running) this.#running = null;
    });
    this.#launchCount += 1;
    if (this.#disposed) {
      await context.close().catch(() => undefined);
      throw new BrowserDisposedError();
    }
    this.#running = running;
    return running;
  }

  #cancelIdleTimer(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  #scheduleIdleClose(): void {
    const idleTimeoutMs = this.#options.idleTimeoutMs ?? defaultBrowserIdleTimeoutMs;
    if (idleTimeoutMs <= 0 || this.#activeActions > 0 || this.#running === null) return;
    this.#cancelIdleTimer();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#activeActions === 0) void this.close();
    }, idleTimeoutMs);
    this.#idleTimer.unref?.();
  }
}

function firstLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("="))
    .slice(0, 3)
    .join(" ")
    .slice(0, 500);
}

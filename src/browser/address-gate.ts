/**
 * The agent's browser and local addresses: the same policy as `web_fetch` (src/net/address-guard.ts),
 * applied to every request the browser makes.
 * Two layers, one policy:
 *
 * - `installAddressGate` routes the HTTP(S) requests of the browser context — navigations the agent
 *   asks for, navigations a page starts (links, `location = ...`, forms, popups), frames and
 *   subresources (`fetch`, images, scripts) — through `AddressGate.check`. Playwright does not route
 *   redirect hops, WebSockets or requests a service worker answers, hence:
 * - the browser's proxy (address-proxy.ts, `proxyPolicy`), through which Chromium makes every
 *   connection, redirect hops and WebSockets included, to addresses it resolved and checked itself.
 *
 * A request whose host is, or resolves to, a loopback, private, link-local or other local address is
 * refused unless the policy allows private addresses (the Settings switch): a navigation gets a static
 * "Refused by Sage" page (HTTP 403) instead, a subresource is aborted (`blockedbyclient`), a tunnel
 * (HTTPS, WebSocket) is answered 403. Each refusal is logged so the tools can tell the model what was
 * refused and why. A name that cannot be resolved is refused as such, never let through.
 *
 * Chromium never resolves names itself (everything is proxied), so a DNS-rebinding name cannot answer
 * one address to the check and another to the connection.
 */
import type { BrowserContext, Request, Route } from "playwright-core";
import {
  type AddressPolicy,
  BlockedAddressError,
  HostResolutionError,
  type Locality,
  localityOf,
  resolveAllowedAddresses,
} from "../net/address-guard.ts";
import type { ProxyPolicy } from "./address-proxy.ts";

export type { Locality };

export interface AddressRefusal {
  /** Order of refusal (for `since`). */
  seq: number;
  url: string;
  host: string;
  locality: Locality;
  /** Why the address is local, e.g. "loopback" or "private (192.168.0.0/16)". */
  reason: string;
  /**
   * A tab's own navigation (the agent's, a link, a script, a redirect hop), not a frame inside the
   * page, a subresource or a WebSocket.
   */
  navigation: boolean;
}

export type AddressVerdict =
  | { allowed: true; locality?: Locality }
  | { allowed: false; locality: Locality; reason: string; host: string }
  | { allowed: false; unresolved: string };

/** Resolutions are reused this long (one page loads many resources from few hosts). */
const verdictCacheMs = 5_000;
/** At most this many refusals are kept. */
const refusalLogSize = 200;

/** The one-line explanation the model and the user read for a refused address. */
export function refusalMessage(url: string, verdict: { locality: Locality; reason: string }): string {
  const where = verdict.locality === "this-computer" ? "on this computer" : "on the local network";
  return `${url} is ${where} (${verdict.reason}). The browser does not open addresses on this computer or the local network unless the user allows it in Settings → General.`;
}

export class AddressGate {
  readonly #policy: () => AddressPolicy;
  readonly #cache = new Map<string, { at: number; verdict: AddressVerdict }>();
  readonly #refusals: AddressRefusal[] = [];
  #seq = 0;

  /** `policy` is read for every request, so a changed setting applies at once. */
  constructor(policy: () => AddressPolicy) {
    this.#policy = policy;
  }

  policy(): AddressPolicy {
    return this.#policy();
  }

  /**
   * Whether the browser may load `url` now. Non-HTTP(S) URLs (about:, data:, blob:) are allowed: they
   * reach no host. With local addresses allowed, the verdict still says where a local one is.
   */
  async check(url: string): Promise<AddressVerdict> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { allowed: true };
    }
    if (!/^(https?|wss?):$/.test(parsed.protocol)) return { allowed: true };
    const policy = this.#policy();
    const host = parsed.hostname;
    const key = `${policy.allowPrivate === true}\u0000${host}`;
    const cached = this.#cache.get(key);
    if (cached && Date.now() - cached.at < verdictCacheMs) return cached.verdict;
    const verdict = await this.#decide(host, policy);
    this.#cache.set(key, { at: Date.now(), verdict });
    if (this.#cache.size > 500) this.#cache.delete(this.#cache.keys().next().value as string);
    return verdict;
  }

  async #decide(host: string, policy: AddressPolicy): Promise<AddressVerdict> {
    try {
      await resolveAllowedAddresses(host, { ...policy, allowPrivate: false });
      return { allowed: true };
    } catch (error) {
      if (error instanceof BlockedAddressError) {
        const locality = localityOf(error.reason);
        if (policy.allowPrivate === true) return { allowed: true, locality };
        return { allowed: false, locality, reason: error.reason, host };
      }
      if (error instanceof HostResolutionError) {
        return policy.allowPrivate === true
          ? { allowed: true }
          : { allowed: false, unresolved: error.message };
      }
      throw error;
    }
  }

  /** A marker for `since`. */
  mark(): number {
    return this.#seq;
  }

  /** Refusals after `mark`, oldest first. */
  since(mark: number): AddressRefusal[] {
    return this.#refusals.filter((refusal) => refusal.seq > mark);
  }

  /** The policy as the browser's proxy applies it to every connection (address-proxy.ts). */
  proxyPolicy(): ProxyPolicy {
    return {
      addresses: (host) => resolveAllowedAddresses(host, this.#policy()),
      refused: (entry) => this.record(entry),
      refusalPage: (url, verdict) => refusalPageHtml(url, verdict),
    };
  }

  record(refusal: Omit<AddressRefusal, "seq">): void {
    this.#seq += 1;
    this.#refusals.push({ ...refusal, seq: this.#seq });
    if (this.#refusals.length > refusalLogSize) this.#refusals.shift();
  }
}

/** The page shown instead of a refused navigation: static text, no script, nothing from the address. */
export function refusalPageHtml(url: string, verdict: { locality: Locality; reason: string }): string {
  const escapeHtml = (text: string) =>
    text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
  return `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>Refused by Sage</title><h1>Refused by Sage</h1><p>${escapeHtml(refusalMessage(url, verdict))}</p>`;
}

function refusalPage(url: string, verdict: { locality: Locality; reason: string }) {
  return {
    status: 403,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'",
      "cache-control": "no-store",
    },
    body: refusalPageHtml(url, verdict),
  };
}

/** Whether `request` loads a document into a frame, and whether that frame is the tab's main frame. */
function navigationOf(request: Request): { frame: boolean; tab: boolean } {
  try {
    if (!request.isNavigationRequest()) return { frame: false, tab: false };
    return { frame: true, tab: request.frame().parentFrame() === null };
  } catch {
    return { frame: false, tab: false };
  }
}

/** Route every request and WebSocket of `context` through `gate`. Call before any page loads. */
export async function installAddressGate(context: BrowserContext, gate: AddressGate): Promise<void> {
  await context.route("**/*", async (route: Route) => {
    const request = route.request();
    const url = request.url();
    let verdict: AddressVerdict;
    try {
      verdict = await gate.check(url);
    } catch {
      verdict = { allowed: false, unresolved: "the address could not be checked" };
    }
    try {
      if (verdict.allowed) {
        await route.continue();
      } else if ("unresolved" in verdict) {
        await route.abort("namenotresolved");
      } else {
        const navigation = navigationOf(request);
        gate.record({ url, ...verdict, navigation: navigation.tab });
        // A navigation gets a page that says why (an aborted one would leave Chromium's error page
        // committing late, racing the next navigation); anything else is simply blocked.
        if (navigation.frame) await route.fulfill(refusalPage(url, verdict));
        else await route.abort("blockedbyclient");
      }
    } catch {
      // The page or the request went away meanwhile: nothing left to decide.
    }
  });
}

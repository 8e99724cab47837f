/**
 * An HTTP GET that only reaches addresses the `AddressPolicy` allows, following redirects by hand so
 * every hop is checked the same way.
 *
 * DNS rebinding: each hop resolves its host once, checks every address, then connects to the checked
 * IP itself (the URL's host replaced by the address) while sending the original `Host` header and, for
 * https, the original name as TLS SNI and as the name the certificate must match (Bun's
 * `tls.serverName`). A second lookup that could answer differently never happens. When an HTTP(S)
 * proxy is configured in the environment, the proxy is asked to connect to that same checked IP.
 */
import { isIP } from "node:net";
import { type AddressPolicy, resolveAllowedAddresses } from "./address-guard.ts";

export const defaultMaximumRedirects = 5;
/** At most this many resolved addresses are tried in turn when connecting fails. */
const maximumAddressAttempts = 4;

/** The URL or a redirect was refused before connecting (scheme, loop, too many hops, bad Location). */
export class FetchRefusedError extends Error {
  override readonly name = "FetchRefusedError";
}

/** Every address of a host failed to connect (refused, unreachable, TLS failure ...). */
export class FetchConnectionError extends Error {
  override readonly name = "FetchConnectionError";
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`Could not connect to ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}

export interface GuardedFetchOptions extends AddressPolicy {
  /** Aborts the whole exchange (connect, redirects, and the body of the returned response). */
  signal: AbortSignal;
  maximumRedirects?: number;
  headers?: Record<string, string>;
  /** "GET" by default. A POST is never redirected: give `maximumRedirects: 0` (a redirect is then refused). */
  method?: "GET" | "POST";
  /** The request body (POST). */
  body?: string;
}

export interface GuardedResponse {
  /** The final (non-redirect) response; its body is unread. */
  response: Response;
  /** The URL that gave `response`, with the original host name (not the IP connected to). */
  finalUrl: string;
  /** Every URL redirected to, in order (empty when there was no redirect). */
  redirects: string[];
  /** The IP address the final response came from. */
  address: string;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/** Parse and check a URL given by the model: http or https only, no other schemes. */
export function parseWebUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new FetchRefusedError(`Not a valid URL: ${text}. Give a full http:// or https:// address.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchRefusedError(
      `Only http and https URLs can be fetched, not ${url.protocol.replace(/:$/, "")}.`,
    );
  }
  url.hash = "";
  return url;
}

export async function guardedFetch(url: URL, options: GuardedFetchOptions): Promise<GuardedResponse> {
  const maximumRedirects = options.maximumRedirects ?? defaultMaximumRedirects;
  const redirects: string[] = [];
  const visited = new Set([url.href]);
  let current = url;
  for (;;) {
    const { response, address } = await fetchHop(current, options);
    const location = response.headers.get("location");
    if (!redirectStatuses.has(response.status) || location === null) {
      return { response, finalUrl: current.href, redirects, address };
    }
    await response.body?.cancel().catch(() => undefined);
    let next: URL;
    try {
      next = parseWebUrl(new URL(location, current).href);
    } catch (error) {
      throw new FetchRefusedError(
        `${current.href} redirected to "${location}", which was refused: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (visited.has(next.href)) {
      throw new FetchRefusedError(`Redirect loop: ${[url.href, ...redirects, next.href].join(" -> ")}`);
    }
    if (redirects.length >= maximumRedirects) {
      throw new FetchRefusedError(
        `Too many redirects (more than ${maximumRedirects}): ${[url.href, ...redirects, next.href].join(" -> ")}`,
      );
    }
    redirects.push(next.href);
    visited.add(next.href);
    current = next;
  }
}

/** One request, to an address that passed the policy. */
async function fetchHop(
  url: URL,
  options: GuardedFetchOptions,
): Promise<{ response: Response; address: string }> {
  const addresses = await resolveAllowedAddresses(url.hostname, options, options.signal);
  const byName = isIP(url.hostname.replace(/^\[|\]$/g, "")) === 0;
  let lastError: unknown = new Error("no address to connect to");
  for (const address of addresses.slice(0, maximumAddressAttempts)) {
    const target = new URL(url.href);
    const bare = address.replace(/%.*$/, "");
    target.hostname = bare.includes(":") ? `[${bare}]` : bare;
    const init: BunFetchRequestInit = {
      method: options.method ?? "GET",
      body: options.body,
      redirect: "manual",
      signal: options.signal,
      headers: { ...options.headers, Host: url.host },
    };
    if (byName && url.protocol === "https:") init.tls = { serverName: url.hostname };
    try {
      return { response: await fetch(target, init), address: bare };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      lastError = error;
    }
  }
  throw new FetchConnectionError(url.href, lastError);
}

/**
 * One web search: the configured provider asked through the guarded fetch (the same address policy as
 * web_fetch; the configured endpoint's host is exempt from the local-address check because the user named
 * it in Settings, and any redirect is refused), its JSON read (at most 2 MB) and turned into results.
 * Every failure is a `WebSearchError` whose message says what went wrong and what to do about it.
 */
import type { AddressPolicy } from "../net/address-guard.ts";
import { FetchRefusedError, guardedFetch } from "../net/guarded-fetch.ts";
import { readBodyCapped } from "../net/read-body.ts";
import type { WebSearchProviderId } from "../shared/settings.ts";
import { SEARCH_PROVIDERS, type SearchProvider, type SearchResult } from "./providers.ts";

export const WEB_SEARCH_MAX_BYTES = 2 * 1024 * 1024;
export const WEB_SEARCH_TIMEOUT_MS = 20_000;

/** What `web_search` needs, as `ctx.services.webSearch`. */
export interface WebSearchService {
  provider: SearchProvider;
  endpoint: URL;
  /** The provider's API key from the keychain (undefined when none is stored). */
  key(): Promise<string | undefined>;
}

export class WebSearchError extends Error {
  override readonly name = "WebSearchError";
}

/** Settings -> service; a `WebSearchError` when the settings cannot work (no URL for SearXNG, bad URL). */
export function webSearchServiceFor(
  providerId: WebSearchProviderId,
  url: string,
  key: () => Promise<string | undefined>,
): WebSearchService | undefined {
  if (providerId === "none") return undefined;
  const provider = SEARCH_PROVIDERS[providerId];
  const address = url.trim() || provider.defaultEndpoint;
  if (!address) {
    throw new WebSearchError(
      `${provider.label} needs its address: set it in Settings → General → Web search.`,
    );
  }
  let endpoint: URL;
  try {
    endpoint = new URL(address);
  } catch {
    throw new WebSearchError(`The web search address "${address}" is not a valid URL.`);
  }
  if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
    throw new WebSearchError(
      `The web search address must start with http:// or https://, not ${endpoint.protocol}`,
    );
  }
  return { provider, endpoint, key };
}

function hint(provider: SearchProvider, status: number): string {
  if (status === 401 || (status === 403 && provider.needsKey)) {
    return `the ${provider.label} API key was refused; check it in Settings → General → Web search`;
  }
  if (status === 403 && provider.id === "searxng") {
    return "this SearXNG instance does not answer in JSON; add `json` to `search.formats` in its settings.yml";
  }
  if (status === 429)
    return `${provider.label} says too many requests (rate limit or quota); try again later`;
  if (status >= 500) return `${provider.label} had a server error; try again later`;
  return "the request was not accepted";
}

export async function searchTheWeb(
  service: WebSearchService,
  query: string,
  count: number,
  policy: AddressPolicy,
  signal: AbortSignal,
): Promise<SearchResult[]> {
  const { provider, endpoint } = service;
  const key = provider.needsKey ? await service.key() : undefined;
  if (provider.needsKey && !key) {
    throw new WebSearchError(
      `No ${provider.label} API key is stored: add one in Settings → General → Web search.`,
    );
  }
  const request = provider.request(query, count, endpoint, key);
  let response: Response;
  try {
    ({ response } = await guardedFetch(request.url, {
      ...policy,
      allowedHosts: [...(policy.allowedHosts ?? []), endpoint.hostname.replace(/^\[|\]$/g, "")],
      signal,
      method: request.method,
      body: request.body,
      headers: { "User-Agent": "Sage local agent (web_search)", ...request.headers },
      maximumRedirects: 0,
    }));
  } catch (error) {
    if (error instanceof FetchRefusedError && /redirect/i.test(error.message)) {
      throw new WebSearchError(
        `${provider.label} at ${endpoint.href} answered with a redirect, which web search does not follow; put the final address in Settings → General → Web search.`,
      );
    }
    throw error;
  }
  const { bytes, truncated } = await readBodyCapped(response, WEB_SEARCH_MAX_BYTES, signal);
  const body = new TextDecoder().decode(bytes);
  if (!response.ok) {
    const detail = body.replace(/\s+/g, " ").trim().slice(0, 300);
    throw new WebSearchError(
      `${provider.label} answered HTTP ${response.status}: ${hint(provider, response.status)}.${detail ? ` Its answer: ${detail}` : ""}`,
    );
  }
  if (truncated) throw new WebSearchError(`${provider.label}'s answer is larger than 2 MB; it was not read.`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new WebSearchError(
      `${provider.label} answered with something that is not JSON (starts with "${body.slice(0, 80)}"); check the address in Settings.`,
    );
  }
  try {
    return provider.parse(json).slice(0, count);
  } catch (error) {
    throw new WebSearchError(
      `${(error as Error).message}; is ${endpoint.href} really a ${provider.label} API?`,
    );
  }
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** The configured search provider, or the error that says why it cannot be used. */
    webSearch?: WebSearchService | Error;
  }
}

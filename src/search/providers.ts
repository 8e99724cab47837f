/**
 * Web search providers: how each one is asked (URL, method, headers, body) and how its answer is read
 * into `SearchResult`s. Pure: no network here (see web-search.ts for the request itself).
 *
 * Wire formats (as the services document them):
 * - SearXNG: `GET <instance>/search?q=...&format=json` -> `{ results: [{ url, title, content }] }`; no key.
 *   The instance must allow the json format (`search.formats` in its settings.yml) or it answers 403.
 * - Brave Search API: `GET /res/v1/web/search?q=...&count=N`, header `X-Subscription-Token` ->
 *   `{ type: "search", web: { results: [{ title, url, description }] } }` (`web` absent when nothing matched).
 * - Tavily: `POST /search` with JSON `{ query, max_results }`, header `Authorization: Bearer <key>` ->
 *   `{ results: [{ title, url, content }] }`.
 * - Serper: `POST /search` with JSON `{ q, num }`, header `X-API-KEY` -> `{ organic: [{ title, link, snippet }] }`.
 */
import type { WebSearchProviderId } from "../shared/settings.ts";

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchRequest {
  url: URL;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
}

export interface SearchProvider {
  id: Exclude<WebSearchProviderId, "none">;
  label: string;
  /** True when an API key is needed (kept in the keychain, never in settings). */
  needsKey: boolean;
  /** The API's address; SearXNG has none (the user's instance URL is required). */
  defaultEndpoint?: string;
  request(query: string, count: number, endpoint: URL, key: string | undefined): SearchRequest;
  /** Read the parsed JSON answer; throws `SearchFormatError` when it does not have the expected shape. */
  parse(json: unknown): SearchResult[];
}

/** The answer did not have the provider's documented shape. */
export class SearchFormatError extends Error {
  override readonly name = "SearchFormatError";
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === "string"
    ? value
        .replace(/<[^>]*>/g, "")
        .replace(/\s+/g, " ")
        .trim()
    : "";
}

/** `json[path...]` as an array of objects, or a `SearchFormatError` naming the path. */
function listAt(json: unknown, path: string[], provider: string): Json[] {
  let value: unknown = json;
  for (const key of path) {
    if (!isObject(value)) break;
    value = value[key];
  }
  if (value === undefined && path.length > 1) return []; // e.g. Brave leaves out `web` when nothing matched
  if (!Array.isArray(value)) {
    throw new SearchFormatError(`${provider} answered without a '${path.join(".")}' list`);
  }
  return value.filter(isObject);
}

function results(items: Json[], title: string, url: string, snippet: string): SearchResult[] {
  return items
    .map((item) => ({ title: text(item[title]), url: String(item[url] ?? ""), snippet: text(item[snippet]) }))
    .filter((item) => /^https?:\/\//i.test(item.url))
    .map((item) => ({ ...item, title: item.title || item.url }));
}

/** `endpoint` with `path` appended to its path (keeping a sub-path such as `/searx`). */
function under(endpoint: URL, path: string): URL {
  const url = new URL(endpoint.href);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  url.search = "";
  url.hash = "";
  return url;
}

const jsonHeaders = { Accept: "application/json" };

export const SEARCH_PROVIDERS: Record<SearchProvider["id"], SearchProvider> = {
  searxng: {
    id: "searxng",
    label: "SearXNG",
    needsKey: false,
    request(query, _count, endpoint) {
      const url = under(endpoint, "/search");
      url.searchParams.set("q", query);
      url.searchParams.set("format", "json");
      return { url, method: "GET", headers: jsonHeaders };
    },
    parse: (json) => results(listAt(json, ["results"], "SearXNG"), "title", "url", "content"),
  },
  brave: {
    id: "brave",
    label: "Brave Search",
    needsKey: true,
    defaultEndpoint: "https://api.search.brave.com",
    request(query, count, endpoint, key) {
      const url = under(endpoint, "/res/v1/web/search");
      url.searchParams.set("q", query);
      url.searchParams.set("count", String(Math.min(count, 20)));
      return { url, method: "GET", headers: { ...jsonHeaders, "X-Subscription-Token": key ?? "" } };
    },
    parse(json) {
      // Every answer of the web search endpoint says `type: "search"`; `web` is left out when nothing
      // matched, so without the marker any JSON would read as "no results".
      if (!isObject(json) || json.type !== "search") {
        throw new SearchFormatError(`Brave answered without its 'type: "search"' marker`);
      }
      return results(listAt(json, ["web", "results"], "Brave"), "title", "url", "description");
    },
  },
  tavily: {
    id: "tavily",
    label: "Tavily",
    needsKey: true,
    defaultEndpoint: "https://api.tavily.com",
    request(query, count, endpoint, key) {
      return {
        url: under(endpoint, "/search"),
        method: "POST",
        headers: { ...jsonHeaders, "Content-Type": "application/json", Authorization: `Bearer ${key ?? ""}` },
        body: JSON.stringify({ query, max_results: Math.min(count, 20) }),
      };
    },
    parse: (json) => results(listAt(json, ["results"], "Tavily"), "title", "url", "content"),
  },
  serper: {
    id: "serper",
    label: "Serper",
    needsKey: true,
    defaultEndpoint: "https://google.serper.dev",
    request(query, count, endpoint, key) {
      return {
        url: under(endpoint, "/search"),
        method: "POST",
        headers: { ...jsonHeaders, "Content-Type": "application/json", "X-API-KEY": key ?? "" },
        body: JSON.stringify({ q: query, num: Math.min(count, 20) }),
      };
    },
    parse: (json) => results(listAt(json, ["organic"], "Serper"), "title", "link", "snippet"),
  },
};

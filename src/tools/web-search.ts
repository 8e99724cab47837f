/**
 * web_search: ask the search provider chosen in Settings (SearXNG, Brave, Tavily or Serper) and return
 * the results (title, URL, snippet). Reads `ctx.services.webSearch` (a `WebSearchService`, see
 * src/search/web-search.ts) and the address policy of `ctx.services.webFetch`. Without a configured
 * provider the tool is not offered to the model (see turn-setup.ts); called anyway, it says how to set one up.
 *
 * Result text: one numbered entry per result ("1. Title", "   URL", "   snippet"). Details:
 * `{ provider, query, results: [{ title, url, snippet }] }` for the results card.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError, type ToolServices } from "../agent/tool-contract.ts";
import type { AddressPolicy } from "../net/address-guard.ts";
import {
  searchTheWeb,
  WEB_SEARCH_TIMEOUT_MS,
  WebSearchError,
  type WebSearchService,
} from "../search/web-search.ts";

export const WEB_SEARCH_DEFAULT_COUNT = 8;

function isWebSearchService(value: unknown): value is WebSearchService {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<WebSearchService>;
  return typeof candidate.key === "function" && candidate.endpoint instanceof URL && !!candidate.provider;
}

/** The configured search service, or a `ToolError` saying how to configure one. */
export function webSearchServiceOf(services: ToolServices): WebSearchService {
  const value = services.webSearch;
  if (value instanceof Error) throw new ToolError(value.message);
  if (!isWebSearchService(value)) {
    throw new ToolError(
      "Web search is not set up: the user can choose a provider in Settings → General → Web search. Use web_fetch on a known address instead.",
    );
  }
  return value;
}

function addressPolicy(services: ToolServices): AddressPolicy {
  const value = services.webFetch;
  if (typeof value !== "object" || value === null) return {};
  const policy = value as AddressPolicy;
  return {
    allowPrivate: policy.allowPrivate === true,
    allowedHosts: policy.allowedHosts,
    resolve: policy.resolve,
  };
}

export const webSearchTool = defineTool({
  name: "web_search",
  description: `Search the web and get a list of results (title, URL, snippet). Use it to find pages, then read the promising ones with web_fetch; snippets alone are not sources. Write queries as a person would type them into a search engine.`,
  kind: "network",
  parameters: T.Object({
    query: T.String({ minLength: 1, maxLength: 400, description: "What to search for." }),
    count: T.Optional(
      T.Integer({
        minimum: 1,
        maximum: 20,
        description: `How many results to return (default ${WEB_SEARCH_DEFAULT_COUNT}).`,
      }),
    ),
  }),
  describe(params) {
    return { title: `Search the web: ${params.query}`, detail: params.query, detailKind: "command" };
  },
  async execute(params, ctx) {
    const service = webSearchServiceOf(ctx.services);
    const query = params.query.trim();
    if (query === "") throw new ToolError("The query is empty: say what to search for.");
    const count = params.count ?? WEB_SEARCH_DEFAULT_COUNT;
    const timeout = AbortSignal.timeout(WEB_SEARCH_TIMEOUT_MS);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    let results: Awaited<ReturnType<typeof searchTheWeb>>;
    try {
      results = await searchTheWeb(service, query, count, addressPolicy(ctx.services), signal);
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (timeout.aborted) {
        throw new ToolError(
          `${service.provider.label} did not answer within ${WEB_SEARCH_TIMEOUT_MS / 1000} s.`,
        );
      }
      if (error instanceof WebSearchError) throw new ToolError(error.message);
      throw new ToolError(`Web search with ${service.provider.label} failed: ${(error as Error).message}`);
    }
    const lines =
      results.length === 0
        ? [`No results for "${query}" (${service.provider.label}). Try other words.`]
        : [
            `${results.length} results for "${query}" (${service.provider.label}):`,
            ...results.flatMap((result, index) => [
              "",
              `${index + 1}. ${result.title}`,
              `   ${result.url}`,
              ...(result.snippet ? [`   ${result.snippet}`] : []),
            ]),
          ];
    return {
      text: lines.join("\n"),
      details: { provider: service.provider.id, query, results },
    };
  },
});

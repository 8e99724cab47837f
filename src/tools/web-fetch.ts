/**
 * web_fetch: GET a web page and return it as Markdown (HTML), as is (text, Markdown), pretty-printed
 * (JSON), or described (binary: type and size).
 *
 * Reads `ctx.services.webFetch` (a `WebFetchService`, optional): local and private addresses are
 * refused unless `allowPrivate` is true or the host is in `allowedHosts`; `resolve` replaces DNS (tests).
 * Redirects are followed by hand (at most 5), each hop checked; see src/net/guarded-fetch.ts for how
 * DNS rebinding is prevented. Limits: `timeoutMs` (default 30 s, for the whole exchange) and
 * `maximumBytes` downloaded (default 5 MB; the body is read as a stream and reading stops there).
 *
 * Result text: "Title:", "URL:" (final), "Status:", "Redirects:" (when any) lines, a blank line, then the
 * content cut at `max_chars`. Details: `{ url, finalUrl, status, contentType, bytes, title, redirects,
 * downloadTruncated, cut }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, type ToolContext, ToolError, type ToolServices } from "../agent/tool-contract.ts";
import { type AddressPolicy, type HostResolver, hostLocality } from "../net/address-guard.ts";
import { guardedFetch, parseWebUrl } from "../net/guarded-fetch.ts";
import { htmlToMarkdown } from "../net/html-to-markdown.ts";
import { classifyContent, decodeText, mediaTypeOf, prettyJson } from "../net/page-content.ts";
import { readBodyCapped } from "../net/read-body.ts";
import { formatBytes } from "../shared/byte-size.ts";

export const defaultWebFetchTimeoutMs = 30_000;
export const defaultWebFetchMaximumBytes = 5 * 1024 * 1024;
export const defaultWebFetchMaximumCharacters = 50_000;
const userAgent = "Mozilla/5.0 (compatible; Sage local agent; web_fetch)";

/** Settings for web_fetch, passed as `ctx.services.webFetch`. Every field is optional. */
export interface WebFetchService extends AddressPolicy {
  allowPrivate?: boolean;
  allowedHosts?: readonly string[];
  resolve?: HostResolver;
  timeoutMs?: number;
  maximumBytes?: number;
}

const description = `Fetch a web page (http or https) and read it.
- HTML pages come back as Markdown with the page title; links are absolute. When the page has a clear main article, only the article is returned.
- Plain text and Markdown come back as is, JSON pretty-printed; images and other binary files are only described (type and size).
- Redirects are followed (at most 5) and reported. Pages on this computer or the local network cannot be fetched unless the user allowed it.
- The content is cut at max_chars characters (default ${defaultWebFetchMaximumCharacters}); downloads stop at ${formatBytes(defaultWebFetchMaximumBytes)} and after ${defaultWebFetchTimeoutMs / 1000} s.`;

export const webFetchTool = defineTool({
  name: "web_fetch",
  description,
  kind: "network",
  parameters: T.Object({
    url: T.String({ minLength: 1, description: "The full URL, starting with http:// or https://." }),
    max_chars: T.Optional(
      T.Integer({
        minimum: 100,
        maximum: 1_000_000,
        description: `Return at most this many characters of content (default ${defaultWebFetchMaximumCharacters}).`,
      }),
    ),
  }),
  async describe(params, ctx) {
    const plain = { title: params.url, detail: params.url, detailKind: "url" as const };
    const settings = webFetchSettings(ctx.services ?? {});
    // Refused addresses are refused when the call runs; allowed local ones are named in the prompt.
    if (settings.allowPrivate !== true) return plain;
    let host: string;
    try {
      host = parseWebUrl(params.url).hostname;
    } catch {
      return plain;
    }
    const locality = await hostLocality(host, settings.resolve);
    if (locality === undefined) return plain;
    const where = locality === "this-computer" ? "on this computer" : "on the local network";
    return { ...plain, title: `${params.url} (an address ${where})`, locality };
  },
  async execute(params, ctx) {
    const settings = webFetchSettings(ctx.services);
    const timeoutMs = settings.timeoutMs ?? defaultWebFetchTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    try {
      return await fetchPage(
        params.url,
        params.max_chars ?? defaultWebFetchMaximumCharacters,
        settings,
        signal,
        ctx,
      );
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (timeout.aborted) {
        throw new ToolError(`Timed out after ${formatSeconds(timeoutMs)} fetching ${params.url}.`);
      }
      throw toToolError(error);
    }
  },
});

async function fetchPage(
  address: string,
  maximumCharacters: number,
  settings: WebFetchService,
  signal: AbortSignal,
  ctx: ToolContext,
) {
  const url = parseWebUrl(address);
  const maximumBytes = settings.maximumBytes ?? defaultWebFetchMaximumBytes;
  const { response, finalUrl, redirects } = await guardedFetch(url, {
    ...settings,
    signal,
    headers: {
      "User-Agent": userAgent,
      Accept:
        "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,application/json;q=0.8,*/*;q=0.5",
    },
  });
  const contentType = response.headers.get("content-type");
  const mediaType = mediaTypeOf(contentType);
  const declaredLength = Number.parseInt(response.headers.get("content-length") ?? "", 10);
  ctx.progress({
    stream: "info",
    text: `HTTP ${response.status} ${mediaType || "(no type)"} from ${finalUrl}`,
  });

  let kind = classifyContent(mediaType, new Uint8Array(0));
  let bytes: Uint8Array = new Uint8Array(0);
  let downloadTruncated = false;
  let byteCount: number;
  if (kind === "binary" && Number.isFinite(declaredLength)) {
    await response.body?.cancel().catch(() => undefined);
    byteCount = declaredLength;
  } else {
    ({ bytes, truncated: downloadTruncated } = await readBodyCapped(response, maximumBytes, signal));
    byteCount = bytes.byteLength;
    if (mediaType === "") kind = classifyContent(mediaType, bytes);
  }

  let title = "";
  let content: string;
  if (kind === "binary") {
    const size = downloadTruncated ? `more than ${formatBytes(byteCount)}` : formatBytes(byteCount);
    content = `[Binary content (${mediaType || "unknown type"}, ${size}); not shown.]`;
  } else {
    const text = decodeText(bytes, contentType, kind);
    if (kind === "html") {
      const page = await htmlToMarkdown(text, finalUrl);
      title = page.title;
      content = page.markdown;
    } else {
      content = kind === "json" ? prettyJson(text) : text;
    }
    if (content.trim() === "") content = "[The response has no text content.]";
  }

  const totalCharacters = content.length;
  const cut = totalCharacters > maximumCharacters;
  if (cut) {
    content = `${content.slice(0, maximumCharacters)}\n\n[Cut at ${maximumCharacters} of ${totalCharacters} characters. Call web_fetch again with a larger max_chars to read more.]`;
  }
  if (downloadTruncated && kind !== "binary") {
    content += `\n\n[Download stopped at the ${formatBytes(maximumBytes)} limit; the rest was not read.]`;
  }

  const header = [
    ...(title ? [`Title: ${title}`] : []),
    `URL: ${finalUrl}`,
    `Status: ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
    ...(redirects.length > 0 ? [`Redirects: ${[url.href, ...redirects].join(" -> ")}`] : []),
  ];
  return {
    text: `${header.join("\n")}\n\n${content}`,
    details: {
      url: url.href,
      finalUrl,
      status: response.status,
      contentType: mediaType,
      bytes: byteCount,
      title,
      redirects,
      downloadTruncated,
      cut,
    },
  };
}

function webFetchSettings(services: ToolServices): WebFetchService {
  return services.webFetch ?? {};
}

const knownFailures = new Set([
  "BlockedAddressError",
  "HostResolutionError",
  "FetchRefusedError",
  "FetchConnectionError",
]);

function toToolError(error: unknown): unknown {
  if (error instanceof Error && knownFailures.has(error.name)) return new ToolError(error.message);
  return error;
}

function formatSeconds(milliseconds: number): string {
  return milliseconds % 1000 === 0 ? `${milliseconds / 1000} s` : `${(milliseconds / 1000).toFixed(1)} s`;
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** web_fetch settings (and the address policy web_search follows). */
    webFetch?: WebFetchService;
  }
}

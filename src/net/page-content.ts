/**
 * What a fetched body is (HTML, JSON, other text, or binary) and how to decode it. The Content-Type
 * header decides; a missing header falls back to sniffing the first bytes.
 */

export type ContentKind = "html" | "json" | "text" | "binary";

const htmlTypes = new Set(["text/html", "application/xhtml+xml"]);
const textApplicationTypes = new Set([
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "application/xml",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/sql",
  "application/graphql",
  "application/x-sh",
  "application/x-ndjson",
  "application/rss+xml",
  "application/atom+xml",
]);

/** The media type of a Content-Type header, lower case without parameters ("" when absent). */
export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export function classifyContent(mediaType: string, head: Uint8Array): ContentKind {
  if (htmlTypes.has(mediaType)) return "html";
  if (mediaType === "application/json" || mediaType.endsWith("+json")) return "json";
  if (mediaType.startsWith("text/") || textApplicationTypes.has(mediaType) || mediaType.endsWith("+xml")) {
    return "text";
  }
  if (mediaType !== "") return "binary";
  return sniff(head);
}

function sniff(head: Uint8Array): ContentKind {
  const probe = head.subarray(0, 1024);
  if (probe.includes(0)) return "binary";
  const start = new TextDecoder()
    .decode(probe)
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (start.startsWith("<!doctype html") || start.startsWith("<html")) return "html";
  if (start.startsWith("{") || start.startsWith("[")) return "json";
  return "text";
}

/** Decode text using the header's charset (or, for HTML, a `<meta charset>`), falling back to UTF-8. */
export function decodeText(bytes: Uint8Array, contentType: string | null, kind: ContentKind): string {
  const label = charsetOf(contentType) ?? (kind === "html" ? metaCharset(bytes) : null) ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes).replace(/^\uFEFF/, "");
}

function charsetOf(contentType: string | null): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return match ? match[1]!.toLowerCase() : null;
}

function metaCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const direct = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  return direct ? direct[1]!.toLowerCase() : null;
}

/** JSON pretty-printed with two spaces; text that does not parse (a cut-off body) is returned as is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

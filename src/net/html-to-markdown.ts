/**
 * HTML page -> Markdown for a model to read. Scripts, styles and embedded frames are dropped; links and
 * images are made absolute against the page URL (and its `<base href>`). When Readability finds a main
 * article that carries most of the page's text, only the article is converted; otherwise (link lists,
 * search results, short pages) the whole body is, so no content is silently lost.
 */
import type { parseHTML as ParseHtml } from "linkedom";

/**
 * The HTML libraries are loaded on the first conversion, not at start-up (together ~40 MB and tens of
 * milliseconds that most sessions never need).
 */
interface HtmlLibraries {
  parseHTML: typeof ParseHtml;
  /** parse5: the HTML standard's parser, to give linkedom the complete document a browser would build. */
  normalize(html: string): string;
  Readability: typeof import("@mozilla/readability").Readability;
  TurndownService: typeof import("turndown");
}
let libraries: Promise<HtmlLibraries> | undefined;
let lib: HtmlLibraries;

function loadLibraries(): Promise<HtmlLibraries> {
  libraries ??= Promise.all([
    import("linkedom"),
    import("@mozilla/readability"),
    import("turndown"),
    import("parse5"),
  ]).then(([linkedom, readability, turndown, parse5]) => {
    lib = {
      parseHTML: linkedom.parseHTML,
      normalize: (html) => parse5.serialize(parse5.parse(html)),
      Readability: readability.Readability,
      TurndownService: turndown.default,
    };
    return lib;
  });
  return libraries;
}

export interface ConvertedPage {
  title: string;
  markdown: string;
  /** True when the Markdown is Readability's main article rather than the whole body. */
  extracted: boolean;
}

/** Elements whose content is never page text. */
const droppedSelector = "script, style, noscript, template, iframe, object, embed, canvas, svg, link, meta";

/** The article is used when it has at least this much text ... */
const minimumArticleCharacters = 250;
/** ... and either this share of the body's text, or `plentifulArticleCharacters` on its own. */
const minimumArticleShare = 0.3;
const plentifulArticleCharacters = 1500;

type ParsedDocument = ReturnType<typeof ParseHtml>["document"];

export async function htmlToMarkdown(html: string, pageUrl: string): Promise<ConvertedPage> {
  await loadLibraries();
  // linkedom builds no implied <html>, <head> or <body> (HTML lets pages leave them out, and many do):
  // parse5 builds them as a browser would, then linkedom gets the complete document.
  const { document } = lib.parseHTML(lib.normalize(html));
  const base = baseUrlOf(document, pageUrl);
  for (const element of Array.from(document.querySelectorAll(droppedSelector))) element.remove();
  for (const element of Array.from(document.querySelectorAll("base"))) element.remove();
  absolutizeLinks(document, base);

  const title = pageTitle(document);
  const bodyText = normalizedText(document.body?.textContent ?? "");
  const article = readArticle(document);
  const articleText = article ? normalizedText(article.textContent) : "";
  const useArticle =
    article !== null &&
    articleText.length >= minimumArticleCharacters &&
    (articleText.length >= bodyText.length * minimumArticleShare ||
      articleText.length >= plentifulArticleCharacters);
  const contentHtml = useArticle && article ? article.content : (document.body?.innerHTML ?? html);
  return { title, markdown: toMarkdown(contentHtml), extracted: useArticle };
}

function baseUrlOf(document: ParsedDocument, pageUrl: string): string {
  const href = document.querySelector("base[href]")?.getAttribute("href");
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return pageUrl;
  }
}

function absolutizeLinks(document: ParsedDocument, base: string): void {
  for (const [selector, attribute] of [
    ["a[href]", "href"],
    ["area[href]", "href"],
    ["img[src]", "src"],
  ] as const) {
    for (const element of Array.from(document.querySelectorAll(selector))) {
      const value = element.getAttribute(attribute) ?? "";
      const absolute = absoluteUrl(value, base);
      if (absolute === null) element.removeAttribute(attribute);
      else element.setAttribute(attribute, absolute);
    }
  }
  for (const element of Array.from(document.querySelectorAll("img[srcset], source[srcset]"))) {
    element.removeAttribute("srcset");
  }
}

/** The absolute form of a link, or null for links that lead nowhere a reader can follow. */
function absoluteUrl(value: string, base: string): string | null {
  const trimmed = value.trim();
  if (trimmed === "" || /^(javascript|data|vbscript):/i.test(trimmed)) return null;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return null;
  }
}

function pageTitle(document: ParsedDocument): string {
  const candidates = [
    document.querySelector("title")?.textContent,
    document.querySelector('meta[property="og:title"]')?.getAttribute("content"),
    document.querySelector("h1")?.textContent,
  ];
  for (const candidate of candidates) {
    const text = normalizedText(candidate ?? "");
    if (text) return text;
  }
  return "";
}

function readArticle(document: ParsedDocument): { content: string; textContent: string } | null {
  try {
    const copy = document.cloneNode(true) as unknown as Document;
    const article = new lib.Readability(copy).parse();
    if (!article?.content || !article.textContent) return null;
    return { content: article.content, textContent: article.textContent };
  } catch {
    // Readability gives up on some documents; the whole body is converted instead.
    return null;
  }
}

function normalizedText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function toMarkdown(html: string): string {
  const service = new lib.TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
    emDelimiter: "_",
    hr: "---",
  });
  service.remove(["script", "style", "noscript"]);
  const markdown = service.turndown(html);
  return markdown
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

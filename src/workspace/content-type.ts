/**
 * What a workspace file is: its content type, how the UI previews it and, for code, a highlighting
 * language.
 *
 * Contract:
 * - Known extensions (and a few well-known file names such as Dockerfile) decide by name alone.
 * - Anything else is sniffed from its first bytes: image and PDF signatures win; bytes without NUL that
 *   decode as UTF-8 are plain text; the rest is application/octet-stream with no preview.
 * - Text types always carry `charset=utf-8`.
 */
import { open } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { PreviewKind } from "../shared/workspace.ts";

export interface ContentType {
  mime: string;
  preview: PreviewKind;
  language?: string;
}

const TEXT = "text/plain; charset=utf-8";

/** Extension (lower case, without dot) -> highlighting language; all of these are text. */
const CODE_LANGUAGES: Record<string, string> = {
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "jsx",
  json: "json",
  jsonc: "jsonc",
  jsonl: "json",
  py: "python",
  rb: "ruby",
  go: "go",
  rs: "rust",
  java: "java",
  kt: "kotlin",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  hpp: "cpp",
  cs: "csharp",
  php: "php",
  swift: "swift",
  sh: "bash",
  bash: "bash",
  zsh: "bash",
  fish: "fish",
  ps1: "powershell",
  sql: "sql",
  yaml: "yaml",
  yml: "yaml",
  toml: "toml",
  ini: "ini",
  xml: "xml",
  html: "html",
  htm: "html",
  css: "css",
  scss: "scss",
  less: "less",
  vue: "vue",
  svelte: "svelte",
  lua: "lua",
  r: "r",
  dart: "dart",
  scala: "scala",
  hs: "haskell",
  ex: "elixir",
  exs: "elixir",
  erl: "erlang",
  clj: "clojure",
  diff: "diff",
  patch: "diff",
  tex: "latex",
  graphql: "graphql",
  proto: "proto",
  tf: "hcl",
  svg: "xml",
};

/** Text files without highlighting. */
const PLAIN_TEXT = new Set(["txt", "text", "log", "csv", "tsv", "env", "cfg", "conf", "lock", "gitignore"]);

const MARKDOWN = new Set(["md", "markdown", "mdx"]);

/** Content types the file route sends for text that is not text/plain. */
const TEXT_MIMES: Record<string, string> = {
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  csv: "text/csv",
  json: "application/json",
  xml: "application/xml",
  md: "text/markdown",
  markdown: "text/markdown",
  js: "text/javascript",
  mjs: "text/javascript",
};

const IMAGE_MIMES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  bmp: "image/bmp",
  ico: "image/x-icon",
  svg: "image/svg+xml",
};

const OTHER_MIMES: Record<string, string> = {
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
  wasm: "application/wasm",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

/** Whole file names that say what the file is. */
const NAMED_FILES: Record<string, string> = {
  dockerfile: "dockerfile",
  makefile: "makefile",
  "cmakelists.txt": "cmake",
};

/** The content type decided by the file's name alone, or undefined when the name says nothing. */
export function contentTypeByName(name: string): ContentType | undefined {
  const lower = basename(name).toLowerCase();
  const named = NAMED_FILES[lower];
  if (named) return { mime: TEXT, preview: "text", language: named };
  const extension = extname(lower).slice(1) || (lower.startsWith(".") ? lower.slice(1) : "");
  if (!extension) return undefined;
  if (MARKDOWN.has(extension)) return { mime: withCharset("text/markdown"), preview: "markdown" };
  if (extension === "svg") return { mime: IMAGE_MIMES.svg as string, preview: "image", language: "xml" };
  const image = IMAGE_MIMES[extension];
  if (image) return { mime: image, preview: "image" };
  if (extension === "pdf") return { mime: "application/pdf", preview: "pdf" };
  const language = CODE_LANGUAGES[extension];
  if (language || PLAIN_TEXT.has(extension)) {
    return { mime: withCharset(TEXT_MIMES[extension] ?? "text/plain"), preview: "text", language };
  }
  const other = OTHER_MIMES[extension];
  if (other) return { mime: other, preview: "none" };
  return undefined;
}

function withCharset(mime: string): string {
  return mime.includes("charset") ? mime : `${mime}; charset=utf-8`;
}

/** An image or PDF type recognised from the first bytes (signatures), else undefined. */
export function sniffBinaryType(head: Uint8Array): ContentType | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  const ascii = (from: number, text: string) =>
    [...text].every((char, index) => head[from + index] === char.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return { mime: "image/png", preview: "image" };
  if (starts(0xff, 0xd8, 0xff)) return { mime: "image/jpeg", preview: "image" };
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return { mime: "image/gif", preview: "image" };
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return { mime: "image/webp", preview: "image" };
  if (ascii(0, "%PDF-")) return { mime: "application/pdf", preview: "pdf" };
  return undefined;
}

/** True when the bytes look like UTF-8 text: no NUL, valid UTF-8 (a multi-byte cut at the end is fine). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (let cut = 0; cut <= 3 && cut <= head.length; cut++) {
    try {
      decoder.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // a multi-byte character may be split at the end of the sample: try a shorter one
    }
  }
  return false;
}

export function contentTypeOfBytes(head: Uint8Array): ContentType {
  return (
    sniffBinaryType(head) ??
    (looksLikeText(head)
      ? { mime: TEXT, preview: "text" }
      : { mime: "application/octet-stream", preview: "none" })
  );
}

const SNIFF_BYTES = 4096;

/** The content type of a file on disk: by name when the name is known, else by its first bytes. */
export async function contentTypeOfFile(absolutePath: string): Promise<ContentType> {
  const byName = contentTypeByName(absolutePath);
  if (byName) return byName;
  const handle = await open(absolutePath, "r");
  try {
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return contentTypeOfBytes(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * Storing files the user attaches to a message in the agent's workspace.
 *
 * Contract of `storeAttachment(workspace, incoming, options)`:
 * - The file goes to `attachments/<YYYY-MM-DD>/<safe name>` (local date), resolved through the
 *   workspace's confinement (a symlinked `attachments` folder pointing outside is refused).
 * - Names are made safe (`safeFileName`): no folders, no control or shell-hostile characters, no leading
 *   dot or dash, at most ~120 characters, extension kept. A name that is missing, empty or "blob" (a
 *   pasted image) becomes `pasted-<YYYYMMDD-HHMMSS>.<ext>` with the extension of its content type.
 * - Names never overwrite: the file is created exclusively, trying `name.ext`, `name-2.ext`, ...
 * - More than `maxBytes` stops the write, removes the partial file and throws
 *   `AttachmentTooLargeError`.
 * - The returned `name` is the one the user knows (folders and control characters dropped); `path` has
 *   the stored, safe name.
 * - The content type is the declared one when it is specific, else the name's, else sniffed from the
 *   first bytes (so a pasted PNG is `image/png` even when the browser sent no type).
 */
import { mkdir, open, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Workspace } from "../agent/tool-contract.ts";
import type { Attachment } from "../shared/client-messages.ts";
import { contentTypeByName, contentTypeOfBytes } from "./content-type.ts";
import { AttachmentTooLargeError } from "./errors.ts";

export interface IncomingFile {
  /** The name the client gave (may be missing for pasted images). */
  name: string | undefined;
  /** The declared content type (may be empty). */
  mime: string | undefined;
  /** The bytes, in chunks. */
  chunks: AsyncIterable<Uint8Array>;
}

export interface StoreOptions {
  maxBytes: number;
  now: Date;
}

export const ATTACHMENTS_FOLDER = "attachments";
const SNIFF_BYTES = 4096;
const MAX_STEM = 100;
const MAX_EXTENSION = 16;

const EXTENSION_BY_MIME: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/svg+xml": "svg",
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/markdown": "md",
  "application/json": "json",
};

export async function storeAttachment(
  workspace: Workspace,
  incoming: IncomingFile,
  options: StoreOptions,
): Promise<Attachment> {
  const iterator = incoming.chunks[Symbol.asyncIterator]();
  const head = await readHead(iterator);
  const mime = chooseMime(incoming.mime, incoming.name, head.bytes);
  const name = safeFileName(incoming.name, mime, options.now);
  const folder = workspace.resolve(`${ATTACHMENTS_FOLDER}/${localDate(options.now)}`);
  await mkdir(folder, { recursive: true });
  const { absolute, handle } = await createExclusive(folder, name);
  let size = 0;
  try {
    const write = async (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > options.maxBytes) throw new AttachmentTooLargeError(incoming.name || name, options.maxBytes);
      await handle.write(chunk);
    };
    for (const chunk of head.chunks) await write(chunk);
    if (!head.done) {
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        await write(next.value);
    }
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(absolute, { force: true });
    await iterator.return?.();
    throw error;
  }
  return {
    path: workspace.relative(absolute),
    name: displayName(incoming.name) ?? basename(absolute),
    mime,
    size,
  };
}

/** The first chunks, up to SNIFF_BYTES (or the whole stream when shorter). */
async function readHead(
  iterator: AsyncIterator<Uint8Array>,
): Promise<{ chunks: Uint8Array[]; bytes: Uint8Array; done: boolean }> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) return { chunks, bytes: concat(chunks, length), done: true };
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  return { chunks, bytes: concat(chunks, length).subarray(0, SNIFF_BYTES), done: false };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The declared type when specific (parameters dropped), else by name, else sniffed. */
export function chooseMime(declared: string | undefined, name: string | undefined, head: Uint8Array): string {
  const clean = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (
    /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(clean) &&
    clean !== "application/octet-stream"
  ) {
    return clean;
  }
  const byName = isGenericName(name) ? undefined : contentTypeByName(name as string);
  const type = byName ?? contentTypeOfBytes(head);
  return type.mime.split(";")[0]?.trim() ?? "application/octet-stream";
}

/** The name as the user knows it (folders dropped), or undefined for pasted data. */
function displayName(raw: string | undefined): string | undefined {
  if (isGenericName(raw)) return undefined;
  const last = (raw as string).split(/[/\\]/).pop()?.trim() ?? "";
  const printable = last.replace(/[\p{Cc}\p{Cf}]+/gu, "").slice(0, 200);
  return printable || undefined;
}

function isGenericName(name: string | undefined): boolean {
  const trimmed = name?.trim() ?? "";
  return trimmed === "" || trimmed === "blob";
}

/** A name safe to create in the attachments folder (see the contract above). */
export function safeFileName(raw: string | undefined, mime: string, now: Date): string {
  const fallbackExtension = EXTENSION_BY_MIME[mime] ?? (mime.startsWith("text/") ? "txt" : "bin");
  if (isGenericName(raw)) return `pasted-${compactTimestamp(now)}.${fallbackExtension}`;
  const last = (raw as string).split(/[/\\]/).pop() ?? "";
  const cleaned = last
    .normalize("NFC")
    .replace(/[^\p{L}\p{M}\p{N}._+@()-]+/gu, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[.-]+/, "");
  const dot = cleaned.lastIndexOf(".");
  let stem = dot > 0 ? cleaned.slice(0, dot) : cleaned;
  let extension = dot > 0 ? cleaned.slice(dot + 1) : "";
  stem = stem
    .replace(/[.-]+$/, "")
    .slice(0, MAX_STEM)
    .replace(/[.-]+$/, "");
  extension = extension.replace(/[^\p{L}\p{N}]+/gu, "").slice(0, MAX_EXTENSION);
  if (!stem) stem = "file";
  return extension ? `${stem}.${extension}` : stem;
}

/** Create `name` in `folder` exclusively, or `stem-2.ext`, `stem-3.ext` ... when taken. */
async function createExclusive(
  folder: string,
  name: string,
): Promise<{ absolute: string; handle: Awaited<ReturnType<typeof open>> }> {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const extension = dot > 0 ? name.slice(dot) : "";
  for (let attempt = 1; attempt < 10_000; attempt++) {
    const candidate = join(folder, attempt === 1 ? name : `${stem}-${attempt}${extension}`);
    try {
      return { absolute: candidate, handle: await open(candidate, "wx") };
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") throw error;
    }
  }
  throw new Error(`Too many attachments named ${name} today.`);
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** YYYY-MM-DD in local time. */
export function localDate(now: Date): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function compactTimestamp(now: Date): string {
  return `${localDate(now).replaceAll("-", "")}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
}

/** The chunks of a byte stream (a raw request body, or a multipart part's `blob.stream()`). */
export async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (too large, disk error): tell the sender we will not read the rest.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

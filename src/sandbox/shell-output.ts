/**
 * The combined output of one shell process, with bounded memory.
 *
 * - Order: stdout and stderr are interleaved in the order their chunks arrived.
 * - Recognisable stderr: every line that comes from stderr starts with `[stderr] `; when the stream
 *   changes in the middle of a line, a line break is inserted first, so a prefix is always at a
 *   line start and stdout lines are never mislabelled.
 * - Memory: the first `headChars` characters and (at least) the last `tailChars` are kept; the middle
 *   is dropped and reported as omitted. At most `headChars + 2 × tailChars` characters are held.
 * - Offsets: every character written has an absolute offset in the (virtual, unbounded) transcript;
 *   `readFrom(offset)` returns what is still held after that offset, so background jobs can hand out
 *   "new output since the last read" even after older output was dropped.
 * Sizes are counted in UTF-16 code units ("characters"), never splitting a surrogate pair.
 */

export type OutputStream = "stdout" | "stderr";

export interface OutputLimits {
  /** Characters kept from the start of the output. */
  headChars: number;
  /** Characters kept from the end of the output. */
  tailChars: number;
}

/** Generous for a foreground command: the agent loop truncates what the model reads anyway. */
export const foregroundOutputLimits: OutputLimits = { headChars: 1024 * 1024, tailChars: 2 * 1024 * 1024 };

export const stderrPrefix = "[stderr] ";

export interface OutputSlice {
  text: string;
  /** The offset to pass next time to read only newer output. */
  nextOffset: number;
  /** Characters between the requested offset and the returned text that were dropped. */
  omittedChars: number;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export function omissionMarker(omittedChars: number): string {
  return `\n[... ${omittedChars} characters of output omitted ...]\n`;
}

export class OutputLog {
  readonly #limits: OutputLimits;
  #head = "";
  #tail = "";
  /** Absolute offset of `#tail[0]`; equals `#total` while the tail is empty. */
  #tailStart = 0;
  #total = 0;
  #lastStream: OutputStream | null = null;
  #atLineStart = true;

  constructor(limits: OutputLimits = foregroundOutputLimits) {
    if (!(limits.headChars >= 0 && limits.tailChars > 0)) {
      throw new RangeError("Output limits need headChars >= 0 and tailChars > 0");
    }
    this.#limits = limits;
  }

  /** Characters written so far, including dropped ones. */
  get totalChars(): number {
    return this.#total;
  }

  /** Characters dropped from the middle so far. */
  get omittedChars(): number {
    return this.#tailStart - this.#head.length;
  }

  /** Add decoded text from one stream. */
  write(stream: OutputStream, text: string): void {
    if (text.length === 0) return;
    let formatted = "";
    if (this.#lastStream !== null && this.#lastStream !== stream && !this.#atLineStart) {
      formatted = "\n";
      this.#atLineStart = true;
    }
    if (stream === "stderr") {
      const lines = text.split("\n");
      lines.forEach((line, index) => {
        if (index > 0) formatted += "\n";
        const startsLine = index > 0 || this.#atLineStart;
        if (line.length > 0 && startsLine) formatted += stderrPrefix;
        formatted += line;
      });
    } else {
      formatted += text;
    }
    this.#lastStream = stream;
    this.#atLineStart = text.endsWith("\n");
    this.#append(formatted);
  }

  #append(text: string): void {
    let rest = text;
    if (this.#tail.length === 0 && this.#head.length < this.#limits.headChars) {
      let take = Math.min(rest.length, this.#limits.headChars - this.#head.length);
      if (take < rest.length && take > 0 && isHighSurrogate(rest.charCodeAt(take - 1))) take -= 1;
      this.#head += rest.slice(0, take);
      rest = rest.slice(take);
      this.#total += take;
      this.#tailStart = this.#total;
    }
    if (rest.length === 0) return;
    this.#tail += rest;
    this.#total += rest.length;
    if (this.#tail.length > 2 * this.#limits.tailChars) {
      let cut = this.#tail.length - this.#limits.tailChars;
      if (isLowSurrogate(this.#tail.charCodeAt(cut))) cut += 1;
      this.#tail = this.#tail.slice(cut);
    }
    this.#tailStart = this.#total - this.#tail.length;
  }

  /** Everything still held after `offset`, with a marker where output was dropped. */
  readFrom(offset: number): OutputSlice {
    let position = Math.max(0, Math.min(Math.floor(offset), this.#total));
    let text = "";
    let omittedChars = 0;
    if (position < this.#head.length) {
      text += this.#head.slice(position);
      position = this.#head.length;
    }
    if (position < this.#tailStart) {
      omittedChars = this.#tailStart - position;
      text += omissionMarker(omittedChars);
      position = this.#tailStart;
    }
    text += this.#tail.slice(position - this.#tailStart);
    return { text, nextOffset: this.#total, omittedChars };
  }

  /** The whole output as held: head, an omission marker if anything was dropped, tail. */
  text(): string {
    return this.readFrom(0).text;
  }
}

/**
 * Decodes one byte stream as UTF-8, keeping multi-byte characters split across chunks intact and
 * turning invalid bytes into U+FFFD instead of failing.
 */
export class StreamDecoder {
  readonly #decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

  decode(chunk: Uint8Array): string {
    return this.#decoder.decode(chunk, { stream: true });
  }

  /** Whatever incomplete sequence is left at the end of the stream (as U+FFFD). */
  finish(): string {
    return this.#decoder.decode();
  }
}

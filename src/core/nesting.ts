/**
 * How deeply a JSON (or YAML flow) text nests, measured before anything parses it. Parsers and what runs
 * after them (validation, structuredClone, our own walkers) recurse once per level: a 100,000-deep
 * `[[[[...` overflows the stack and used to answer 500. Callers refuse texts deeper than
 * MAX_NESTING_DEPTH with a clear 400 instead.
 *
 * Contract of `nestingExceeds(text, max)`: true when some `[` or `{` outside a double-quoted string
 * opens level `max + 1`. One pass, no allocation; works on UTF-8 bytes or on a string (the characters
 * that matter are ASCII). A stray closing bracket never lowers the count below zero.
 */

/** Deepest nesting accepted in request bodies and imported files; real Sage data stays far below. */
export const MAX_NESTING_DEPTH = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;

export function nestingExceeds(text: Uint8Array | string, max = MAX_NESTING_DEPTH): boolean {
  return typeof text === "string" ? stringExceeds(text, max) : bytesExceeds(text, max);
}

// Two copies of one loop: a shared one reading through a callback runs several times slower.
function bytesExceeds(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      if (++depth > max) return true;
    } else if ((c === CLOSE_SQUARE || c === CLOSE_CURLY) && depth > 0) {
      depth--;
    }
  }
  return false;
}

function stringExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_SQUARE || c === OPEN_CURLY) {
      if (++depth > max) return true;
    } else if ((c === CLOSE_SQUARE || c === CLOSE_CURLY) && depth > 0) {
      depth--;
    }
  }
  return false;
}

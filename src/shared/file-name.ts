/**
 * File names made from titles (session and agent exports), shared by the server's Content-Disposition
 * and the UI's fallback name so both agree.
 *
 * Contract of `fileNameFrom(title, extension)`:
 * - keeps letters, marks and digits of every script (Chinese, Cyrillic, accented Latin ...), spaces and
 *   `- _ . , ( ) ' & +`; every other character (path separators, `: * ? " < > |`, control characters,
 *   emoji, quotes) becomes a space, and runs of spaces become one;
 * - never starts or ends with a dot, space or dash, never holds two dots in a row (so no `..json`);
 * - at most MAX_STEM_CHARACTERS characters (code points, never half a surrogate pair) before the
 *   extension, cut at the last word boundary when there is one in the second half, else mid-run (scripts
 *   without spaces such as Chinese);
 * - Windows' reserved device names (CON, NUL, COM1 ...) get a trailing underscore;
 * - an empty result becomes `fallback` ("session" by default).
 */

/** Characters kept in a name before the extension: short enough to read in a file manager. */
export const MAX_STEM_CHARACTERS = 60;

const UNSAFE = /[^\p{L}\p{M}\p{N} \-_.,()'&+]+/gu;
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
/** Edges a name may not start or end with. */
const EDGES = /^[\s.-]+|[\s.-]+$/gu;

/** The name without extension: cleaned, shortened at a word boundary; "" when nothing is left. */
export function fileNameStem(title: string, maxCharacters = MAX_STEM_CHARACTERS): string {
  const clean = title
    .normalize("NFC")
    .replace(/[’‘`]/g, "'")
    .replace(UNSAFE, " ")
    .replace(/\s+/g, " ")
    .replace(/\.{2,}/g, ".")
    .replace(EDGES, "");
  const characters = Array.from(clean);
  if (characters.length <= maxCharacters) return guardReserved(clean);
  const head = characters.slice(0, maxCharacters + 1).join("");
  // The last break (space, dash, underscore, comma) at or before the limit, if it keeps half the name.
  const boundary = Math.max(...[" ", "-", "_", ","].map((mark) => head.lastIndexOf(mark)));
  const cut =
    boundary > 0 && Array.from(head.slice(0, boundary)).length >= maxCharacters / 2
      ? head.slice(0, boundary)
      : characters.slice(0, maxCharacters).join("");
  return guardReserved(cut.replace(EDGES, ""));
}

/** `<stem>.<extension>`, e.g. fileNameFrom("Fix the build.", "json") === "Fix the build.json". */
export function fileNameFrom(title: string, extension: string, fallback = "session"): string {
  const stem = fileNameStem(title) || fallback;
  return `${stem}.${extension.replace(/^\.+/, "")}`;
}

function guardReserved(stem: string): string {
  return RESERVED.test(stem) ? `${stem}_` : stem;
}

/**
 * The words of a memory question that count: lower-cased, without the common words ("what", "the" ...)
 * that would match everything, at most 20 distinct ones. Shared by the chat search (as an FTS5 query) and
 * the workspace file scan.
 */
const STOP_WORDS = new Set(
  (
    "the a an and or of to in on at for is are was were be been it its this that these those what which who " +
    "whom how when where why do does did i you he she we they my your our their me us them with from about " +
    "as by not no yes can could should would will shall may might have has had there here any some all"
  ).split(" "),
);

export function memoryWords(input: string): string[] {
  const words = (input.toLowerCase().match(/[\p{L}\p{N}_][\p{L}\p{N}_'-]*/gu) ?? [])
    .map((word) => word.replaceAll('"', ""))
    .filter((word) => word.length >= 2 && !STOP_WORDS.has(word));
  return [...new Set(words)].slice(0, 20);
}

/** The question as an FTS5 query: each word quoted with a prefix match, joined by OR (ranked by bm25). */
export function memoryQuery(input: string): string | undefined {
  const words = memoryWords(input);
  return words.length > 0 ? words.map((word) => `"${word}"*`).join(" OR ") : undefined;
}

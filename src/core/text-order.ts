/**
 * Sorting text without paying for ICU at start-up. `localeCompare` and `Intl.Collator` load the ICU
 * collation code and data (measured in the compiled executable: ~3.5 MiB more resident memory for
 * the rest of the process), so:
 * - `compareCodePoints` orders identifiers (skill names, model ids, folder paths that only need a
 *   stable order): by UTF-16 code unit, the same on every machine and locale.
 * - `compareNatural` orders names a person reads in a list (workspace files): case-insensitive with
 *   numbers in numeric order ("file2" before "file10"), through a collator created on first use.
 */
export function compareCodePoints(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

let collator: Intl.Collator | undefined;

export function compareNatural(left: string, right: string): number {
  collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  return collator.compare(left, right);
}

/**
 * Byte counts as people read them, one style everywhere (server messages, tool results, the UI):
 * binary units, "0 B", "300 B", "1 KiB", "1.5 KiB", "12 MiB", "1.2 GiB", "3 TiB".
 *
 * Contract: below 1024 the exact count of bytes (rounded to a whole byte); above, one decimal under 10
 * of the unit ("9.9 MiB", a trailing ".0" dropped) and whole numbers from 10 ("10 MiB", "1023 KiB"),
 * moving to the next unit when rounding reaches 1024. Negative counts keep their sign; a count that is
 * not a finite number is "? B". Pure: no Bun or DOM imports, so the UI uses it too.
 */

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "? B";
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  if (Math.round(bytes) < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (unit < UNITS.length - 1 && rounded(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${rounded(value)} ${UNITS[unit]}`;
}

/** One decimal under 10, whole numbers from 10; `+` drops a trailing ".0". */
function rounded(value: number): number {
  return value < 9.95 ? +value.toFixed(1) : Math.round(value);
}

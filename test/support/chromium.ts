/**
 * How tests and benchmarks launch Debian's Chromium (never a downloaded browser): the executable, and the
 * flags that keep a headless run quiet and comparable (no GPU, no background updates or sync).
 * `SAGE_CHROMIUM` points at another Chromium build.
 */
export const CHROMIUM_PATH = process.env.SAGE_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

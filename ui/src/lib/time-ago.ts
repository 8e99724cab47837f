/**
 * "2 minutes ago", "just now", "2分钟前": how long ago a moment was, in the UI's language, for figures
 * that are measured now and then (Settings → Storage). Whole seconds under a minute read "just now".
 */
import { locale } from "../i18n/index.ts";

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["minute", 60],
  ["hour", 60],
  ["day", 24],
];

export function timeAgo(at: number, now: number): string {
  const format = new Intl.RelativeTimeFormat(locale() === "zh" ? "zh-CN" : "en", { numeric: "auto" });
  let value = Math.max(0, (now - at) / 1000);
  if (value < 60) return format.format(0, "second");
  let unit: Intl.RelativeTimeFormatUnit = "second";
  for (const [next, size] of STEPS) {
    if (value < size) break;
    value /= size;
    unit = next;
  }
  return format.format(-Math.floor(value), unit);
}

/** Times on the Tasks page: shown in the user's language, and as the value of a datetime-local input. */
import { locale } from "../../i18n/index.ts";

/** A time as the user reads it (their locale, with the weekday). */
export function formatTime(time: number | null | undefined): string {
  if (time === null || time === undefined) return "—";
  return new Date(time).toLocaleString(locale() === "zh" ? "zh-CN" : undefined, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** ms since the epoch as the value of an <input type="datetime-local"> (local time), and back. */
export function toLocalInput(time: number | null | undefined): string {
  if (time === null || time === undefined) return "";
  const date = new Date(time);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isFinite(time) ? time : undefined;
}

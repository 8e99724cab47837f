/** Short human forms of times for the workspace panel (sizes: src/shared/byte-size.ts). */
import { locale } from "../../i18n/index.ts";

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString(locale() === "zh" ? "zh-CN" : undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/**
 * The one message every refused import shows (a chat, a settings file, an agent file): what failed (the
 * file), why (the reason, one sentence — usually the server's), and that nothing was changed, said once.
 * Reasons must not say "nothing was changed" themselves: the server's import errors state only what is
 * wrong with the file (src/portable, src/agent-configs, src/sessions/export.ts).
 */
import { t } from "../i18n/index.ts";

/** "Could not import NAME: REASON. Nothing was changed." in the current language. */
export function importFailureText(fileName: string, reason: string): string {
  return t("import.failed", { name: fileName, reason: asSentence(reason) });
}

/** The reason trimmed, ending with a full stop unless it already ends a sentence. */
export function asSentence(reason: string): string {
  const text = reason.trim();
  if (!text) return text;
  return /[.!?。！？…]$/.test(text) ? text : `${text}.`;
}

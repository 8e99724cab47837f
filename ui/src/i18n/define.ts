/**
 * Each feature keeps its strings in its own file under locales/, English and Chinese side by side:
 * `export const chat = defineMessages({ en: {...}, zh: {...} })`. The Chinese table must have exactly the
 * English keys (the type checks it). Keys are namespaced by feature ("chat.send").
 */
export function defineMessages<const T extends Record<string, string>>(messages: {
  en: T;
  zh: { [K in keyof T]: string };
}) {
  return messages;
}

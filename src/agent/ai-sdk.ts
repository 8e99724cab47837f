/**
 * The Vercel AI SDK, loaded on first use (a turn, a connection test, a title) rather than at start-up:
 * it and the provider packages cost tens of milliseconds and megabytes that an idle app should not pay.
 * Types come from `import type` as usual; values come through `loadAiSdk()`.
 */
export type AiSdk = typeof import("ai");

let sdk: Promise<AiSdk> | undefined;

export function loadAiSdk(): Promise<AiSdk> {
  sdk ??= import("ai");
  return sdk;
}

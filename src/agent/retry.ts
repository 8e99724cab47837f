/** Backoff for retryable provider failures (429, 5xx, network, a stream cut off). */

export const MAX_ATTEMPTS = 5;
const BASE_MS = 1000;
const CAP_MS = 30_000;

/** Exponential with jitter; a server's Retry-After wins when present (capped at 2 minutes). */
export function backoffDelay(attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), 120_000);
  const exponential = Math.min(CAP_MS, BASE_MS * 2 ** (attempt - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.5));
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

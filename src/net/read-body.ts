/**
 * Read a response body as a stream, stopping at a byte limit: a huge or endless body never fills
 * memory. The body is cancelled once the limit is reached (or on abort).
 */

export interface CappedBody {
  bytes: Uint8Array;
  /** True when the body was longer than the limit and reading stopped there. */
  truncated: boolean;
}

export async function readBodyCapped(
  response: Response,
  maximumBytes: number,
  signal: AbortSignal,
): Promise<CappedBody> {
  const body = response.body;
  if (!body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const onAbort = () => void reader.cancel(signal.reason).catch(() => undefined);
  signal.addEventListener("abort", onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  try {
    for (;;) {
      signal.throwIfAborted();
      const { done, value } = await reader.read();
      signal.throwIfAborted();
      if (done) break;
      const room = maximumBytes - length;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        length += room;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      length += value.byteLength;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, truncated };
}

/**
 * Named moments for the in-page long-chat benchmark (ui/src/bench/long-chat.ts, scripts/bench/long-chat.ts):
 * a performance mark, only with `?bench=long-chat` in the URL; a no-op otherwise.
 */
const benching = new URLSearchParams(location.search).get("bench") === "long-chat";

/** A named moment for the benchmark's breakdown (no-op outside `?bench=long-chat`). */
export function benchMark(name: string): void {
  if (benching) performance.mark(name);
}

/**
 * In-page measurements for scripts/bench/long-chat.ts, active only with `?bench=long-chat` in the URL.
 * Measures, for the open session: time from navigation start to its last screen being shown, frame
 * times (rAF deltas) over a scripted scroll to the very top (loading every older page) and back, and the
 * JS heap where the engine tells. Results go to `window.__SAGE_BENCH__` (Playwright reads it) and to
 * POST /api/app/debug/report (the window benchmark reads the log; the route exists only with test hooks).
 */

import { api } from "../lib/api.ts";
import { benchMark } from "../lib/bench-mark.ts";
import { transcript } from "../state/transcripts.ts";

export interface BenchResult {
  lastScreenMs: number;
  reachedTop: boolean;
  messagesLoaded: number;
  frames: number;
  p50FrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  under16msShare: number;
  onTimeShare: number;
  scrollMs: number;
  heapMb?: number;
  userAgent: string;
  marks: Record<string, number>;
}

declare global {
  interface Window {
    __SAGE_BENCH__?: BenchResult | { error: string };
  }
}

const STEP_PX = 400;
/** Each direction of the scroll is cut off after this long (slow engines report what they managed). */
const PHASE_MS = 90_000;
const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

export function startBenchIfAsked(): void {
  if (new URLSearchParams(location.search).get("bench") !== "long-chat") return;
  void run().then(
    (result) => report(result),
    (error) => report({ error: String(error) }),
  );
}

function report(result: BenchResult | { error: string }): void {
  window.__SAGE_BENCH__ = result;
  void api("/api/app/debug/report", { method: "POST", json: { name: "long-chat", data: result } }).catch(
    () => {},
  );
}

async function run(): Promise<BenchResult> {
  // 1. The last screen: the list is mounted, has rows, and is scrolled to its end.
  let scroller: HTMLElement | null = null;
  for (let i = 0; i < 2000; i++) {
    await frame();
    scroller = document.querySelector<HTMLElement>("[data-testid=message-list] > div");
    const rows = document.querySelectorAll("[data-testid=message]").length;
    if (
      scroller &&
      rows > 0 &&
      Math.abs(scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop) < 60
    )
      break;
  }
  if (!scroller) throw new Error("the message list never appeared");
  await frame();
  const lastScreenMs = performance.now();
  benchMark("last-screen");
  const reportOnly = new URLSearchParams(location.search).get("scroll") === "0";

  if (reportOnly) return { ...emptyScroll(), lastScreenMs: Math.round(lastScreenMs), marks: timeline() };

  // 2. Scroll to the top (older pages load on the way) and back, one step per frame.
  const deltas: number[] = [];
  const started = performance.now();
  let previous = await frame();
  const step = async (): Promise<void> => {
    const now = await frame();
    deltas.push(now - previous);
    previous = now;
  };
  const meta = transcript(location.pathname.split("/")[2] ?? "").meta;
  // 400 px a frame is 24,000 px/s at 60 fps: a fast fling, sustained.
  while (
    !(scroller.scrollTop === 0 && !meta.hasMore && !meta.loadingOlder) &&
    performance.now() - started < PHASE_MS
  ) {
    scroller.scrollTop = Math.max(0, scroller.scrollTop - STEP_PX);
    await step();
  }
  const reachedTop = scroller.scrollTop === 0 && !meta.hasMore;
  while (
    scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2 &&
    performance.now() - started < 2 * PHASE_MS
  ) {
    scroller.scrollTop += STEP_PX;
    await step();
  }
  const scrollMs = performance.now() - started;
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return {
    lastScreenMs: Math.round(lastScreenMs),
    reachedTop,
    messagesLoaded: transcript(location.pathname.split("/")[2] ?? "").state.order.length,
    frames: deltas.length,
    p50FrameMs: round(at(0.5)),
    p95FrameMs: round(at(0.95)),
    maxFrameMs: round(sorted[sorted.length - 1] ?? 0),
    under16msShare: round(deltas.filter((d) => d <= 16.7).length / Math.max(1, deltas.length)),
    // A frame presented at the next vsync (timestamps jitter by ~0.1 ms around 16.67): none dropped.
    onTimeShare: round(deltas.filter((d) => d < 16.67 * 1.5).length / Math.max(1, deltas.length)),
    scrollMs: Math.round(scrollMs),
    heapMb: memory ? round(memory.usedJSHeapSize / 1024 / 1024) : undefined,
    userAgent: navigator.userAgent,
    marks: timeline(),
  };
}

/** Milestones since navigation start (ms): the HTML's arrival and parse, then our performance marks. */
function timeline(): Record<string, number> {
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const marks: Record<string, number> = {};
  if (nav) {
    marks["html received"] = Math.round(nav.responseEnd);
    marks["dom content loaded"] = Math.round(nav.domContentLoadedEventEnd);
  }
  for (const paint of performance.getEntriesByType("paint")) marks[paint.name] = Math.round(paint.startTime);
  for (const mark of performance.getEntriesByType("mark")) marks[mark.name] = Math.round(mark.startTime);
  return marks;
}

function emptyScroll(): BenchResult {
  return {
    lastScreenMs: 0,
    reachedTop: false,
    messagesLoaded: 0,
    frames: 0,
    p50FrameMs: 0,
    p95FrameMs: 0,
    maxFrameMs: 0,
    under16msShare: 0,
    onTimeShare: 0,
    scrollMs: 0,
    userAgent: navigator.userAgent,
    marks: {},
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Whether the user is looking at Sage: each open page (the window, or browser tabs in serve mode)
 * reports its focus under a random client id (POST /api/app/focus). Sage counts as focused while any
 * page's latest report says so. A page that never reported counts as not focused; a page that closes
 * reports "not focused" on its way out, and a report older than `staleMs` is ignored, so a page that
 * died without saying so cannot silence notifications for ever.
 */

export class WindowFocus {
  private readonly focusedAt = new Map<string, number>();

  constructor(
    private readonly staleMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  report(clientId: string, focused: boolean): void {
    if (focused) this.focusedAt.set(clientId, this.now());
    else this.focusedAt.delete(clientId);
  }

  get focused(): boolean {
    const oldest = this.now() - this.staleMs;
    for (const [clientId, at] of this.focusedAt) {
      if (at >= oldest) return true;
      this.focusedAt.delete(clientId);
    }
    return false;
  }
}

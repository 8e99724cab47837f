/**
 * Test helper: open the URL `sage --serve` prints (`http://127.0.0.1:PORT/?token=...`) and check that
 * both halves work: the page (the UI's HTML; the shell is public, its boot script keeps the token) and
 * the token (the API answers `/api/health` with it, as the page's calls will).
 * Used by the first-launch integration test and the `first-contact` stage of scripts/test-all.ts.
 */

export interface OpenedLaunchUrl {
  /** Status of the page itself (200 when the UI is served). */
  status: number;
  contentType: string;
  html: string;
  /** Status of GET /api/health with the URL's token (200 when the token is the server's). */
  healthStatus: number;
  /** The health answer (mode, data folder, ...), when it was JSON. */
  health: Record<string, unknown> | undefined;
}

export class LaunchUrlError extends Error {
  override readonly name = "LaunchUrlError";
}

export async function openLaunchUrl(launchUrl: string, timeoutMs = 5000): Promise<OpenedLaunchUrl> {
  const url = new URL(launchUrl);
  const token = url.searchParams.get("token");
  if (!token) throw new LaunchUrlError(`${launchUrl} carries no ?token=`);
  const signal = AbortSignal.timeout(timeoutMs);
  const page = await fetch(url, { redirect: "manual", signal });
  const html = await page.text();
  const health = await fetch(new URL("/api/health", url), {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  const text = await health.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return {
    status: page.status,
    contentType: page.headers.get("content-type") ?? "",
    html,
    healthStatus: health.status,
    health: body,
  };
}

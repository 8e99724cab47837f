/**
 * Test helper: open the URL `sage --serve` prints (`http://127.0.0.1:PORT/?token=...`) the way a browser
 * does. The server answers the token URL with a 302 that sets the HttpOnly token cookie and drops the
 * token from the address; fetch() keeps no cookies, so the redirect is followed here with the cookie.
 * Used by the first-launch integration test and the `first-contact` stage of scripts/test-all.ts.
 */

export interface OpenedPage {
  /** Status of the page after the redirect (200 when the UI is served). */
  status: number;
  contentType: string;
  html: string;
  /** The token cookie the redirect set (`sage_token=...`), for further requests. */
  cookie: string | undefined;
}

export class LaunchUrlError extends Error {
  override readonly name = "LaunchUrlError";
}

/** Open `launchUrl` like a browser: one redirect, carrying the cookie it sets. */
export async function openLaunchUrl(launchUrl: string, timeoutMs = 5000): Promise<OpenedPage> {
  const signal = AbortSignal.timeout(timeoutMs);
  const first = await fetch(launchUrl, { redirect: "manual", signal });
  let response = first;
  let cookie: string | undefined;
  if (first.status >= 300 && first.status < 400) {
    const location = first.headers.get("location");
    if (!location) throw new LaunchUrlError(`${first.status} without a Location header`);
    cookie = first.headers.get("set-cookie")?.split(";")[0];
    if (!cookie) throw new LaunchUrlError(`the redirect from the launch URL set no cookie`);
    await first.body?.cancel();
    response = await fetch(new URL(location, launchUrl), { headers: { cookie }, redirect: "manual", signal });
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    html: await response.text(),
    cookie,
  };
}

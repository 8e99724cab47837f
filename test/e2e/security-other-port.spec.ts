/**
 * Attacks from another server on 127.0.0.1 in the same browser (a preview server the agent started, or
 * any local program). After the user opened Sage, a page on another port:
 * - receives no credential with its requests (there is no cookie to leak),
 * - cannot read Sage's token (origin storage includes the port),
 * - cannot call Sage's API with the browser's credentials, and
 * - cannot frame Sage's UI (frame-ancestors 'none', X-Frame-Options: DENY).
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./fixtures.ts";

interface Preview {
  url: string;
  seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** The "preview server": records every request's headers and serves a page that probes Sage. */
async function startPreview(sageUrl: string): Promise<Preview> {
  const seen: IncomingHttpHeaders[] = [];
  const page = `<!doctype html><title>preview</title><body>
<iframe id="framed" src="${sageUrl}/" width="600" height="400"></iframe>
<script>
  window.probe = (async () => {
    const result = { ownStorage: localStorage.getItem("sage.token"), apiStatus: null, apiError: null };
    try {
      const response = await fetch("${sageUrl}/api/sessions", { credentials: "include" });
      result.apiStatus = response.status;
    } catch (error) {
      result.apiError = String(error);
    }
    return result;
  })();
</script></body>`;
  const server: Server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("a page on another 127.0.0.1 port gets no credential, cannot read the token, call the API or frame Sage", async ({
  page,
  context,
  sage,
}) => {
  await page.goto(sage.launchUrl);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  expect(await page.evaluate(() => localStorage.getItem("sage.token"))).toBe(sage.token);

  const preview = await startPreview(sage.baseURL);
  try {
    const attacker = await context.newPage();
    await attacker.goto(`${preview.url}/`);
    const probe = (await attacker.evaluate("window.probe")) as {
      ownStorage: string | null;
      apiStatus: number | null;
      apiError: string | null;
    };
    // No credential reached the other server, in any header.
    expect(preview.seen.length).toBeGreaterThan(0);
    for (const headers of preview.seen) {
      expect(headers.cookie).toBeUndefined();
      expect(JSON.stringify(headers)).not.toContain(sage.token);
    }
    // Its own origin's storage does not have Sage's token.
    expect(probe.ownStorage).toBeNull();
    // The browser's credentials do not open Sage's API to it (a CORS failure or a 401, never data).
    expect(probe.apiStatus === null || probe.apiStatus === 401).toBe(true);
    // Framing is refused: the frame never shows Sage's UI.
    const framed = attacker.frames().find((frame) => frame !== attacker.mainFrame());
    expect(framed).toBeDefined();
    await attacker.waitForTimeout(500);
    expect(
      await framed
        ?.locator("aside")
        .count()
        .catch(() => 0),
    ).toBe(0);
    expect(framed?.url()).not.toBe(`${sage.baseURL}/`);
    await attacker.close();
  } finally {
    await preview.close();
  }
});

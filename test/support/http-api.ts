/**
 * Test helper: the one way tests call Sage's HTTP API, whatever runs it (the in-process backend of
 * backend.ts, the executable of executable-app.ts, the attack target of hostile-server.ts).
 *
 * - `http(path, init)` is fetch against `base` with `Authorization: Bearer <token>` (unless `auth: false`
 *   or the caller set one); `json` is sent as the body (with its content type) and makes the default
 *   method POST; redirects are not followed (a test sees the 30x); `timeoutMs` fails a request that
 *   would hang instead of the suite.
 * - `api(path, init)` is `http` with the answer read: `body` is the parsed JSON, or the text when the
 *   answer is not JSON.
 */

/** A JSON API answer: `body` is the parsed JSON, or the text when the answer is not JSON. */
export interface ApiResponse<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface HttpInit extends RequestInit {
  /** false: send no token (default true). */
  auth?: boolean;
  /** Sent as the JSON body; makes the default method POST. */
  json?: unknown;
  /** Abort the request after this long (default: the client's, else none). */
  timeoutMs?: number;
}

export interface ApiInit {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface HttpApi {
  http(path: string, init?: HttpInit): Promise<Response>;
  api<T = unknown>(path: string, init?: ApiInit): Promise<ApiResponse<T>>;
}

export function httpApi(base: string, token: string, defaults: { timeoutMs?: number } = {}): HttpApi {
  const http = (path: string, init: HttpInit = {}): Promise<Response> => {
    const { auth = true, json, timeoutMs = defaults.timeoutMs, method, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    const hasJson = json !== undefined;
    if (hasJson && !headers.has("content-type")) headers.set("content-type", "application/json");
    return fetch(`${base}${path}`, {
      redirect: "manual",
      method: method ?? (hasJson ? "POST" : "GET"),
      ...(hasJson ? { body: JSON.stringify(json) } : {}),
      ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
      ...rest,
      headers,
    });
  };
  return {
    http,
    async api<T>(path: string, init: ApiInit = {}): Promise<ApiResponse<T>> {
      const response = await http(path, init);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: the text itself
      }
      return { status: response.status, body: body as T, text, headers: response.headers };
    },
  };
}

/**
 * HTTP calls to the Sage server. Every call carries the token as a header (see ui/public/boot.js for
 * where the page gets it). Failures throw `ApiError` with the server's message, ready to show to the
 * user; a refused token also switches the page to the "signed out" screen.
 */
import { tokenRefused } from "./access.ts";
import { host } from "./env.ts";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function authHeaders(): Record<string, string> {
  return host.token ? { authorization: `Bearer ${host.token}` } : {};
}

export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { ...authHeaders(), ...(init.headers as Record<string, string>) };
  let body = init.body;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError("Sage's server cannot be reached.", 0, "offline");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (data as { error?: { message?: string; code?: string; field?: string } } | undefined)
      ?.error;
    if (response.status === 401 && error?.code === "unauthorized") tokenRefused();
    throw new ApiError(
      error?.message ?? `Request failed (${response.status}).`,
      response.status,
      error?.code ?? "error",
      error?.field,
    );
  }
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

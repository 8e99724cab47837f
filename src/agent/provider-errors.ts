/**
 * Provider failures as data: every error from a model call becomes a `ProviderFailure` with a code, a
 * message a person understands, whether it is worth retrying, and how long to wait (Retry-After).
 * Errors are recognised by their `name` marker, not `instanceof` (they cross module copies).
 */

export type FailureCode =
  | "auth"
  | "forbidden"
  | "model_not_found"
  | "rate_limited"
  | "server_error"
  | "network"
  | "stream_cut"
  | "context_length"
  | "bad_request"
  | "aborted"
  | "no_model"
  | "internal"
  /** Not the provider's: Sage could not save the turn (see src/sessions/session-runner.ts). */
  | "disk_full"
  | "storage_failed"
  | "unknown";

export interface ProviderFailure {
  code: FailureCode;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
}

interface ApiCallErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  responseBody?: string;
  responseHeaders?: Record<string, string>;
  cause?: unknown;
}

const CONTEXT_PATTERNS =
  /context[_ ]length|maximum context|too many tokens|prompt is too long|context window|token limit/i;

export function classifyProviderError(error: unknown, providerName = "The provider"): ProviderFailure {
  const e = error as ApiCallErrorLike;
  const name = e?.name ?? "";
  if (name === "AbortError" || name === "ResponseAborted")
    return { code: "aborted", message: "Stopped.", retryable: false };
  const status = e?.statusCode;
  const body = `${e?.responseBody ?? ""} ${e?.message ?? ""}`;
  if (name === "AI_APICallError" || status !== undefined) {
    if (status === 401)
      return {
        code: "auth",
        status,
        retryable: false,
        message: `${providerName} rejected the API key (401). Check the key in Settings → Providers.`,
      };
    if (status === 403)
      return {
        code: "forbidden",
        status,
        retryable: false,
        message: `${providerName} refused access (403). The key may lack access to this model.`,
      };
    if (status === 404)
      return {
        code: "model_not_found",
        status,
        retryable: false,
        message: `${providerName} does not know this model or URL (404). Check the model name and base URL.`,
      };
    if (status === 429) {
      return {
        code: "rate_limited",
        status,
        retryable: true,
        retryAfterMs: retryAfter(e.responseHeaders),
        message: `${providerName} is rate limiting requests (429).`,
      };
    }
    if (status === 400 || status === 413) {
      if (CONTEXT_PATTERNS.test(body))
        return {
          code: "context_length",
          status,
          retryable: false,
          message: "The conversation is longer than the model's context window.",
        };
      return {
        code: "bad_request",
        status,
        retryable: false,
        message: `${providerName} rejected the request (${status}): ${shortDetail(e)}`,
      };
    }
    if (status !== undefined && status >= 500)
      return {
        code: "server_error",
        status,
        retryable: true,
        retryAfterMs: retryAfter(e.responseHeaders),
        message: `${providerName} had a server error (${status}).`,
      };
    // A 2xx whose body then broke off (the SDK reports "Failed to process successful response" with
    // the connection error as its cause) is a network failure, not an answer from the provider.
    if (status === undefined || (status >= 200 && status < 300)) return networkFailure(e, providerName);
    return {
      code: "unknown",
      status,
      retryable: false,
      message: `${providerName} answered ${status}: ${shortDetail(e)}`,
    };
  }
  if (CONTEXT_PATTERNS.test(body))
    return {
      code: "context_length",
      retryable: false,
      message: "The conversation is longer than the model's context window.",
    };
  return networkFailure(e, providerName);
}

function networkFailure(e: ApiCallErrorLike, providerName: string): ProviderFailure {
  const text = `${e?.message ?? ""} ${String((e?.cause as Error | undefined)?.message ?? "")} ${String((e?.cause as { code?: string } | undefined)?.code ?? "")}`;
  if (/ECONNRESET|socket|terminated|premature|other side closed|aborted.*stream|stream/i.test(text)) {
    return {
      code: "stream_cut",
      retryable: true,
      message: `The connection to ${providerName} broke off mid-answer.`,
    };
  }
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|unable to connect|fetch failed|network|timed out|timeout/i.test(
      text,
    )
  ) {
    return {
      code: "network",
      retryable: true,
      message: `${providerName} could not be reached (${firstLine(e?.message) || "network error"}).`,
    };
  }
  return {
    code: "unknown",
    retryable: false,
    message: `${providerName} failed: ${firstLine(e?.message) || "unknown error"}`,
  };
}

function retryAfter(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const value = headers["retry-after"] ?? headers["Retry-After"];
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const ms = headers["retry-after-ms"];
  return ms && Number.isFinite(Number(ms)) ? Number(ms) : undefined;
}

function shortDetail(e: ApiCallErrorLike): string {
  try {
    const parsed = JSON.parse(e.responseBody ?? "") as {
      error?: { message?: string } | string;
      message?: string;
    };
    const message =
      typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (message) return firstLine(message);
  } catch {
    // not JSON
  }
  return firstLine(e.message);
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0]?.slice(0, 300) ?? "";
}

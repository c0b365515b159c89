/** Errors thrown by the client's helpers. */
import type { ErrorCode, ErrorEnvelope } from "./types.js";

/** The API answered with an error envelope (or with a non-2xx status and no envelope). */
export class AetherApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** The envelope's `code` (`server_error` when the body was not an envelope). */
  readonly code: ErrorCode;
  /** The envelope's `requestId` or the `X-Request-Id` header, when the server sent one. */
  readonly requestId: string | undefined;
  /** The raw response (its body has been read). */
  readonly response: Response;

  constructor(status: number, code: ErrorCode, message: string, requestId: string | undefined, response: Response) {
    super(message);
    this.name = "AetherApiError";
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.response = response;
  }
}

/** The request never got an HTTP answer (DNS, refused connection, reset, abort). `cause` holds the original error. */
export class AetherNetworkError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "AetherNetworkError";
  }
}

/**
 * The messages of an error and of its causes, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9`
 * (fetch's own message, "fetch failed", says nothing; the reason is in its `cause`).
 */
export function causeChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const e = current as { message?: unknown; code?: unknown; name?: unknown; cause?: unknown };
    const text = typeof e.message === "string" && e.message ? e.message : typeof e.code === "string" ? e.code : typeof current === "object" ? String(e.name ?? "") : String(current);
    if (text && !parts.includes(text)) parts.push(text);
    current = typeof current === "object" ? e.cause : undefined;
  }
  return parts.join(": ") || "unknown error";
}

/** An `AetherNetworkError` for `what` ("Request", "Upload"…) whose message carries the root cause. */
export function networkError(what: string, err: unknown): AetherNetworkError {
  return new AetherNetworkError(`${what} failed: ${causeChain(err)}`, { cause: err });
}

const FALLBACK_CODES: Record<number, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  416: "range_not_satisfiable",
  429: "rate_limited",
  507: "insufficient_storage",
};

function isEnvelope(value: unknown): value is ErrorEnvelope {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string";
}

/** Builds the error for a non-2xx response whose body was parsed as `body` (maybe undefined). */
export function apiErrorFrom(response: Response, body: unknown): AetherApiError {
  const requestId = response.headers.get("x-request-id") ?? undefined;
  if (isEnvelope(body)) {
    return new AetherApiError(response.status, body.error.code, body.error.message, body.error.requestId ?? requestId, response);
  }
  const code = FALLBACK_CODES[response.status] ?? "server_error";
  return new AetherApiError(response.status, code, `HTTP ${response.status} ${response.statusText}`.trim(), requestId, response);
}

/** Reads a failed response's body and builds the error. */
export async function apiErrorFromResponse(response: Response): Promise<AetherApiError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  return apiErrorFrom(response, body);
}

/**
 * The one registry of error codes the server can answer with (fastify-style): each code of the
 * spec's `ErrorCode` enum, its HTTP status and its default message. `ApiError` is what handlers
 * and middleware throw; `errorHandler.ts` turns it into the `{ success: false, error }` envelope.
 * tests/server/errors.test.ts checks that this registry and the spec's enum are the same set.
 */
import type { components } from "../../generated/openapi.js";

/** One of the error codes of openapi.yaml (`components.schemas.ErrorCode`). */
export type ErrorCode = components["schemas"]["ErrorCode"];

/** Status and default message of every error code. */
export const ERROR_CODES = {
  bad_request: { status: 400, message: "Invalid request" },
  unauthorized: { status: 401, message: "Invalid API key" },
  forbidden: { status: 403, message: "This API key lacks the scope this operation needs" },
  not_found: { status: 404, message: "Resource not found" },
  method_not_allowed: { status: 405, message: "Method not allowed" },
  conflict: { status: 409, message: "The request conflicts with the current state" },
  payload_too_large: { status: 413, message: "The upload is larger than the server accepts" },
  unsupported_media_type: { status: 415, message: "Unsupported Content-Type" },
  range_not_satisfiable: { status: 416, message: "Range not satisfiable" },
  rate_limited: { status: 429, message: "Too many requests" },
  server_error: { status: 500, message: "Internal server error" },
  insufficient_storage: { status: 507, message: "The server is short of storage space; try again later" },
} as const satisfies Record<ErrorCode, { status: number; message: string }>;

/** An error that leaves the server as `{ success: false, error: { code, message } }`. */
export class ApiError extends Error {
  /** Machine-readable code from the spec's enum. */
  readonly code: ErrorCode;
  /** HTTP status, from {@link ERROR_CODES}. */
  readonly status: number;
  /** Extra response headers (`Allow`, `Retry-After`, `WWW-Authenticate`, `Content-Range`…). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message?: string, headers: Record<string, string> = {}, options?: ErrorOptions) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = "ApiError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.headers = headers;
  }
}

/** The error code whose status is `status`, or undefined. */
export function codeForStatus(status: number): ErrorCode | undefined {
  for (const [code, entry] of Object.entries(ERROR_CODES)) {
    if (entry.status === status) return code as ErrorCode;
  }
  return undefined;
}

/**
 * The single place where failures become HTTP answers. Whatever was thrown (an `ApiError`, a
 * storage domain error, an express-openapi-validator error, a body-parser error, a bug), the
 * client receives the envelope `{ success: false, error: { code, message, requestId } }` with the
 * status the spec declares, never HTML and never a stack trace; unexpected causes are logged.
 */
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { NotFoundError, isOutOfSpace, isStorageError, type StorageError } from "../storage/index.js";
import { ApiError, codeForStatus } from "./apiError.js";
import { forbidden, unauthorized } from "./authenticate.js";
import { discardUploads, settleUploads, uploadFailure } from "./uploadStorage.js";

const CODE_OF_KIND = {
  not_found: "not_found",
  conflict: "conflict",
  payload_too_large: "payload_too_large",
  invalid: "bad_request",
  full: "insufficient_storage",
} as const satisfies Record<StorageError["kind"], ApiError["code"]>;

/** Maps a storage domain error to the API error users see (its message, without the full stop). */
export function fromStorageError(err: StorageError): ApiError {
  return new ApiError(CODE_OF_KIND[err.kind], err.message.replace(/\.$/, ""));
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  message?: unknown;
  headers?: unknown;
}

function requiredScopes(req: Request): string[] {
  const security = ((req as unknown as { openapi?: unknown }).openapi as { schema?: { security?: Record<string, string[]>[] } } | undefined)?.schema?.security;
  return Object.values(security?.[0] ?? {})[0] ?? [];
}

/**
 * Turns anything thrown into an `ApiError`; `undefined` means "unexpected: log it and answer 500"
 * (including a file row whose blob is missing: an integrity failure, not the caller's mistake).
 */
export function toApiError(err: unknown, req: Request): ApiError | undefined {
  const failure = uploadFailure(req) ?? err;
  if (failure instanceof ApiError) return failure;
  if (failure instanceof NotFoundError && failure.entity === "blob") return undefined;
  if (isStorageError(failure)) return fromStorageError(failure);
  const e = (typeof failure === "object" && failure !== null ? failure : {}) as HttpLikeError;
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : 500;
  const message = typeof e.message === "string" ? e.message : "";
  if (e.type === "entity.parse.failed") return new ApiError("bad_request", "Malformed JSON in request body");
  if (e.type === "entity.too.large") return new ApiError("bad_request", "The JSON request body is too large");
  if (typeof e.type === "string" && status === 400) return new ApiError("bad_request", message || undefined);
  if (e.type === "charset.unsupported" || e.type === "encoding.unsupported") {
    return new ApiError("unsupported_media_type", message || undefined);
  }
  if (status === 401 || status === 403) {
    if (req.principal) return forbidden(requiredScopes(req));
    return unauthorized();
  }
  if (status === 405 && typeof e.headers === "object" && e.headers !== null) {
    const allow = String((e.headers as Record<string, unknown>).Allow ?? "").toUpperCase();
    return new ApiError("method_not_allowed", `${req.method} is not allowed here; use ${allow}`, { Allow: allow });
  }
  if (status === 404) return new ApiError("not_found", `No route ${req.method} ${req.path}`);
  // multer's count limits (a second file, too many parts or fields) come as 413s; the form is
  // malformed, it is not too large.
  if (status === 413 && /^Too many (files|parts|fields)$/.test(message)) {
    return new ApiError("bad_request", `Invalid upload form: ${message.toLowerCase()}; send one part named "file"`);
  }
  if (/^(Unexpected end of form|Malformed part header|Multipart: Boundary not found|Malformed urlencoded form)/i.test(message)) {
    return new ApiError("bad_request", `Malformed multipart body: ${message}`);
  }
  const code = status >= 400 && status < 500 ? codeForStatus(status) : undefined;
  if (code) return new ApiError(code, message || undefined);
  return undefined;
}

/** Writes the envelope. Uses `res.send`, not `res.json`, so response validation cannot turn an error into HTML. */
export function sendError(res: Response, error: ApiError, requestId: string | undefined): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.removeHeader("Content-Disposition");
  res.removeHeader("ETag");
  res.removeHeader("Last-Modified");
  res.send(JSON.stringify({ success: false, error: { code: error.code, message: error.message, requestId } }));
}

/** True when the client went away (aborted upload, reset connection): nothing to answer. */
function clientGone(err: unknown, req: Request): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return req.socket.destroyed || code === "ECONNRESET" || code === "ECONNABORTED" || code === "ERR_STREAM_PREMATURE_CLOSE";
}

/**
 * A refused body up to this size is read and discarded, so that the client can finish sending
 * and read the answer: 8 MiB for a caller with a valid key, 64 KiB without one (a keyless flood
 * of large bodies is cut off instead of read).
 */
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;
const DRAIN_LIMIT_ANONYMOUS_BYTES = 64 * 1024;
/** How long the rest of a refused body may take to arrive after the answer. */
const DRAIN_DEADLINE_MS = 5_000;

/**
 * A request body refused before its end: a small one (declared length up to the drain limit) is left to
 * Node, which reads and discards it after the answer (without parsing), so clients that only
 * read once they have sent everything still get the answer; a larger, chunked or endless one
 * is not read further — multer would otherwise drain it all — and the connection is closed
 * once the answer is out (the idle timeout ends it if the client keeps it open).
 */
function stopReading(req: Request, res: Response): void {
  if (req.complete) return;
  const declared = Number(req.get("content-length"));
  const limit = req.principal ? DRAIN_LIMIT_BYTES : DRAIN_LIMIT_ANONYMOUS_BYTES;
  if (req.get("transfer-encoding") === undefined && Number.isFinite(declared) && declared <= limit) {
    // Drained, but not at any pace the client likes: a body trickled after the answer would
    // otherwise keep the connection for ever, each byte resetting the idle timeout.
    res.once("finish", () => {
      if (req.complete) return;
      const deadline = setTimeout(() => {
        if (!req.complete) req.socket.resetAndDestroy();
      }, DRAIN_DEADLINE_MS);
      deadline.unref();
      req.once("end", () => clearTimeout(deadline));
    });
    return;
  }
  req.unpipe();
  req.removeAllListeners("data");
  req.removeAllListeners("readable");
  req.pause();
  res.setHeader("Connection", "close");
}

/**
 * Answers `err` now, while the request body is still arriving, and closes the connection after
 * the answer (Node ends a `Connection: close` socket once the response is out), so the server
 * reads no more of the body. The error still travels through the error handler later, which
 * then only cleans up.
 */
export function answerNow(req: Request, err: unknown): void {
  const res = req.res;
  const error = toApiError(err, req);
  if (!res || !error || res.headersSent || res.destroyed) return;
  if (error.code === "insufficient_storage") req.log?.warn("free space under the reserve while streaming: upload refused");
  stopReading(req, res);
  sendError(res, error, req.id);
}

/** Express error middleware (the last `app.use`). */
export function errorHandler(log: Logger) {
  return async (err: unknown, req: Request, res: Response, _next: NextFunction): Promise<void> => {
    // The blob store's own failure (disk full, size limit) can land after multer's generic abort:
    // wait for the upload's writes to settle, so the error mapped is the real cause.
    await settleUploads(req);
    const gone = clientGone(err, req);
    let error = toApiError(err, req);
    if (error?.code === "insufficient_storage" && req.operation?.operationId !== "uploadFile") {
      // Only uploads declare 507; elsewhere a full disk is the server's failure.
      error = undefined;
    }
    if (gone) {
      req.log?.info({ err: { message: (err as Error | undefined)?.message } }, "client went away before the answer");
    } else if (!error) {
      if (isOutOfSpace(err) || (isStorageError(err) && err.kind === "full")) req.log?.error({ err }, "out of disk space (ENOSPC): free space in DATA_DIR");
      else req.log?.error({ err }, "unexpected failure");
      error = new ApiError("server_error");
    } else if (error.code === "insufficient_storage") {
      if (!(err instanceof ApiError)) req.log?.warn({ err: { message: (err as Error | undefined)?.message } }, "out of disk space (ENOSPC or under MIN_FREE_BYTES while streaming): upload refused");
    } else if (error.status >= 500) {
      req.log?.error({ err }, "server error");
    }
    if (!gone && !res.headersSent) stopReading(req, res);
    try {
      await discardUploads(req);
    } catch (cleanupError) {
      log.error({ err: cleanupError }, "could not discard a refused upload");
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Not `req.destroyed`: Node destroys a request once its body has been read (every JSON body),
    // so that test would leave such requests without an answer. A gone client closes the socket.
    if (gone || res.destroyed) return;
    sendError(res, error ?? new ApiError("server_error"), req.id);
  };
}

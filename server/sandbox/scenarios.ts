/**
 * `Prefer` scenarios (RFC 7240 syntax, as Prism reads them), for the sandbox only:
 * - `Prefer: code=N` answers the error envelope N that the operation declares, without doing
 *   anything: `error.code` and `error.message` from the spec's example for that response (else
 *   the registry's), with the headers the status requires (`WWW-Authenticate` for 401,
 *   `Retry-After: 1` for 429, `Content-Range` for 416). N not declared by the operation, or not an
 *   error status, answers 400 naming the declared ones;
 * - `Prefer: delay=MS` waits MS milliseconds (at most {@link MAX_DELAY_MS}; more is capped) before
 *   the request goes on (or before the `code=N` answer).
 * Preferences the sandbox does not know (`example=…`, `dynamic=…`, `return=…`) are ignored, as the
 * RFC says. It runs once the key is checked (a missing key still answers the real 401, a key
 * without the scope the real 403) and before any body is read.
 */
import type { NextFunction, Request, Response } from "express";
import { ApiError, ERROR_CODES, codeForStatus, type ErrorCode } from "../http/apiError.js";
import { WWW_AUTHENTICATE } from "../http/authenticate.js";
import type { OpenApiDocument } from "../spec.js";
import type { Storage } from "../storage/index.js";
import { deref, exampleValues, isObject, type JsonObject } from "./specWalk.js";

/** Longest `Prefer: delay`, in milliseconds. */
export const MAX_DELAY_MS = 10_000;

/** One declared error answer. */
interface DeclaredError {
  code: ErrorCode;
  message: string;
}

/** The first example's `error` object of a response, if it has one. */
function exampleError(doc: OpenApiDocument, response: unknown): JsonObject | undefined {
  const res = deref(doc, response);
  if (!isObject(res) || !isObject(res.content)) return undefined;
  for (const media of Object.values(res.content)) {
    for (const { value } of exampleValues(doc, media)) if (isObject(value) && isObject(value.error)) return value.error;
  }
  return undefined;
}

/** Declared error answers (status ≥ 400) of every operation, by operationId. */
export function declaredErrors(doc: OpenApiDocument): Map<string, Map<number, DeclaredError>> {
  const out = new Map<string, Map<number, DeclaredError>>();
  for (const item of Object.values(doc.paths)) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      if (!isObject(op) || typeof op.operationId !== "string" || !isObject(op.responses)) continue;
      const errors = new Map<number, DeclaredError>();
      for (const [key, response] of Object.entries(op.responses)) {
        const status = Number(key);
        if (!Number.isInteger(status) || status < 400) continue;
        const example = exampleError(doc, response);
        const registered = codeForStatus(status);
        const code = typeof example?.code === "string" && example.code in ERROR_CODES ? (example.code as ErrorCode) : registered;
        if (!code) continue;
        errors.set(status, { code, message: typeof example?.message === "string" ? example.message : ERROR_CODES[code].message });
      }
      out.set(op.operationId, errors);
    }
  }
  return out;
}

/** The preferences of a request: `name → value` (lower-case names, unquoted values). */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const preference of header.split(",")) {
    const [head = ""] = preference.split(";");
    const eq = head.indexOf("=");
    const name = (eq < 0 ? head : head.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : head.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The file id of a download path, for the `Content-Range` of a simulated 416. */
const DOWNLOAD_PATH = /^\/api\/v1\/files\/([^/]+)\/download$/;

/** The middleware (for `AppExtensions.afterAuthorize`). */
export function preferScenarios(doc: OpenApiDocument, storage: Storage) {
  const declared = declaredErrors(doc);
  return async function preferScenariosMiddleware(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const prefer = parsePrefer(req.get("prefer"));
    const code = prefer.get("code");
    const delay = prefer.get("delay");
    if (code === undefined && delay === undefined) return next();
    const operationId = req.operation?.operationId ?? "";
    let waitMs = 0;
    if (delay !== undefined) {
      if (!/^\d{1,9}$/.test(delay)) throw new ApiError("bad_request", `Prefer: delay must be a whole number of milliseconds (0 to ${MAX_DELAY_MS}), got "${delay}"`);
      waitMs = Math.min(Number(delay), MAX_DELAY_MS);
    }
    let forced: ApiError | undefined;
    if (code !== undefined) {
      const errors = declared.get(operationId) ?? new Map<number, DeclaredError>();
      const list = [...errors.keys()].sort((a, b) => a - b).join(", ");
      const entry = /^\d{3}$/.test(code) ? errors.get(Number(code)) : undefined;
      if (!entry) throw new ApiError("bad_request", `Prefer: code=${code} is not an error ${operationId} declares; it declares ${list}`);
      forced = new ApiError(entry.code, entry.message, await requiredHeaders(Number(code), req, storage));
    }
    if (waitMs > 0) await sleep(waitMs);
    if (req.socket.destroyed) return;
    if (forced) throw forced;
    next();
  };
}

/** Headers the spec requires with a status. */
async function requiredHeaders(status: number, req: Request, storage: Storage): Promise<Record<string, string>> {
  if (status === 401) return { "WWW-Authenticate": WWW_AUTHENTICATE };
  if (status === 429) return { "Retry-After": "1" };
  if (status === 416) {
    const id = DOWNLOAD_PATH.exec(req.path)?.[1];
    const file = id && req.principal ? await storage.metadata.getFile(req.principal.userId, decodeURIComponent(id)).catch(() => undefined) : undefined;
    return { "Content-Range": `bytes */${file?.size ?? 0}` };
  }
  return {};
}

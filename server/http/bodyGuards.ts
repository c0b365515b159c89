/**
 * Checks that run before (or right after) a body is read, after the caller is authorised:
 * - `uploadGuards`: refuses an upload whose declared length is over the limit (413) or that
 *   would leave the data volume under its free-space reserve (507), before reading a byte;
 * - `wellFormedJson`: refuses a JSON body holding an unpaired UTF-16 surrogate (`"\ud800"`) in
 *   any string or key with 400. JSON can carry them, no database or UTF-8 encoder can store
 *   them faithfully, and the spec's string patterns say so too.
 */
import type { NextFunction, Request, Response } from "express";
import { StorageFullError, type BlobStore } from "../storage/index.js";
import { ApiError } from "./apiError.js";

/** Multipart form fields other than the file are small; this much on top of the file is allowed. */
export const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** Sends `100 Continue` to a client that asked for it, now that the request has passed every check before the body. */
export function continueAfterChecks() {
  return function continueMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (req.get("expect")?.toLowerCase() === "100-continue" && !res.headersSent) res.writeContinue();
    next();
  };
}

/** 413 for a declared length over `maxUploadBytes` + form overhead; 507 when free space is short. */
export function uploadGuards(blobs: BlobStore, maxUploadBytes: number, minFreeBytes: number) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (req.operation?.operationId !== "uploadFile") return next();
    const declared = Number(req.get("content-length"));
    const length = Number.isFinite(declared) && declared > 0 ? declared : 0;
    if (length > maxUploadBytes + FORM_OVERHEAD_BYTES) {
      throw new ApiError("payload_too_large", `File exceeds the upload limit of ${maxUploadBytes} bytes`);
    }
    try {
      await assertFreeSpace(blobs, minFreeBytes, length);
    } catch (err) {
      req.log?.warn({ minFreeBytes, declaredBytes: length }, "upload refused: free space under the reserve");
      throw err;
    }
    next();
  };
}

/** Throws `StorageFullError` when taking `bytes` more would leave less than `minFreeBytes` free. */
export async function assertFreeSpace(blobs: BlobStore, minFreeBytes: number, bytes: number): Promise<void> {
  const free = await blobs.freeBytes();
  if (free !== undefined && free - bytes < minFreeBytes) throw new StorageFullError();
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/** JSON pointer of the first string (or key) in `value` with an unpaired surrogate. */
function illFormedAt(value: unknown, pointer: string, depth = 0): string | undefined {
  if (typeof value === "string") return LONE_SURROGATE.test(value) ? pointer || "/" : undefined;
  if (typeof value !== "object" || value === null || depth > 64) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (LONE_SURROGATE.test(key)) return at;
    const found = illFormedAt(item, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Middleware after the JSON parser: 400 for ill-formed Unicode anywhere in the body. */
export function wellFormedJson() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const at = req.body === undefined ? undefined : illFormedAt(req.body, "");
    if (at) {
      throw new ApiError("bad_request", `request/body${at === "/" ? "" : at} must be well-formed Unicode: it holds an unpaired UTF-16 surrogate`);
    }
    next();
  };
}

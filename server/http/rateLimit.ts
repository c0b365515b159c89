/**
 * Rate limits (express-rate-limit, one-minute windows; in memory, or in a shared store when
 * several instances serve one database), all answering the 429
 * `rate_limited` envelope with `Retry-After`:
 * - per API key, for requests with a valid key (`RATE_LIMIT_PER_MINUTE`);
 * - per client address, for requests to secured operations without a valid key (missing,
 *   malformed, unknown or revoked: `RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE`), counted before the
 *   401 is sent, so a key-guessing or body-flooding client is cut off cheaply;
 * - concurrent downloads per key (`MAX_DOWNLOADS_PER_KEY`) and uploads per key (`MAX_UPLOADS_PER_KEY`).
 * `getHealth` (no security requirement) is never limited. Headers follow IETF draft-06
 * (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`).
 */
import type { NextFunction, Request, Response } from "express";
import { rateLimit, type Store } from "express-rate-limit";
import { ApiError } from "./apiError.js";

function tooMany(req: Request, _res: Response, next: NextFunction): void {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
  next(new ApiError("rate_limited", `Too many requests, retry in ${seconds} seconds`, { "Retry-After": String(seconds) }));
}

/** `perMinute` requests per key per minute, for requests with a valid key to secured operations. */
export function rateLimitPerKey(perMinute: number, store?: Store) {
  return rateLimit({
    ...(store && { store }),
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-6",
    legacyHeaders: false,
    skip: (req: Request) => req.principal === undefined || req.operation?.secured !== true,
    keyGenerator: (req: Request) => req.principal?.keyId ?? "anonymous",
    handler: tooMany,
  });
}

/** `perMinute` requests per client address per minute, for secured operations without a valid key. */
export function rateLimitUnauthenticated(perMinute: number, store?: Store) {
  return rateLimit({
    ...(store && { store }),
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: false,
    legacyHeaders: false,
    skip: (req: Request) => req.principal !== undefined || req.operation?.secured !== true,
    handler: tooMany,
  });
}

/** At most `max` downloads with a body in progress per key; the next answers 429 until one ends. */
export function concurrentDownloadsPerKey(max: number) {
  return concurrentPerKey("downloadFile", max, "downloads");
}

/**
 * At most `max` uploads in progress per key (each holds a socket, a temp file or multipart part
 * buffers); the next answers 429 before its body is read, until one ends.
 */
export function concurrentUploadsPerKey(max: number) {
  return concurrentPerKey("uploadFile", max, "uploads");
}

function concurrentPerKey(operationId: "downloadFile" | "uploadFile", max: number, noun: string) {
  const active = new Map<string, number>();
  const method = operationId === "downloadFile" ? "GET" : "POST";
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = req.principal?.keyId;
    if (req.operation?.operationId !== operationId || req.method !== method || key === undefined) return next();
    const n = active.get(key) ?? 0;
    if (n >= max) {
      throw new ApiError("rate_limited", `At most ${max} ${noun} at a time per API key; retry when one ends`, { "Retry-After": "1" });
    }
    active.set(key, n + 1);
    res.once("close", () => {
      const left = (active.get(key) ?? 1) - 1;
      if (left > 0) active.set(key, left);
      else active.delete(key);
    });
    next();
  };
}

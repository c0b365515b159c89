/**
 * Per-key rate limit (express-rate-limit, in-memory, one-minute window). Runs after
 * `authenticate` and counts only requests with a valid key; a request without one is refused
 * with 401 by the validator anyway. Headers follow IETF draft-06 (`RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset`); a 429 adds `Retry-After`.
 */
import type { Request } from "express";
import { rateLimit } from "express-rate-limit";
import { ApiError } from "./apiError.js";

/** The middleware for `perMinute` requests per key per minute. */
export function rateLimitPerKey(perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-6",
    legacyHeaders: false,
    skip: (req: Request) => req.principal === undefined,
    keyGenerator: (req: Request) => req.principal?.keyId ?? "anonymous",
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new ApiError("rate_limited", `Too many requests, retry in ${seconds} seconds`, { "Retry-After": String(seconds) }));
    },
  });
}

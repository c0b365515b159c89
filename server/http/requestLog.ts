/**
 * Request ids and access logs. Every response carries `X-Request-Id` (the caller's own id when
 * it is a short, safe token, else a new `req_…`); every request ends with one JSON log line
 * holding the id, method, path, status, duration and bytes. Headers are never logged, so a key
 * cannot leak into the logs.
 */
import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";

declare module "express-serve-static-core" {
  interface Request {
    /** This request's id, also in `X-Request-Id` and in error bodies. */
    id?: string;
    /** Logger bound to this request's id. */
    log?: Logger;
  }
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A new request id, `req_` + 20 hex characters. */
export function newRequestId(): string {
  return `req_${randomBytes(10).toString("hex")}`;
}

/** Middleware: assigns the id, binds the logger and logs the request when it ends. */
export function requestLog(log: Logger) {
  return function requestLogMiddleware(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.get("x-request-id");
    const id = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : newRequestId();
    const started = process.hrtime.bigint();
    req.id = id;
    req.log = log.child({ reqId: id });
    res.setHeader("X-Request-Id", id);
    res.once("close", () => {
      const aborted = !res.writableFinished;
      const fields = {
        method: req.method,
        path: req.path,
        // An answer cut short, or never sent, has no status worth reporting.
        status: res.headersSent ? res.statusCode : null,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        aborted,
      };
      req.log?.info(fields, aborted ? "request aborted" : "request");
    });
    next();
  };
}

/**
 * Authentication and authorisation, both before any body is read. `authenticate` finds the
 * caller; `authorize` refuses a request for a secured operation (from `apiGate`) without a
 * valid key (401) or without the operation's scopes (403), with the scopes read from the spec.
 * The same scope check runs again where each handler is invoked (app.ts) and in the validator's
 * `validateSecurity`, so no ordering or skip rule can reach a handler without it.
 *
 * A key comes from `Authorization: Bearer ak_…` or `X-API-Key: ak_…`. An `Authorization` header
 * of another scheme (a proxy's `Basic …`) is not ours and is ignored. When both headers carry
 * a key and they differ, the one that verifies is used; two different valid keys are refused
 * with 400, since the request's owner is ambiguous.
 */
import type { NextFunction, Request, Response } from "express";
import { verifyApiKey } from "../auth/apiKeys.js";
import type { ApiKeyRecord, MetadataStore } from "../storage/index.js";
import { ApiError } from "./apiError.js";
import type { UsageRecorder } from "./usage.js";

/** The caller, once its key is verified. */
export interface Principal {
  /** Owner of the key: every file/folder operation acts for this user. */
  userId: string;
  /** The key's id (`key_…`), used as the rate-limit bucket. */
  keyId: string;
  /** Scopes granted to the key. */
  scopes: readonly string[];
}

declare module "express-serve-static-core" {
  interface Request {
    /** Set by `authenticate` when the request carries a valid, active key. */
    principal?: Principal;
  }
}

/** `WWW-Authenticate` value sent with every 401. */
export const WWW_AUTHENTICATE = 'Bearer realm="aethercdn"';

/** The credentials a request presents: the Bearer token and the `X-API-Key` value, when sent. */
export function presentedKeys(req: Request): { bearer?: string; apiKey?: string } {
  const out: { bearer?: string; apiKey?: string } = {};
  const authorization = req.get("authorization");
  const match = authorization === undefined ? null : /^Bearer[ ]+(\S*)\s*$/i.exec(authorization);
  if (match) out.bearer = match[1] ?? "";
  const apiKey = req.get("x-api-key")?.trim();
  if (apiKey !== undefined) out.apiKey = apiKey;
  return out;
}

async function resolveKey(metadata: MetadataStore, req: Request): Promise<ApiKeyRecord | undefined> {
  const { bearer, apiKey } = presentedKeys(req);
  if (bearer === undefined || apiKey === undefined || bearer === apiKey) {
    const secret = bearer ?? apiKey;
    return secret ? verifyApiKey(metadata, secret) : undefined;
  }
  const [a, b] = await Promise.all([verifyApiKey(metadata, bearer), verifyApiKey(metadata, apiKey)]);
  if (a && b && a.id !== b.id) {
    throw new ApiError("bad_request", "Authorization and X-API-Key carry two different API keys; send one");
  }
  return a ?? b;
}

/** Middleware: sets `req.principal` for a valid key; refuses only two conflicting keys. */
export function authenticate(metadata: MetadataStore, usage: UsageRecorder) {
  return async function authenticateMiddleware(req: Request, _res: Response, next: NextFunction): Promise<void> {
    const record = await resolveKey(metadata, req);
    if (record) {
      req.principal = { userId: record.userId, keyId: record.id, scopes: record.scopes };
      usage.keyUsed(record.id);
    }
    next();
  };
}

/** The 401 every missing, malformed, unknown or revoked key gets: identical in all four cases. */
export function unauthorized(): ApiError {
  return new ApiError("unauthorized", "Invalid or missing API key", { "WWW-Authenticate": WWW_AUTHENTICATE });
}

/** The 403 for a valid key that lacks `scopes`. */
export function forbidden(scopes: readonly string[]): ApiError {
  return new ApiError("forbidden", `This API key lacks the scope ${scopes.join(", ")}`);
}

/**
 * The refusal for `principal` calling an operation with these scope sets (any one set suffices),
 * or undefined when the call is allowed. `secured: false` allows anyone.
 */
export function scopeRefusal(principal: Principal | undefined, secured: boolean, scopeSets: readonly string[][]): ApiError | undefined {
  if (!secured) return undefined;
  if (!principal) return unauthorized();
  let closest: string[] | undefined;
  for (const set of scopeSets) {
    const missing = set.filter((s) => !principal.scopes.includes(s));
    if (missing.length === 0) return undefined;
    if (!closest || missing.length < closest.length) closest = missing;
  }
  return forbidden(closest ?? []);
}

/** Middleware after `apiGate` and `authenticate`: 401/403 before any body is read. */
export function authorize() {
  return function authorizeMiddleware(req: Request, _res: Response, next: NextFunction): void {
    const op = req.operation;
    if (!op) throw new ApiError("not_found", `No route ${req.method} ${req.path}`);
    const refusal = scopeRefusal(req.principal, op.secured, op.scopeSets);
    if (refusal) throw refusal;
    next();
  };
}

/**
 * The validator's security handler, shared by both schemes: passes when the request has a
 * principal holding every scope the requirement lists.
 */
export function requireScopes(req: Request, scopes: string[]): true {
  const refusal = scopeRefusal(req.principal, true, [scopes]);
  if (refusal) throw refusal;
  return true;
}
